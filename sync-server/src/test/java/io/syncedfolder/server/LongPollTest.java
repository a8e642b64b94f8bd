package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.ErrorBody;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /changes?wait=S}: the long poll that tells clients about remote changes as they happen. */
class LongPollTest extends ServerTest {
    /** Longer than any long poll, so the client never gives up first. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(70);
    /** A generous bound for "promptly", so a loaded 2-core machine does not fail the test. */
    private static final long PROMPTLY_SECONDS = 5;

    private CompletableFuture<Http.Response> poll(String query) {
        return http.getAsync(Http.CLIENT, "/api/v1/changes?" + query, CLIENT_TIMEOUT);
    }

    private CommitResponse commitDirectory(String path) throws Exception {
        Http.Response response = http.postJson("/api/v1/commit",
                new CommitRequest("laptop", List.of(Change.directory(path, 0, 1))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(CommitResponse.class);
    }

    /** Waits (at most 10 s) until {@code count} long polls are parked on the server. */
    private void awaitParked(int count) throws InterruptedException {
        awaitTrue(() -> server.stats().waitingLongPolls() == count,
                () -> "expected " + count + " parked long polls, have " + server.stats().waitingLongPolls());
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(10);
        }
    }

    private static Http.Response answered(CompletableFuture<Http.Response> poll) throws Exception {
        return poll.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void pollWithNothingNewWaitsForTheNextCommitAndAnswersWithIt() throws Exception {
        CompletableFuture<Http.Response> poll = poll("since=0&wait=30");
        awaitParked(1);
        Thread.sleep(300);
        assertThat(poll).isNotDone();

        CommitResponse commit = commitDirectory("docs");

        Http.Response response = answered(poll);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        ChangesResponse changes = response.json(ChangesResponse.class);
        assertThat(changes.entries()).isEqualTo(commit.entries());
        assertThat(changes.cursor()).isEqualTo(commit.cursor()).isEqualTo(1);
        assertThat(changes.more()).isFalse();
        assertThat(server.stats().waitingLongPolls()).isZero();
    }

    @Test
    void pollAfterTheLatestVersionWaitsAndGetsOnlyWhatIsNew() throws Exception {
        commitDirectory("a");
        CompletableFuture<Http.Response> poll = poll("since=1&wait=30");
        awaitParked(1);

        commitDirectory("b");

        ChangesResponse changes = answered(poll).json(ChangesResponse.class);
        assertThat(changes.entries()).extracting(FileEntry::path).containsExactly("b");
        assertThat(changes.cursor()).isEqualTo(2);
    }

    @Test
    void pollWithChangesAlreadyPastSinceAnswersAtOnce() throws Exception {
        commitDirectory("a");
        commitDirectory("b");

        long start = System.nanoTime();
        Http.Response response = http.get("/api/v1/changes?since=1&wait=60");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(PROMPTLY_SECONDS));
        assertThat(response.status()).isEqualTo(200);
        ChangesResponse changes = response.json(ChangesResponse.class);
        assertThat(changes.entries()).extracting(FileEntry::path).containsExactly("b");
        assertThat(changes.cursor()).isEqualTo(2);
        assertThat(server.stats().waitingLongPolls()).isZero();
    }

    @Test
    void pollThatTimesOutAnswersEmptyWithTheCurrentSequence() throws Exception {
        commitDirectory("a");

        long start = System.nanoTime();
        Http.Response response = answered(poll("since=1&wait=1"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json(ChangesResponse.class)).usingRecursiveComparison().ignoringFields("indexId").isEqualTo(new ChangesResponse(1, false, List.of()));
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(PROMPTLY_SECONDS));
        assertThat(server.stats().waitingLongPolls()).isZero();
    }

    @Test
    void waitZeroOrAbsentAnswersAtOnceAsBefore() throws Exception {
        assertThat(http.get("/api/v1/changes?since=0&wait=0").json(ChangesResponse.class))
                .usingRecursiveComparison().ignoringFields("indexId").isEqualTo(new ChangesResponse(0, false, List.of()));
        assertThat(http.get("/api/v1/changes?since=0").json(ChangesResponse.class))
                .usingRecursiveComparison().ignoringFields("indexId").isEqualTo(new ChangesResponse(0, false, List.of()));
    }

    @Test
    void twoHundredPollsWaitWithoutAThreadEachAndAllHearOneCommit() throws Exception {
        int polls = 200;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Our own client with two threads: the default one would start a thread per answer and blur the count.
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();
            assertThat(http.getAsync(client, "/api/v1/changes?since=0", CLIENT_TIMEOUT).get(5, TimeUnit.SECONDS)
                    .status()).isEqualTo(200);
            int before = threads.getThreadCount();

            // Ten at a time: Jetty's pool grows with a burst of new connections (and keeps the idle threads for a
            // minute), whatever the requests then do; small bursts keep that apart from what is measured here.
            List<CompletableFuture<Http.Response>> waiting = new ArrayList<>();
            while (waiting.size() < polls) {
                for (int i = 0; i < 10; i++) {
                    waiting.add(http.getAsync(client, "/api/v1/changes?since=0&wait=30", CLIENT_TIMEOUT));
                }
                awaitParked(waiting.size());
            }
            int during = threads.getThreadCount();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);

            CommitResponse commit = commitDirectory("shared");

            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Http.Response> poll : waiting) {
                Http.Response response = poll.join();
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                assertThat(response.json(ChangesResponse.class).entries()).isEqualTo(commit.entries());
            }
            assertThat(during - before).as("threads added while %d polls wait (%d before, %d during)",
                    polls, before, during).isLessThan(50);
            assertThat(server.stats().waitingLongPolls()).isZero();
        } finally {
            clientThreads.shutdownNow();
        }
    }

    @Test
    void closingTheServerAnswersPendingPollsAtOnce() throws Exception {
        CompletableFuture<Http.Response> first = poll("since=0&wait=60");
        CompletableFuture<Http.Response> second = poll("since=0&wait=60");
        awaitParked(2);

        long start = System.nanoTime();
        server.close();

        for (CompletableFuture<Http.Response> poll : List.of(first, second)) {
            Http.Response response = answered(poll);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.json(ChangesResponse.class)).usingRecursiveComparison().ignoringFields("indexId").isEqualTo(new ChangesResponse(0, false, List.of()));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(PROMPTLY_SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait=-1", "wait=abc", "wait=", "wait=1.5", "wait=-99999999999999999999"})
    void badWaitIs400(String query) throws Exception {
        Http.Response response = http.get("/api/v1/changes?since=0&" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("bad request");
        assertThat(response.json(ErrorBody.class).detail()).startsWith("wait must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999", "99999999999999999999"})
    void waitAboveTheMaximumIsCutNotRefused(String wait) throws Exception {
        CompletableFuture<Http.Response> poll = poll("since=0&wait=" + wait);
        awaitParked(1);

        commitDirectory("a");

        Http.Response response = answered(poll);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json(ChangesResponse.class).entries()).extracting(FileEntry::path).containsExactly("a");
    }

    @Test
    void statsCountChangeRequestsLongPollsIncluded() throws Exception {
        http.get("/api/v1/changes?since=0");
        answered(poll("since=0&wait=1"));
        http.get("/api/v1/changes?since=-1");

        assertThat(server.stats().changeRequests()).isEqualTo(3);
    }
}
