package io.syncedfolder.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reads the version Maven wrote into {@code version.properties} at build time. */
public final class ServerVersion {
    private static final String RESOURCE = "/io/syncedfolder/server/version.properties";

    private ServerVersion() {
    }

    /** Returns the server's version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a Maven build. */
    public static String get() {
        Properties properties = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE + " from the server's jar", e);
        }
        return properties.getProperty("version", "unknown");
    }
}
