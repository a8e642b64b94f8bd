package io.syncedfolder.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a {@link SyncServer}.
 *
 * @param bind    the address to listen on
 * @param port    the TCP port, 0 for any free one
 * @param dataDir where the index and blobs live; created if missing
 * @param token   the single bearer token every API request must carry
 */
public record ServerConfig(String bind, int port, Path dataDir, String token) {
    public static final String DEFAULT_BIND = "127.0.0.1";

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("the access token must not be blank");
        }
    }

    /** Returns a configuration for a server on a free port of 127.0.0.1, as tests and demos want. */
    public static ServerConfig localhost(Path dataDir, String token) {
        return new ServerConfig(DEFAULT_BIND, 0, dataDir, token);
    }
}
