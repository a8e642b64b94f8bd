package io.syncedfolder.server;

import io.syncedfolder.server.auth.BearerAuthenticator;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.JsonFileIndex;
import io.syncedfolder.server.service.CommitService;
import io.syncedfolder.server.service.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sync server: opens the data directory, index and blob store, and serves them over HTTP until
 * closed. Tests start one in-process on port 0.
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

    private final DataDir dataDir;
    private final FileIndex index;
    private final HttpApi api;
    private final String host;
    private final String scheme;
    private boolean closed;

    private SyncServer(DataDir dataDir, FileIndex index, HttpApi api, String host, String scheme) {
        this.dataDir = dataDir;
        this.index = index;
        this.api = api;
        this.host = host;
        this.scheme = scheme;
    }

    /**
     * Opens the data directory and starts serving.
     *
     * @throws IOException if the data directory cannot be used (also: a corrupt index, another server on it)
     *                     or the address cannot be bound; the message says which, for people
     */
    public static SyncServer start(ServerConfig config) throws IOException {
        DataDir dataDir = DataDir.open(config.dataDir());
        FileIndex index = null;
        try {
            BlobStore blobs = BlobStore.open(dataDir.blobs());
            index = JsonFileIndex.open(dataDir.namespace(DataDir.DEFAULT_NAMESPACE));
            CommitService commits = new CommitService(index, blobs, Clock.systemUTC());
            HttpApi api = HttpApi.start(config.bind(), config.port(), Limits.MAX_JSON_BODY_BYTES,
                    new BearerAuthenticator(config.token()), index, blobs, commits, config.tls());
            String scheme = config.tls() == null ? "http" : "https";
            LOG.info("serving {} on {}:{} ({})", dataDir.root(), config.bind(), api.port(), scheme);
            return new SyncServer(dataDir, index, api, connectableHost(config.bind()), scheme);
        } catch (IOException | RuntimeException e) {
            closeQuietly(index, e);
            closeQuietly(dataDir, e);
            throw e;
        }
    }

    /** Returns the host a local client can reach the server at: a wildcard address means every interface. */
    private static String connectableHost(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.isEmpty()) {
            return "127.0.0.1";
        }
        return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }

    private static void closeQuietly(AutoCloseable closeable, Exception failure) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** Returns the port the server listens on (the actual one if 0 was asked for). */
    public int port() {
        return api.port();
    }

    /** Returns the URL a client on this machine uses, e.g. {@code http://127.0.0.1:8080} (https with TLS). */
    public String baseUrl() {
        return scheme + "://" + host + ":" + port();
    }

    /** Returns what the server has answered so far (see {@link ServerStats}); safe to call from any thread. */
    public ServerStats stats() {
        return api.stats();
    }

    /**
     * Answers every pending long poll at once (so clients reconnect and shutdown does not wait up to a minute),
     * stops the HTTP server, then closes the index (after a commit in progress is written) and unlocks the data
     * directory. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            api.close();
        } finally {
            try {
                try {
                    index.close();
                } finally {
                    dataDir.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not close the data directory " + dataDir.root(), e);
            }
        }
        LOG.info("stopped serving {}", dataDir.root());
    }
}
