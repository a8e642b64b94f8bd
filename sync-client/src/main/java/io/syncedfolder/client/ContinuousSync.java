package io.syncedfolder.client;

import io.syncedfolder.client.remote.ServerException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder in sync until stopped: a pass every interval; when the server is unreachable it says so
 * once and retries with capped exponential backoff, then catches up when the server is back.
 */
final class ContinuousSync {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousSync.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final SyncLoop loop;
    private final Duration interval;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ContinuousSync(SyncLoop loop, Duration interval) {
        this.loop = loop;
        this.interval = interval;
    }

    /** Runs passes until {@link #stop()}; returns 1 if the server refused this client's token, else 0. */
    int run() throws InterruptedException {
        Duration wait = interval;
        boolean failing = false;
        while (stopped.getCount() > 0) {
            try {
                PassResult result = loop.runPass();
                if (failing) {
                    LOG.info("connected to the server again");
                    failing = false;
                }
                if (result.inSync() && result.changes() > 0) {
                    LOG.info("in sync");
                }
                wait = interval;
            } catch (ServerException e) {
                if (e.status() == 401) {
                    LOG.error("stopping: {}", e.getMessage());
                    return 1;
                }
                wait = backOff(wait, e, failing);
                failing = true;
            } catch (IOException e) {
                wait = backOff(wait, e, failing);
                failing = true;
            }
            stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        return 0;
    }

    void stop() {
        stopped.countDown();
    }

    private Duration backOff(Duration previous, IOException e, boolean alreadyFailing) {
        Duration next = alreadyFailing ? previous.multipliedBy(2) : interval;
        if (next.compareTo(MAX_BACKOFF) > 0) {
            next = MAX_BACKOFF;
        }
        if (!alreadyFailing) {
            LOG.warn("sync paused: {}; retrying (every {} s at most)", e.getMessage(), MAX_BACKOFF.toSeconds());
        }
        // Jitter, so many clients do not retry in lockstep after an outage.
        long jitter = (long) (next.toMillis() * 0.2 * Math.random());
        return next.plusMillis(jitter);
    }
}
