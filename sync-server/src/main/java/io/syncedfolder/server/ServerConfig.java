package io.syncedfolder.server;

import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.tls.TlsIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a {@link SyncServer}.
 *
 * @param bind       the address to listen on
 * @param port       the TCP port, 0 for any free one
 * @param dataDir    where the index and blobs live; created if missing
 * @param token      the single bearer token of user {@code default} (single-user mode), or null to accept only
 *                   the accounts of {@code users.json}; with both, the token is user {@code default} beside them
 * @param retention  which earlier versions of each file are kept
 * @param gcGrace    how long after its last upload a blob no kept version refers to is still kept
 * @param gcInterval how often unreferenced blobs are collected
 * @param tls        the certificate and key to serve HTTPS with, or null for plain HTTP
 */
public record ServerConfig(String bind, int port, Path dataDir, String token, RetentionPolicy retention,
                           Duration gcGrace, Duration gcInterval, TlsIdentity tls) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final Duration DEFAULT_GC_GRACE = Duration.ofHours(24);
    public static final Duration DEFAULT_GC_INTERVAL = Duration.ofMinutes(60);
    /** Why a server without a token and without users does not start, and what to do. */
    public static final String NO_TOKEN_NO_USERS = "no access token and no users: start with --token SECRET"
            + " (or set SYNC_TOKEN) for a single user, or add users with `sync-server user add NAME --data DIR`";

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(gcGrace, "gcGrace");
        Objects.requireNonNull(gcInterval, "gcInterval");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the access token must not be blank");
        }
        if (gcGrace.isNegative() || gcInterval.isNegative() || gcInterval.isZero()) {
            throw new IllegalArgumentException("the collection grace period and interval must be positive: "
                    + gcGrace + ", " + gcInterval);
        }
    }

    /** Returns a plain-HTTP configuration with the default retention and collection settings. */
    public ServerConfig(String bind, int port, Path dataDir, String token) {
        this(bind, port, dataDir, token, RetentionPolicy.DEFAULT, DEFAULT_GC_GRACE, DEFAULT_GC_INTERVAL, null);
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

    /** Returns this configuration with another retention policy. */
    public ServerConfig withRetention(RetentionPolicy policy) {
        return new ServerConfig(bind, port, dataDir, token, policy, gcGrace, gcInterval, tls);
    }

    /** Returns this configuration with another collection grace period and interval. */
    public ServerConfig withCollection(Duration grace, Duration interval) {
        return new ServerConfig(bind, port, dataDir, token, retention, grace, interval, tls);
    }

    /** Returns this configuration serving HTTPS with {@code identity} (null: plain HTTP). */
    public ServerConfig withTls(TlsIdentity identity) {
        return new ServerConfig(bind, port, dataDir, token, retention, gcGrace, gcInterval, identity);
    }
}
