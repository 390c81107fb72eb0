package dev.ballot.bench.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the numbers were taken: the facts a reader needs to compare two runs. */
public record MachineInfo(String cpu, int cores, String memory, String os, String java, String dataDir,
                          String dataDirFileSystem, double loadAverage) {

    public static MachineInfo collect(Path dataDir) {
        return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(), memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                dataDir.toAbsolutePath().toString(), fileSystem(dataDir),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name");
    }

    private static String memTotal() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal");
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines) {
                if (l.startsWith(key)) return l.substring(l.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return "unknown";
    }

    private static String fileSystem(Path dir) {
        try {
            var store = Files.getFileStore(dir);
            return store.type() + " (" + store.name() + ")";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
