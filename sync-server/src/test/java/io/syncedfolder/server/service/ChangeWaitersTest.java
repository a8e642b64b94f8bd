package io.syncedfolder.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.server.index.JsonFileIndex;
import io.syncedfolder.server.service.ChangeWaiters.Wake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeWaitersTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private JsonFileIndex index;
    private ChangeWaiters waiters;
    private final List<Thread> dispatchedOn = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        index = JsonFileIndex.open(dir);
        Executor recording = task -> {
            synchronized (dispatchedOn) {
                dispatchedOn.add(Thread.currentThread());
            }
            task.run();
        };
        waiters = new ChangeWaiters(index, recording);
    }

    @AfterEach
    void close() throws IOException {
        waiters.close();
        index.close();
    }

    private void commit(String path) throws IOException {
        index.commit(List.of(Change.directory(path, 0, 1)), "test", 1);
    }

    @Test
    void aCommitWakesTheWaitersItConcernsThroughTheDispatcher() throws Exception {
        commit("a");
        CompletableFuture<Wake> atOne = waiters.await(1, LONG);
        CompletableFuture<Wake> atTwo = waiters.await(2, LONG);
        assertThat(waiters.pending()).isEqualTo(2);

        commit("b");

        assertThat(atOne).isCompletedWithValue(Wake.CHANGED);
        assertThat(atTwo).isNotDone();
        assertThat(waiters.pending()).isEqualTo(1);
        assertThat(dispatchedOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aWaiterBehindTheSequenceCompletesAtOnce() throws Exception {
        commit("a");

        assertThat(waiters.await(0, LONG)).isCompletedWithValue(Wake.CHANGED);
        assertThat(waiters.pending()).isZero();
    }

    @Test
    void aTimedOutWaiterIsForgotten() throws Exception {
        CompletableFuture<Wake> waiter = waiters.await(0, Duration.ofMillis(50));

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(Wake.TIMED_OUT);
        assertThat(waiters.pending()).isZero();
        assertThat(dispatchedOn).singleElement().extracting(Thread::getName).isEqualTo("sync-long-poll-timer");
    }

    @Test
    void aCancelledWaiterIsForgotten() {
        CompletableFuture<Wake> waiter = waiters.await(0, LONG);

        waiter.cancel(false);

        assertThat(waiters.pending()).isZero();
    }

    @Test
    void closeCompletesEveryWaiterOnTheClosingThreadAndLaterOnesAtOnce() {
        CompletableFuture<Wake> first = waiters.await(0, LONG);
        CompletableFuture<Wake> second = waiters.await(0, LONG);

        waiters.close();

        assertThat(first).isCompletedWithValue(Wake.CLOSED);
        assertThat(second).isCompletedWithValue(Wake.CLOSED);
        assertThat(waiters.await(0, LONG)).isCompletedWithValue(Wake.CLOSED);
        assertThat(waiters.pending()).isZero();
        assertThat(dispatchedOn).isEmpty();
    }

    @Test
    void afterCloseCommitsWakeNobody() throws Exception {
        waiters.close();

        commit("a");

        assertThat(dispatchedOn).isEmpty();
    }

    @Test
    void manyWaitersRacingCommitsAllWakeAndNoneIsLeft() throws Exception {
        List<CompletableFuture<Wake>> all = new ArrayList<>();
        Thread committer = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    commit("d" + i);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        committer.start();
        for (int i = 0; i < 500; i++) {
            all.add(waiters.await(Math.min(i / 10, 49), LONG));
        }
        committer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(committer.isAlive()).isFalse();
        assertThat(index.sequence()).isEqualTo(50);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(all).allSatisfy(waiter -> assertThat(waiter).isCompletedWithValue(Wake.CHANGED));
        assertThat(waiters.pending()).isZero();
    }
}
