package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.exec.DiskHook;
import io.syncedfolder.client.remote.ServerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the deterministic {@link Simulation}: seeds 1 to {@value #DEFAULT_SEEDS} by default,
 * {@code -Dsim.seeds=N} runs N seeds (from {@code -Dsim.first=F}, default 1), {@code -Dsim.seed=S} replays seed S
 * alone, {@code -Dsim.steps=N} makes each run longer. Every seed is printed; a failure names its seed and the
 * events that led to it. The bugs the simulation found are pinned below, each by a small test of its own.
 */
class SimulationTest {
    static final int DEFAULT_SEEDS = 100;
    private static final Map<String, Integer> FAULTS = new TreeMap<>();
    private static int runs;
    private static int passes;

    static LongStream seeds() {
        String one = System.getProperty("sim.seed");
        if (one != null) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        long first = Long.getLong("sim.first", 1);
        return LongStream.range(first, first + Integer.getInteger("sim.seeds", DEFAULT_SEEDS));
    }

    @ParameterizedTest(name = "sim seed {0}")
    @MethodSource("seeds")
    void invariantsHoldUnderFaultsAndClientsConverge(long seed, @TempDir Path temp) throws IOException {
        System.out.println("sim seed " + seed + " (replay with -Dsim.seed=" + seed + ")");
        Simulation.Result result = new Simulation(seed, temp).run();
        System.out.println("sim seed " + seed + ": " + result.clients() + " clients, " + result.passes()
                + " passes, faults " + result.faults());
        synchronized (FAULTS) {
            runs++;
            passes += result.passes();
            result.faults().forEach((fault, n) -> FAULTS.merge(fault, n, Integer::sum));
        }
    }

    @Test
    void aSeedReplaysExactly(@TempDir Path first, @TempDir Path second) throws IOException {
        Simulation.Result one = new Simulation(42, first).run();
        Simulation.Result again = new Simulation(42, second).run();
        assertThat(again.trace()).isEqualTo(one.trace());
        assertThat(one.faults()).isNotEmpty();
    }

    /**
     * Sim seed 52: a user deleted a folder that the pass had just downloaded into; flushing that folder's entries
     * at the end of the pass then failed with "no such file", so the whole pass failed (exit code 1) although
     * every action had succeeded, and what it had done was not saved.
     */
    @Test
    void aFolderDeletedAfterADownloadIntoItDoesNotFailThePass(@TempDir Path temp) throws IOException {
        try (TestWorld world = new TestWorld(temp)) {
            world.client("alice").write("x/a.txt", "a").write("y/b.txt", "b").sync();
            Path folder = temp.resolve("bob");
            List<Path> renamed = new ArrayList<>();
            DiskHook deleteEarlierFolder = (step, path) -> {
                if (step == DiskHook.Step.RENAME_INTO_PLACE) {
                    if (!renamed.isEmpty()) {
                        deleteTree(renamed.get(0).getParent()); // the user removes the folder of the first download
                    }
                    renamed.add(path);
                }
            };
            try (ServerClient http = new ServerClient(world.server.url(), TestServer.TOKEN);
                 SyncLoop bob = SyncLoop.open(new ClientConfig(world.server.url(), TestServer.TOKEN, folder, "bob",
                         Duration.ofSeconds(5)), http, Clock.systemUTC(), deleteEarlierFolder)) {
                PassResult result = bob.runPass();

                assertThat(renamed).hasSize(2);
                assertThat(result.problems()).isEmpty();
                assertThat(result.inSync()).isTrue();
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @AfterAll
    static void summary() {
        System.out.println("simulation: " + runs + " seed(s), " + passes + " passes, injected faults " + FAULTS);
    }
}
