package io.syncedfolder.client;

import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.client.watch.ChangeListener;
import io.syncedfolder.client.watch.FolderWatcher;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder in sync until stopped. Local changes arrive as file-system events, debounced (a quiet
 * period, capped so a long burst still syncs) and rescanned path by path; remote changes arrive through a
 * long poll of the server's change feed; a full rescan every interval is the safety net. When the server
 * is unreachable it says so once, retries with capped exponential backoff and jitter, and catches up with
 * a full pass when the server is back.
 */
final class ContinuousSync implements ChangeListener {
    static final long QUIET_MILLIS = 150;
    static final long MAX_DELAY_MILLIS = 1_000;
    static final int LONG_POLL_SECONDS = 30;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousSync.class);

    /** What the next pass should look at: everything, or only some paths (possibly none: remote news). */
    private record Trigger(boolean everything, Set<String> paths) {
    }

    private final SyncLoop loop;
    private final ServerClient server;
    private final Path root;
    private final long intervalMillis;

    private final Object lock = new Object();
    private final Set<String> touched = new HashSet<>();
    private boolean rescanAll = true;
    private boolean remoteNews;
    private long firstTouch;
    private long lastTouch;
    private long nextFullRescan;
    private long retryAt;
    private long recheckAt;
    private final Set<String> recheckPaths = new HashSet<>();
    private boolean stopped;

    ContinuousSync(SyncLoop loop, ServerClient server, Path root, Duration interval) {
        this.loop = loop;
        this.server = server;
        this.root = root;
        this.intervalMillis = interval.toMillis();
    }

    /** Runs passes until {@link #stop()}; returns 1 if the server refused this client's token, else 0. */
    int run() throws InterruptedException {
        FolderWatcher watcher = startWatcher();
        Thread poller = new Thread(this::pollRemote, "remote-changes");
        poller.setDaemon(true);
        poller.start();
        try {
            return passes();
        } finally {
            stop();
            poller.interrupt();
            if (watcher != null) {
                try {
                    watcher.close();
                } catch (IOException e) {
                    LOG.debug("closing the watcher failed", e);
                }
            }
        }
    }

    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    @Override
    public void touched(String path) {
        synchronized (lock) {
            long now = now();
            if (touched.isEmpty()) {
                firstTouch = now;
            }
            touched.add(path);
            lastTouch = now;
            lock.notifyAll();
        }
    }

    @Override
    public void rescanEverything(String reason) {
        LOG.debug("full rescan: {}", reason);
        synchronized (lock) {
            rescanAll = true;
            lock.notifyAll();
        }
    }

    private int passes() throws InterruptedException {
        long backoff = 0;
        long recheck = 500;
        while (true) {
            Trigger trigger = awaitTrigger();
            if (trigger == null) {
                return 0;
            }
            try {
                PassResult result = trigger.everything() ? loop.runPass() : loop.runPass(trigger.paths());
                if (backoff > 0) {
                    LOG.info("connected to the server again; in sync: {}", result.inSync());
                    backoff = 0;
                } else if (result.inSync() && result.changes() > 0) {
                    LOG.info("in sync");
                }
                if (trigger.everything()) {
                    synchronized (lock) {
                        nextFullRescan = now() + intervalMillis;
                    }
                }
                if (result.inSync()) {
                    recheck = 500;
                } else {
                    // Something was left for later (a file still being written): look again soon, then less often.
                    scheduleRecheck(recheck, loop.leftForLater());
                    recheck = Math.min(recheck * 2, intervalMillis);
                }
            } catch (ServerException e) {
                if (e.status() == 401) {
                    LOG.error("stopping: {}", e.getMessage());
                    return 1;
                }
                backoff = failed(e, backoff);
            } catch (IOException e) {
                backoff = failed(e, backoff);
            } catch (RuntimeException e) {
                // A bug, not a fault of the disk or the network: say so, and keep the folder in sync anyway.
                LOG.error("a pass failed unexpectedly; trying again with a full rescan", e);
                backoff = failed(new IOException(e.toString(), e), backoff);
            }
        }
    }

    private long failed(IOException e, long previous) {
        long next = previous == 0 ? Math.min(1_000, intervalMillis) : Math.min(previous * 2, MAX_BACKOFF_MILLIS);
        if (previous == 0) {
            LOG.warn("sync paused: {}; retrying (at least once a minute)", e.getMessage());
        }
        // Jitter, so many clients do not retry in lockstep after an outage.
        long jitter = (long) (next * 0.2 * ThreadLocalRandom.current().nextDouble());
        scheduleRetry(next + jitter, true);
        return next;
    }

    private void scheduleRetry(long afterMillis, boolean everything) {
        synchronized (lock) {
            retryAt = now() + afterMillis;
            rescanAll |= everything;
        }
    }

    private void scheduleRecheck(long afterMillis, Set<String> paths) {
        synchronized (lock) {
            recheckAt = now() + afterMillis;
            recheckPaths.addAll(paths);
        }
    }

    /** Waits for the next reason to run a pass; returns null once stopped. */
    private Trigger awaitTrigger() throws InterruptedException {
        synchronized (lock) {
            while (!stopped) {
                long now = now();
                long wakeAt = nextFullRescan;
                if (now < retryAt) {
                    lock.wait(Math.max(1, retryAt - now)); // the server is down: wait out the backoff
                    continue;
                }
                if (recheckAt > 0 && now >= recheckAt) {
                    recheckAt = 0;
                    touched.addAll(recheckPaths);
                    recheckPaths.clear();
                    return takePaths();
                }
                if (recheckAt > 0) {
                    wakeAt = Math.min(wakeAt, recheckAt);
                }
                if (rescanAll || now >= nextFullRescan) {
                    rescanAll = false;
                    remoteNews = false;
                    touched.clear();
                    return new Trigger(true, Set.of());
                }
                if (!touched.isEmpty()) {
                    long quietAt = Math.min(lastTouch + QUIET_MILLIS, firstTouch + MAX_DELAY_MILLIS);
                    if (now >= quietAt) {
                        return takePaths();
                    }
                    wakeAt = Math.min(wakeAt, quietAt);
                }
                if (remoteNews) {
                    return takePaths();
                }
                lock.wait(Math.max(1, wakeAt - now));
            }
            return null;
        }
    }

    private Trigger takePaths() {
        Set<String> paths = Set.copyOf(touched);
        touched.clear();
        remoteNews = false;
        return new Trigger(false, paths);
    }

    /** Holds one long poll open against the server and wakes the pass loop when something changed there. */
    private void pollRemote() {
        long since = loop.cursor();
        int failures = 0;
        while (!isStopped()) {
            long started = now();
            try {
                ChangesResponse answer = server.changes(since, LONG_POLL_SECONDS);
                failures = 0;
                serverReachable();
                if (!answer.entries().isEmpty() && answer.cursor() > loop.cursor()) {
                    synchronized (lock) {
                        remoteNews = true;
                        lock.notifyAll();
                    }
                }
                since = Math.max(answer.cursor(), loop.cursor());
                if (answer.entries().isEmpty() && now() - started < 1_000) {
                    pause(1_000); // a server without long polling answers at once: do not spin
                }
            } catch (IOException e) {
                failures++;
                pause(Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(failures, 6)));
                since = loop.cursor();
            }
        }
    }

    /** Ends a backoff early: the server answers again, so catch up now rather than at the next retry. */
    private void serverReachable() {
        synchronized (lock) {
            if (retryAt > now()) {
                retryAt = now();
                lock.notifyAll();
            }
        }
    }

    private void pause(long millis) {
        synchronized (lock) {
            long until = now() + millis;
            while (!stopped && now() < until) {
                try {
                    lock.wait(Math.max(1, until - now()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean isStopped() {
        synchronized (lock) {
            return stopped || Thread.currentThread().isInterrupted();
        }
    }

    private FolderWatcher startWatcher() {
        try {
            return FolderWatcher.start(root, this);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot watch {} for changes ({}); changes are found by rescans every {} s",
                    root, e.getMessage(), intervalMillis / 1000);
            return null;
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
