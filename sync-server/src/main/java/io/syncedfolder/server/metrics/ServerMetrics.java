package io.syncedfolder.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncedfolder.server.ServerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The server's metrics in Prometheus' text format: HTTP requests by route, method and status (with their
 * durations), and the sync counters and gauges of {@link ServerStats}, the index and the blob store.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** What the meters read: Micrometer holds these only weakly, so they are kept here. */
    private final List<Object> sources = new ArrayList<>();

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
        sources.addAll(List.of(stats, indexEntries, blobs));
        counter("sync.commit.requests", "commit requests, whatever their answer", stats, ServerStats::commitRequests);
        counter("sync.commits.accepted", "commits applied", stats, ServerStats::acceptedCommits);
        counter("sync.commits.conflicts", "commits refused with 409: another device changed the path first", stats,
                ServerStats::staleCommits);
        counter("sync.commits.missing.blobs", "commits refused with 422: content not uploaded yet", stats,
                ServerStats::missingBlobCommits);
        counter("sync.bytes.received", "chunk bytes received in uploads", stats, ServerStats::chunkBytesReceived);
        counter("sync.bytes.sent", "chunk bytes sent in downloads", stats, ServerStats::chunkBytesSent);
        counter("sync.blob.uploads", "single-chunk uploads", stats, ServerStats::blobUploads);
        counter("sync.pack.uploads", "packed chunk uploads", stats, ServerStats::packUploads);
        counter("sync.pack.fetches", "packed chunk downloads", stats, ServerStats::packFetches);
        counter("sync.change.requests", "change-feed requests, long polls included", stats, ServerStats::changeRequests);
        counter("sync.restores", "versions restored", stats, ServerStats::restores);
        counter("sync.gc.runs", "garbage collections run", stats, ServerStats::gcRuns);
        counter("sync.gc.blobs.deleted", "blobs deleted by garbage collection", stats, ServerStats::gcBlobsDeleted);
        Gauge.builder("sync.long.poll.waiters", stats, s -> s.get().waitingLongPolls())
                .description("long polls waiting for a change right now").register(registry);
        Gauge.builder("sync.index.entries", indexEntries, LongSupplier::getAsLong)
                .description("paths in the index, deleted ones (tombstones) included").register(registry);
        Gauge.builder("sync.blobs.stored", blobs, census -> census.count().blobs())
                .description("chunks in the blob store").register(registry);
        Gauge.builder("sync.blob.bytes.stored", blobs, census -> census.count().bytes())
                .description("bytes in the blob store").register(registry);
    }

    private void counter(String name, String description, Supplier<ServerStats> stats, ToLongFunction<ServerStats> read) {
        FunctionCounter.builder(name, stats, s -> read.applyAsLong(s.get())).description(description).register(registry);
    }

    /** Returns every metric in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The media type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
