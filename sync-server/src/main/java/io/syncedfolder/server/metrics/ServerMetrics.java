package io.syncedfolder.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncedfolder.server.ServerStats;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The server's metrics in Prometheus' text format: HTTP requests by route, method and status (with their
 * durations), and the sync counters and gauges of {@link ServerStats}, the index and the blob store.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Supplier<ServerStats> stats = () -> null;
    /** The server's counts as of the scrape in progress: read once, so one scrape's figures agree. */
    private volatile ServerStats scraped;

    /** Counts one answered HTTP request; {@code route} is the matched route pattern, never the raw path. */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by route pattern, method and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry)
                .record(took);
    }

    /**
     * Exposes the server's counts (read when scraped), the number of paths in the index (tombstones included) and
     * what the blob store holds.
     */
    public void bind(Supplier<ServerStats> stats, LongSupplier indexEntries, BlobCensus blobs) {
        this.stats = stats;
        counter("sync.commit.requests", "commit requests, whatever their answer", ServerStats::commitRequests);
        counter("sync.commits.accepted", "commits applied", ServerStats::acceptedCommits);
        counter("sync.commits.conflicts", "commits refused with 409: another device changed the path first",
                ServerStats::staleCommits);
        counter("sync.commits.missing.blobs", "commits refused with 422: content not uploaded yet",
                ServerStats::missingBlobCommits);
        counter("sync.bytes.received", "chunk bytes received in uploads", ServerStats::chunkBytesReceived);
        counter("sync.bytes.sent", "chunk bytes sent in downloads", ServerStats::chunkBytesSent);
        counter("sync.blob.uploads", "single-chunk uploads", ServerStats::blobUploads);
        counter("sync.pack.uploads", "packed chunk uploads", ServerStats::packUploads);
        counter("sync.pack.fetches", "packed chunk downloads", ServerStats::packFetches);
        counter("sync.delta.fetches", "chunks sent as deltas against a chunk the client has",
                ServerStats::deltaFetches);
        counter("sync.delta.bytes.sent", "bytes of the deltas sent", ServerStats::deltaBytesSent);
        counter("sync.delta.uploads", "chunks received as deltas and stored", ServerStats::deltaUploads);
        counter("sync.delta.bytes.received", "bytes of the deltas received", ServerStats::deltaBytesReceived);
        counter("sync.change.requests", "change-feed requests, long polls included", ServerStats::changeRequests);
        counter("sync.restores", "versions restored", ServerStats::restores);
        counter("sync.gc.runs", "garbage collections run", ServerStats::gcRuns);
        counter("sync.gc.blobs.deleted", "blobs deleted by garbage collection", ServerStats::gcBlobsDeleted);
        // Micrometer holds what a meter reads only weakly; this object lives as long as the server, so they read it.
        Gauge.builder("sync.long.poll.waiters", this, metrics -> metrics.scraped.waitingLongPolls())
                .description("long polls waiting for a change right now").register(registry);
        Gauge.builder("sync.index.entries", this, metrics -> indexEntries.getAsLong())
                .description("paths in the index, deleted ones (tombstones) included").register(registry);
        Gauge.builder("sync.blobs.stored", this, metrics -> blobs.count().blobs())
                .description("chunks in the blob store").register(registry);
        Gauge.builder("sync.blob.bytes.stored", this, metrics -> blobs.count().bytes())
                .description("bytes in the blob store").register(registry);
    }

    private void counter(String name, String description, ToLongFunction<ServerStats> read) {
        FunctionCounter.builder(name, this, metrics -> read.applyAsLong(metrics.scraped)).description(description)
                .register(registry);
    }

    /** Returns every metric in Prometheus' text exposition format. */
    public synchronized String scrape() {
        scraped = stats.get();
        return registry.scrape();
    }

    /** The media type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
