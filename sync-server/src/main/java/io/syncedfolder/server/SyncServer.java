package io.syncedfolder.server;

import io.syncedfolder.server.auth.AuthThrottle;
import io.syncedfolder.server.auth.Authenticator;
import io.syncedfolder.server.auth.UserDirectory;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.metrics.BlobCensus;
import io.syncedfolder.server.metrics.ServerMetrics;
import io.syncedfolder.server.service.BlobCollector;
import io.syncedfolder.server.service.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sync server: opens the data directory, the namespaces (one per user) and the shared blob store, and
 * serves them over HTTP until closed, collecting unreferenced blobs in the background every {@link ServerConfig#gcInterval()}. Tests start one
 * in-process on port 0.
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

    private final DataDir dataDir;
    private final Namespaces namespaces;
    private final BlobStore blobs;
    private final HttpApi api;
    private final BlobCollector collector;
    private final ScheduledExecutorService background;
    private final String host;
    private final String scheme;
    private boolean closed;

    private SyncServer(DataDir dataDir, Namespaces namespaces, BlobStore blobs, HttpApi api, BlobCollector collector,
                       ScheduledExecutorService background, String host, String scheme) {
        this.dataDir = dataDir;
        this.namespaces = namespaces;
        this.blobs = blobs;
        this.api = api;
        this.collector = collector;
        this.background = background;
        this.host = host;
        this.scheme = scheme;
    }

    /**
     * Opens the data directory and starts serving.
     *
     * @throws IOException if the data directory cannot be used (also: a corrupt index or users file, another server
     *                     on it, no token and no users) or the address cannot be bound; the message says which, for
     *                     people
     */
    public static SyncServer start(ServerConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /**
     * Opens the data directory and starts serving, taking every time it records or compares (commit times,
     * retention, the collection's grace period) from {@code clock}.
     */
    public static SyncServer start(ServerConfig config, Clock clock) throws IOException {
        return start(config, clock, AuthThrottle.standard());
    }

    /** Starts serving with {@code throttle} counting failed sign-ins (tests that fail on purpose want a looser one). */
    static SyncServer start(ServerConfig config, Clock clock, AuthThrottle throttle) throws IOException {
        DataDir dataDir = DataDir.open(config.dataDir());
        Namespaces namespaces = null;
        try {
            UserDirectory users = UserDirectory.open(dataDir.root());
            if (config.token() == null && users.current().isEmpty()) {
                throw new IOException(ServerConfig.NO_TOKEN_NO_USERS);
            }
            BlobStore blobs = BlobStore.open(dataDir.blobs(), clock);
            namespaces = Namespaces.open(dataDir, blobs, config.retention(), clock);
            if (config.token() != null) {
                namespaces.get(DataDir.DEFAULT_NAMESPACE);
            }
            BlobCollector collector = new BlobCollector(namespaces::indexes, blobs, namespaces.gate(), clock,
                    config.gcGrace());
            ServerMetrics metrics = new ServerMetrics();
            HttpApi api = HttpApi.start(config.bind(), config.port(), Limits.MAX_JSON_BODY_BYTES,
                    new Authenticator(config.token(), users), throttle, namespaces, blobs, metrics,
                    collector::totals, config.tls());
            metrics.bind(api::stats, namespaces::entries, new BlobCensus(blobs, clock));
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "blob-collector");
                thread.setDaemon(true);
                return thread;
            });
            long every = config.gcInterval().toMillis();
            background.scheduleWithFixedDelay(() -> collectQuietly(collector), every, every, TimeUnit.MILLISECONDS);
            String scheme = config.tls() == null ? "http" : "https";
            LOG.info("serving {} on {}:{} ({})", dataDir.root(), config.bind(), api.port(), scheme);
            return new SyncServer(dataDir, namespaces, blobs, api, collector, background,
                    connectableHost(config.bind()), scheme);
        } catch (IOException | RuntimeException e) {
            closeQuietly(namespaces, e);
            closeQuietly(dataDir, e);
            throw e;
        }
    }

    /** Runs a scheduled collection; a failure is logged and the next run tries again. */
    private static void collectQuietly(BlobCollector collector) {
        try {
            collector.collect();
        } catch (IOException | RuntimeException e) {
            LOG.warn("garbage collection failed; the next run tries again: {}", e.toString());
        }
    }

    /**
     * Runs a garbage collection now, as the background task does every {@link ServerConfig#gcInterval()}: drops
     * the earlier versions the retention policy no longer keeps, then deletes the blobs nothing kept refers to.
     */
    public BlobCollector.Result collectGarbage() throws IOException {
        return collector.collect();
    }

    /** Returns the host a local client can reach the server at: a wildcard address means every interface. */
    private static String connectableHost(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.isEmpty()) {
            return "127.0.0.1";
        }
        return hostForUrl(bind);
    }

    /** Returns {@code host} as a URL names it: an IPv6 address in brackets. */
    static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
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

    /** Returns the blob store every user's content is in, for reading what it holds. */
    public BlobStore blobs() {
        return blobs;
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
            stopBackground();
            api.close();
        } finally {
            try {
                try {
                    namespaces.close();
                } finally {
                    dataDir.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not close the data directory " + dataDir.root(), e);
            }
        }
        LOG.info("stopped serving {}", dataDir.root());
    }

    /** Stops scheduling collections and waits a while for one in progress; its deletes are each complete. */
    private void stopBackground() {
        background.shutdownNow();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a garbage collection is still running; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
