package dev.ballot.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/find-jdk.sh}, which {@code ./ballot} and {@code .ci/run} source, run against fake
 * JDKs whose {@code java -version} prints what real ones print.
 */
class FindJdkScriptTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "find-jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void acceptsJavaHomeWhoseVersionLineIsNotTheFirst() throws Exception {
        // With JAVA_TOOL_OPTIONS set, every JVM prints "Picked up ..." before its version line.
        Path jdk = fakeJdk("jdk-25", "Picked up JAVA_TOOL_OPTIONS: -Dx=1", "openjdk version \"25.0.1\" 2025-10-21");

        assertThat(javaHomeFound(jdk)).isEqualTo(jdk.toString());
    }

    @Test
    void acceptsPlainJavaHome() throws Exception {
        Path jdk = fakeJdk("jdk-21", "openjdk version \"21.0.5\" 2024-10-15");

        assertThat(javaHomeFound(jdk)).isEqualTo(jdk.toString());
    }

    @Test
    void passesOverJavaHomeOlderThan21() throws Exception {
        Path old = fakeJdk("jdk-17", "Picked up JAVA_TOOL_OPTIONS: -Dx=1", "openjdk version \"17.0.15\" 2025-04-15");

        assertThat(javaHomeFound(old)).isNotEqualTo(old.toString());
    }

    private Path fakeJdk(String name, String... versionLines) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        StringBuilder java = new StringBuilder("#!/bin/sh\n");
        for (String line : versionLines) {
            java.append("echo '").append(line).append("' >&2\n");
        }
        write(bin.resolve("java"), java.toString());
        write(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
        return tmp.resolve(name);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Sources the script with JAVA_HOME set and an empty JVM directory; prints the JAVA_HOME it chose. */
    private String javaHomeFound(Path javaHome) throws Exception {
        Path emptyJvmDir = Files.createDirectories(tmp.resolve("no-jvms"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "source \"$0\" >/dev/null 2>&1; printf '%s' \"${BALLOT_JAVA_HOME:-}\"", SCRIPT.toString());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("BALLOT_JVM_DIR", emptyJvmDir.toString());
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("find-jdk.sh finished").isTrue();
        return out;
    }
}
