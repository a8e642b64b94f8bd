package io.syncedfolder.server;

import io.syncedfolder.server.tls.TlsIdentity;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a {@link SyncServer}.
 *
 * @param bind    the address to listen on
 * @param port    the TCP port, 0 for any free one
 * @param dataDir where the index and blobs live; created if missing
 * @param token   the single bearer token every API request must carry
 * @param tls     the certificate and key to serve HTTPS with, or null for plain HTTP
 */
public record ServerConfig(String bind, int port, Path dataDir, String token, TlsIdentity tls) {
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

    /** A plain-HTTP server. */
    public ServerConfig(String bind, int port, Path dataDir, String token) {
        this(bind, port, dataDir, token, null);
    }

    /** Returns the settings without the token, so that printing or logging them never shows it. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", tls="
                + (tls == null ? "none" : tls.fingerprint()) + "]";
    }

    /** Returns a configuration for a server on a free port of 127.0.0.1, as tests and demos want. */
    public static ServerConfig localhost(Path dataDir, String token) {
        return new ServerConfig(DEFAULT_BIND, 0, dataDir, token);
    }
}
