package dev.ballot.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a {@code ballot server --config} file: Java properties whose keys are the flag names
 * without dashes ({@code redis-port = 6401}). An unknown key is an error, not silently ignored,
 * so a typo cannot leave a setting at its default.
 */
public final class ConfigFile {

    private ConfigFile() {}

    /** Adds every setting of {@code file} to {@code settings}. */
    public static void load(Path file, ServerSettings settings) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--config: cannot read " + file + ": " + e, e);
        }
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            if (!ServerSettings.NAMES.contains(key)) {
                throw new IllegalArgumentException("--config " + file + ": unknown setting '" + key
                        + "'; known settings: " + new TreeSet<>(ServerSettings.NAMES));
            }
            settings.put(key, props.getProperty(key), key + " (in " + file + ")");
        }
    }
}
