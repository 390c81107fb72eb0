package dev.ballot.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of a library as resolved on the class path, from its jar's Maven pom.properties. */
public final class Versions {

    private Versions() {
    }

    public static String of(String groupId, String artifactId) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return "(version unknown)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }
}
