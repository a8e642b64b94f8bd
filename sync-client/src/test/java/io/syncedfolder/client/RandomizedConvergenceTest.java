package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three clients make random changes (create, modify, delete, rename, mkdir, concurrent edits) and sync in
 * random order with random restarts and commits that race other clients. Afterwards every folder must be
 * identical, and every content that was in a folder when its client started a pass must still exist: in a
 * folder (as the file or a conflict copy) or on the server.
 *
 * <p>Each seed is printed; to replay a failure, run with {@code -Dconvergence.seeds=SEED}. To explore,
 * {@code -Dconvergence.random=N} adds N fresh random seeds.
 */
class RandomizedConvergenceTest {
    private static final int OPERATIONS = 320;
    private static final String[] DIRS = {"", "docs", "docs/deep", "photos", "Ünïcødé"};
    private static final String[] NAMES = {"a.txt", "b.txt", "report.doc", "notes.md", "日本語.txt", "x"};

    @TempDir
    Path temp;

    static LongStream seeds() {
        String fixed = System.getProperty("convergence.seeds", "1,20261122,777");
        LongStream chosen = Arrays.stream(fixed.split(",")).map(String::trim).mapToLong(Long::parseLong);
        int extra = Integer.getInteger("convergence.random", 0);
        return LongStream.concat(chosen, new Random().longs(extra));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperationsConvergeWithoutLosingContent(long seed) throws IOException {
        System.out.println("RandomizedConvergenceTest seed = " + seed);
        Random random = new Random(seed);
        Map<String, String> mustSurvive = new HashMap<>(); // content hash -> where it was seen
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            List<TestClient> clients = new ArrayList<>();
            for (String name : List.of("alice", "bob", "carol")) {
                clients.add(new TestClient(name, temp.resolve(name), server));
            }
            try {
                for (int op = 0; op < OPERATIONS; op++) {
                    TestClient client = clients.get(random.nextInt(clients.size()));
                    int kind = random.nextInt(100);
                    System.out.printf("op %d: %s kind %d%n", op, client.name, kind);
                    if (kind < 25) {
                        syncRecording(client, clients, random, mustSurvive);
                    } else if (kind < 45) {
                        write(client, randomPath(random), content(random, seed, op));
                    } else if (kind < 60) {
                        String text = content(random, seed, -op);
                        existingFile(client, random).ifPresent(p -> write(client, p, text));
                    } else if (kind < 70) {
                        existingFile(client, random).ifPresent(p -> delete(client, p));
                    } else if (kind < 78) {
                        existingFile(client, random).ifPresent(p -> rename(client, p, randomPath(random)));
                    } else if (kind < 84) {
                        mkdir(client, DIRS[1 + random.nextInt(DIRS.length - 1)] + "/new-" + random.nextInt(3));
                    } else if (kind < 88) {
                        existingDir(client, random).ifPresent(p -> delete(client, p));
                    } else if (kind < 94) {
                        // The same file edited on two clients before either syncs.
                        String path = randomPath(random);
                        for (TestClient other : clients) {
                            if (random.nextBoolean()) {
                                write(other, path, content(random, seed, op * 7 + other.name.length()));
                            }
                        }
                    } else {
                        client.restart();
                    }
                }
                // The final rounds: everyone syncs until nobody has anything left to do.
                for (int round = 0; round < 3; round++) {
                    for (TestClient client : clients) {
                        recordContents(client, mustSurvive);
                        client.sync();
                    }
                }

                Map<String, String> expected = clients.get(0).tree();
                for (TestClient client : clients) {
                    assertThat(client.tree()).as("%s's folder (seed %d)", client.name, seed).isEqualTo(expected);
                }
                Set<String> live = new HashSet<>(expected.values());
                mustSurvive.forEach((sha, seenAt) -> assertThat(live.contains(sha) || server.holdsBlob(sha))
                        .as("content of %s survives somewhere (seed %d)", seenAt, seed).isTrue());
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
        }
    }

    /** Syncs a client; sometimes another client syncs in the window between its plan and its commit. */
    private static void syncRecording(TestClient client, List<TestClient> clients, Random random, Map<String, String> mustSurvive)
            throws IOException {
        recordContents(client, mustSurvive);
        if (random.nextInt(4) == 0) {
            TestClient other = clients.get(random.nextInt(clients.size()));
            if (other != client) {
                client.loop().beforeExecute(() -> {
                    recordContents(other, mustSurvive);
                    try {
                        other.sync();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        try {
            client.sync();
        } finally {
            client.loop().beforeExecute(() -> { });
        }
    }

    private static void recordContents(TestClient client, Map<String, String> mustSurvive) {
        System.out.println("pass of " + client.name + " starts with " + client.tree().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().substring(0, Math.min(8, e.getValue().length()))).toList());
        client.tree().forEach((path, sha) -> {
            if (!sha.equals("dir")) {
                mustSurvive.putIfAbsent(sha, client.name + ":" + path + " (sha " + sha.substring(0, 8) + ")");
            }
        });
    }

    private static String randomPath(Random random) {
        String dir = DIRS[random.nextInt(DIRS.length)];
        String name = NAMES[random.nextInt(NAMES.length)];
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static String content(Random random, long seed, int op) {
        return "seed " + seed + " op " + op + " " + Long.toHexString(random.nextLong()) + "\n".repeat(random.nextInt(5));
    }

    private static java.util.Optional<String> existingFile(TestClient client, Random random) {
        List<String> files = client.tree().entrySet().stream().filter(e -> !e.getValue().equals("dir"))
                .map(Map.Entry::getKey).toList();
        return files.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(files.get(random.nextInt(files.size())));
    }

    private static java.util.Optional<String> existingDir(TestClient client, Random random) {
        List<String> dirs = client.tree().entrySet().stream().filter(e -> e.getValue().equals("dir"))
                .map(Map.Entry::getKey).toList();
        return dirs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(dirs.get(random.nextInt(dirs.size())));
    }

    private static void write(TestClient client, String path, String content) {
        try {
            client.write(path, content);
        } catch (IOException e) {
            // The path runs through a file (e.g. "x" is a file and the path is "x/..."): skip this operation.
        }
    }

    private static void mkdir(TestClient client, String path) {
        try {
            Files.createDirectories(client.path(path));
        } catch (IOException e) {
            // A file stands where a folder is needed: skip this operation.
        }
    }

    private static void delete(TestClient client, String path) {
        try {
            client.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rename(TestClient client, String from, String to) {
        Path target = client.path(to);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Files.move(client.path(from), target);
        } catch (IOException e) {
            // A file stands where a folder is needed: skip this operation.
        }
    }
}
