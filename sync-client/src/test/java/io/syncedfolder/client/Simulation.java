package io.syncedfolder.client;

import io.syncedfolder.client.remote.ChangeFeed;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.client.remote.ServerUnavailableException;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileDigester;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.CommitResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One seeded run of the simulation: a real server and a few clients running the real sync loop (scanner,
 * reconciler, executor, HTTP client), driven one step at a time from one thread by simulated users, with
 * seeded faults ({@link SimFaults}) and skewed clocks ({@link SimClock}). Everything random comes from the seed,
 * so a run can be replayed exactly.
 *
 * <p>Invariants, checked after every step and between any two disk steps or requests of a pass:
 * <ul>
 *   <li>nothing outside the clients' folders changes (a sentinel folder beside them, reachable through symbolic
 *       links the users plant in their folders, stays as it was);</li>
 *   <li>every file at a final path (outside {@code .sync}) holds a complete version some user wrote;</li>
 *   <li>every change the server acknowledged is recoverable: the server holds a complete version some user
 *       wrote, and every chunk of it;</li>
 *   <li>nothing a user wrote is lost unless that user overwrote or deleted it: it is still in some folder or
 *       the server holds all of its chunks;</li>
 *   <li>a pass fails as a whole only because of the server (unreachable, refusing); local trouble is reported
 *       per file, as {@link SyncLoop#runPass()} promises.</li>
 * </ul>
 * At the end the faults stop and a bounded number of clean passes must make every folder identical to each
 * other and to the server's index.
 */
final class Simulation implements SimFaults.Observer {
    /** Steps of one run; {@code -Dsim.steps=N} explores deeper. */
    static final int STEPS = Integer.getInteger("sim.steps", 40);
    /** Clean rounds (a pass of every client) allowed for convergence once the faults stop. */
    static final int FINAL_ROUNDS = 4;
    private static final long START = Instant.parse("2026-03-01T09:00:00Z").toEpochMilli();
    /** Folders the users write into; "x" is also a file name, so a path may be a file on one side and a folder on another. */
    private static final String[] DIRS = {"", "docs", "docs/deep", "photos", "x"};
    private static final String[] NAMES = {"a.txt", "b.txt", "notes.md", "x", "Ünïcødé.txt"};
    /** Large files stay below two minimal chunks' worth beyond one, so a pass never splits its transfers. */
    private static final int LARGE_MIN = 300 * 1024;
    private static final int LARGE_MAX = 500 * 1024;

    /** What a run did, for the summary and for replay checks. */
    record Result(long seed, int clients, int passes, Map<String, Integer> faults, List<String> trace) {
    }

    /** A user wrote {@code sha256} in {@code client}'s folder and has not destroyed it there since. */
    private record Obligation(String client, String sha256) {
    }

    private final long seed;
    private final Random random;
    private final Path world;
    private final SimClock.Time time = new SimClock.Time(START);
    private final List<String> trace = new ArrayList<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    /** Every complete version any user wrote, by SHA-256. */
    private final Map<String, byte[]> written = new HashMap<>();
    private final Map<String, List<ChunkRef>> chunksOfWritten = new HashMap<>();
    private final Set<Obligation> obligations = new LinkedHashSet<>();
    /** Every file version the server accepted, by path and version. */
    private final Map<String, FileEntry> acknowledged = new LinkedHashMap<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final Map<String, Map<String, String>> lastTrees = new HashMap<>();
    /** Each file's last known stat and SHA-256, so unchanged files are not hashed again at every check. */
    private final Map<Path, String[]> hashes = new HashMap<>();
    private final Path sentinel;
    private Map<String, String> sentinelBefore;
    private TestServer server;
    private String serverUrl;
    private int serverBackAtStep = -1;
    private int step;
    private int passes;
    private boolean usersIdle;

    Simulation(long seed, Path temp) throws IOException {
        this.seed = seed;
        this.random = new Random(seed);
        this.world = temp.toRealPath();
        this.sentinel = world.resolve("outside");
    }

    /** Runs the whole simulation; an {@link AssertionError} names the seed and the last steps. */
    Result run() throws IOException {
        try {
            setUp();
            for (step = 0; step < STEPS; step++) {
                step();
                checkInvariants("after step " + step, clients);
                trace.add("  trees " + clients.stream().map(c -> c.name + "=" + digest(lastTrees.get(c.name)))
                        .collect(Collectors.joining(" ")));
            }
            convergeOnceFaultsStop();
            return new Result(seed, clients.size(), passes, Map.copyOf(faults), List.copyOf(trace));
        } catch (AssertionError | RuntimeException | IOException e) {
            throw new AssertionError("sim seed " + seed + " (replay with -Dsim.seed=" + seed + "): " + e.getMessage()
                    + "\nlast events:\n" + String.join("\n", trace.subList(Math.max(0, trace.size() - 40), trace.size())), e);
        } finally {
            tearDown();
        }
    }

    // ---- world --------------------------------------------------------------------------------------------

    private void setUp() throws IOException {
        Files.createDirectories(sentinel.resolve("inner"));
        Files.writeString(sentinel.resolve("keep.txt"), "outside every synced folder\n");
        Files.writeString(sentinel.resolve("inner/a.txt"), "must never change\n");
        sentinelBefore = snapshot(sentinel);
        server = new TestServer(world.resolve("server"));
        serverUrl = server.url();
        SimFaults.Rates rates = SimFaults.Rates.drawn(random);
        int count = 2 + random.nextInt(2);
        for (String name : List.of("alice", "bob", "carol").subList(0, count)) {
            long skew = (random.nextInt(601) - 300) * 1_000L; // up to five minutes either way
            SimClient client = new SimClient(name, world.resolve(name), new SimClock(time, skew),
                    new SimFaults(name, world, random, time, rates, this));
            client.open();
            clients.add(client);
            trace.add(name + " clock skew " + skew / 1000 + " s");
        }
        trace.add("fault rates " + rates);
    }

    private void tearDown() {
        for (SimClient client : clients) {
            client.closeQuietly();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One simulated client: a folder, a clock, its faults, and the real client on them. */
    private final class SimClient {
        final String name;
        final Path folder;
        final SimClock clock;
        final SimFaults faults;
        private ServerClient http;
        private SyncLoop loop;

        SimClient(String name, Path folder, SimClock clock, SimFaults faults) {
            this.name = name;
            this.folder = folder;
            this.clock = clock;
            this.faults = faults;
        }

        void open() throws IOException {
            http = new ServerClient(serverUrl, TestServer.TOKEN, null, List.of(faults));
            loop = SyncLoop.open(new ClientConfig(serverUrl, TestServer.TOKEN, folder, name, Duration.ofSeconds(5)),
                    http, clock, faults);
        }

        /** Closes what a killed process would leave behind (its lock, its sockets) and opens it from disk. */
        void reopen() throws IOException {
            closeQuietly();
            faults.revive();
            open();
        }

        void closeQuietly() {
            try {
                loop.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                http.close();
            }
        }
    }

    // ---- steps --------------------------------------------------------------------------------------------

    private void step() throws IOException {
        time.advance(200 + random.nextInt(5_000));
        if (serverBackAtStep == step) {
            server.startAgain();
            serverBackAtStep = -1;
            trace.add(step + ": server back");
        }
        SimClient client = clients.get(random.nextInt(clients.size()));
        int kind = random.nextInt(100);
        if (kind < 38) {
            pass(client);
        } else if (kind < 78) {
            userAct(client, null);
        } else if (kind < 85) {
            String path = randomPath();
            for (SimClient other : clients) {
                if (other == client || random.nextBoolean()) {
                    writeFile(other, path, text(other), "edits the same file");
                }
            }
        } else if (kind < 89) {
            trace.add(step + ": " + client.name + " restarts");
            client.reopen();
        } else if (kind < 92) {
            if (serverBackAtStep < 0) {
                server.stop();
                serverBackAtStep = step + 1 + random.nextInt(4);
                trace.add(step + ": server down until step " + serverBackAtStep);
            }
        } else if (kind < 94) {
            plantLink(client);
        } else {
            long minutes = 1 + random.nextInt(120);
            time.advance(minutes * 60_000);
            trace.add(step + ": " + minutes + " minutes pass");
        }
    }

    private void pass(SimClient client) throws IOException {
        passes++;
        client.faults.arm(true);
        try {
            PassResult result = client.loop.runPass();
            trace.add(step + ": " + client.name + " pass: " + (result.inSync() ? "in sync" : "not in sync") + ", "
                    + result.changes() + " change(s), " + result.problems().size() + " problem(s)");
        } catch (SimFaults.Crash crash) {
            trace.add(step + ": " + client.name + " crashed; opened again from its folder");
            client.reopen();
        } catch (ServerUnavailableException | ServerException e) {
            trace.add(step + ": " + client.name + " pass failed: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            // SyncLoop's contract: only the server fails a pass as a whole; local trouble is reported per file.
            throw new AssertionError(client.name + "'s pass failed with a local error (" + e + ")", e);
        } finally {
            client.faults.arm(false);
        }
    }

    @Override
    public void between(SimFaults faults, String where, Path path) {
        SimClient client = clientNamed(faults.client);
        checkInvariants("while " + client.name + " is at " + where, List.of(client));
        if (!usersIdle && random.nextInt(100) < 6) {
            trace.add("  " + client.name + "'s user acts during the pass, at " + where);
            try {
                userAct(client, path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void accepted(SimFaults faults, CommitResponse response) {
        for (FileEntry entry : response.entries()) {
            trace.add("  server accepted " + entry.path() + " v" + entry.version() + (entry.deleted() ? " (deleted)" : ""));
            if (entry.isLiveFile()) {
                acknowledged.put(entry.path() + "@" + entry.version(), entry);
            }
        }
    }

    @Override
    public void injected(SimFaults client, String fault, String where) {
        faults.merge(fault, 1, Integer::sum);
        trace.add("  fault for " + client.client + ": " + fault + " at " + where);
    }

    // ---- simulated users ----------------------------------------------------------------------------------

    /** One user action on {@code client}'s folder; never on {@code busy}, the path the executor is about to change. */
    private void userAct(SimClient client, Path busy) throws IOException {
        Map<String, String> tree = treeOf(client);
        List<String> files = tree.entrySet().stream().filter(e -> isFile(e.getValue())).map(Map.Entry::getKey)
                .filter(p -> busy == null || !client.folder.resolve(p).equals(busy)).toList();
        List<String> dirs = tree.entrySet().stream().filter(e -> e.getValue().equals("dir")).map(Map.Entry::getKey).toList();
        int kind = random.nextInt(100);
        if (kind < 35 || files.isEmpty() && kind < 82) {
            String path = randomPath();
            if (busy == null || !client.folder.resolve(path).equals(busy)) {
                writeFile(client, path, random.nextInt(20) == 0 ? new byte[0] : text(client), "writes");
            }
        } else if (kind < 50) {
            String path = pick(files);
            byte[] before = Files.readAllBytes(client.folder.resolve(path));
            byte[] after = edited(before);
            writeFile(client, path, after, "edits");
        } else if (kind < 55) {
            Optional<String> large = files.stream().filter(p -> sizeOf(client, p) >= LARGE_MIN).findFirst();
            if (large.isPresent() && random.nextBoolean()) {
                writeFile(client, large.get(), edited(Files.readAllBytes(client.folder.resolve(large.get()))),
                        "edits the middle of");
            } else {
                String path = randomPath();
                if (busy == null || !client.folder.resolve(path).equals(busy)) {
                    byte[] content = new byte[LARGE_MIN + random.nextInt(LARGE_MAX - LARGE_MIN)];
                    random.nextBytes(content);
                    writeFile(client, path, content, "writes a large file");
                }
            }
        } else if (kind < 68) {
            String path = pick(files);
            release(client, client.folder.resolve(path));
            Files.delete(client.folder.resolve(path));
            trace.add(step + ": " + client.name + " deletes " + path);
        } else if (kind < 78) {
            String from = pick(files);
            String to = randomPath();
            Path target = client.folder.resolve(to);
            if (!target.equals(busy) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS) && makeParents(client, to)) {
                Files.move(client.folder.resolve(from), target);
                trace.add(step + ": " + client.name + " renames " + from + " to " + to);
            }
        } else if (kind < 82) {
            String path = pick(files);
            Path file = client.folder.resolve(path);
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(file));
            if (!permissions.remove(PosixFilePermission.OWNER_EXECUTE)) {
                permissions.add(PosixFilePermission.OWNER_EXECUTE);
            }
            Files.setPosixFilePermissions(file, permissions);
            trace.add(step + ": " + client.name + " makes " + path + (permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    ? " executable" : " not executable"));
        } else if (kind < 86 && !dirs.isEmpty()) {
            String from = pick(dirs);
            String to = DIRS[1 + random.nextInt(DIRS.length - 1)] + "/moved-" + random.nextInt(2);
            Path source = client.folder.resolve(from);
            Path target = client.folder.resolve(to);
            if ((busy == null || !busy.startsWith(source)) && !target.startsWith(source)
                    && !Files.exists(target, LinkOption.NOFOLLOW_LINKS) && makeParents(client, to)) {
                Files.move(source, target);
                trace.add(step + ": " + client.name + " moves folder " + from + " to " + to);
            }
        } else if (kind < 92) {
            String dir = DIRS[1 + random.nextInt(DIRS.length - 1)] + "/new-" + random.nextInt(3);
            if (makeParents(client, dir + "/x") && !Files.exists(client.folder.resolve(dir), LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(client.folder.resolve(dir));
                trace.add(step + ": " + client.name + " makes folder " + dir);
            }
        } else if (!dirs.isEmpty()) {
            String dir = pick(dirs);
            Path root = client.folder.resolve(dir);
            if (busy == null || !busy.startsWith(root)) {
                deleteTree(client, root);
                trace.add(step + ": " + client.name + " deletes folder " + dir);
            }
        }
    }

    /** Writes a whole file as a user would, its mtime from the client's clock; skipped where a folder stands. */
    private void writeFile(SimClient client, String path, byte[] content, String verb) throws IOException {
        Path file = client.folder.resolve(path);
        if (!makeParents(client, path) || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(file)) {
            return;
        }
        release(client, file);
        hashes.remove(file);
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(client.clock.millis()));
        String sha = Hashing.sha256Hex(content);
        written.putIfAbsent(sha, content);
        obligations.add(new Obligation(client.name, sha));
        trace.add(step + ": " + client.name + " " + verb + " " + path + " (" + content.length + " bytes, " + sha.substring(0, 8) + ")");
    }

    /** The user destroys what is at {@code file}: what they wrote there need not survive any more. */
    private void release(SimClient client, Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            obligations.remove(new Obligation(client.name, Hashing.sha256Hex(Files.readAllBytes(file))));
        }
    }

    /** Creates the folders above {@code path}; false (nothing done) where a file or a link is in the way. */
    private boolean makeParents(SimClient client, String path) throws IOException {
        Path current = client.folder;
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            current = current.resolve(segments[i]);
            if (Files.isSymbolicLink(current) || Files.exists(current, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        Path parent = client.folder.resolve(path).getParent();
        Files.createDirectories(parent);
        return true;
    }

    private void deleteTree(SimClient client, Path root) throws IOException {
        List<Path> inside;
        try (Stream<Path> walk = Files.walk(root)) {
            inside = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : inside) {
            release(client, p);
            Files.delete(p);
        }
    }

    /** A user plants a symbolic link to the sentinel folder where a synced folder may be expected. */
    private void plantLink(SimClient client) throws IOException {
        String path = DIRS[1 + random.nextInt(DIRS.length - 1)];
        Path link = client.folder.resolve(path);
        if (makeParents(client, path) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, sentinel);
            trace.add(step + ": " + client.name + " links " + path + " to the folder outside");
        }
    }

    private String randomPath() {
        String dir = DIRS[random.nextInt(DIRS.length)];
        String name = NAMES[random.nextInt(NAMES.length)];
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private byte[] text(SimClient client) {
        return (client.name + " at " + time.millis() + " " + Long.toHexString(random.nextLong()) + "\n"
                .repeat(random.nextInt(40))).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns content with a slice in the middle replaced, or something appended. */
    private byte[] edited(byte[] before) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = before.length == 0 ? 0 : random.nextInt(before.length);
        int cut = Math.min(before.length - at, random.nextInt(4096));
        byte[] insert = new byte[1 + random.nextInt(2048)];
        random.nextBytes(insert);
        out.write(before, 0, at);
        out.writeBytes(insert);
        out.write(before, at + cut, before.length - at - cut);
        return out.toByteArray();
    }

    private String pick(List<String> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static long sizeOf(SimClient client, String path) {
        try {
            return Files.size(client.folder.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- invariants ---------------------------------------------------------------------------------------

    private void checkInvariants(String when, List<SimClient> changed) {
        Map<String, String> outside = snapshot(sentinel);
        if (!outside.equals(sentinelBefore)) {
            throw new AssertionError("the folder outside every synced folder changed " + when + ": " + outside);
        }
        Set<String> top = new TreeSet<>();
        try (Stream<Path> list = Files.list(world)) {
            list.forEach(p -> top.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> expectedTop = new TreeSet<>(List.of("outside", "server"));
        clients.forEach(c -> expectedTop.add(c.name));
        if (!top.equals(expectedTop)) {
            throw new AssertionError("something was written beside the synced folders " + when + ": " + top);
        }
        for (SimClient client : changed) {
            Map<String, String> tree = treeOf(client);
            lastTrees.put(client.name, tree);
            tree.forEach((path, value) -> {
                String sha = isFile(value) ? value.substring(0, 64) : null;
                if (sha != null && !written.containsKey(sha)) {
                    throw new AssertionError(client.name + ":" + path + " holds bytes no user wrote as a whole (sha "
                            + sha.substring(0, 8) + ") " + when);
                }
            });
        }
        for (FileEntry entry : acknowledged.values()) {
            if (!written.containsKey(entry.sha256()) || !serverHoldsChunks(entry.chunks(), false)) {
                throw new AssertionError("the server acknowledged " + entry.path() + " v" + entry.version()
                        + " but cannot give back a complete version of it " + when);
            }
        }
        Set<String> live = new HashSet<>();
        lastTrees.values().forEach(tree -> tree.values().stream().filter(Simulation::isFile)
                .forEach(value -> live.add(value.substring(0, 64))));
        for (Obligation obligation : obligations) {
            if (!live.contains(obligation.sha256()) && !serverHoldsChunks(chunksOf(obligation.sha256()), false)) {
                throw new AssertionError("what " + obligation.client() + "'s user wrote (sha "
                        + obligation.sha256().substring(0, 8) + ") is in no folder and not on the server " + when);
            }
        }
    }

    private boolean serverHoldsChunks(List<ChunkRef> chunks, boolean checkBytes) {
        for (ChunkRef chunk : chunks) {
            if (checkBytes ? !server.blob(chunk.sha256()).map(Hashing::sha256Hex).orElse("").equals(chunk.sha256())
                    : !server.holdsBlob(chunk.sha256())) {
                return false;
            }
        }
        return true;
    }

    private List<ChunkRef> chunksOf(String sha256) {
        return chunksOfWritten.computeIfAbsent(sha256, sha -> {
            try {
                return FileDigester.digest(new ByteArrayInputStream(written.get(sha))).chunks();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- the end: faults stop, everyone converges ---------------------------------------------------------

    private void convergeOnceFaultsStop() throws IOException {
        trace.add("faults stop");
        usersIdle = true;
        clients.forEach(c -> c.faults.stop());
        if (serverBackAtStep >= 0) {
            server.startAgain();
            serverBackAtStep = -1;
        }
        for (SimClient client : clients) {
            for (Map.Entry<String, String> entry : treeOf(client).entrySet()) {
                if (entry.getValue().equals("link")) {
                    Files.delete(client.folder.resolve(entry.getKey()));
                    trace.add(client.name + " removes the link " + entry.getKey());
                }
            }
        }
        List<String> problems = List.of();
        for (int round = 1; ; round++) {
            if (round > FINAL_ROUNDS) {
                throw new AssertionError("the clients did not converge within " + FINAL_ROUNDS
                        + " rounds of clean passes after the faults stopped; last problems: " + problems);
            }
            boolean quiet = true;
            problems = new ArrayList<>();
            for (SimClient client : clients) {
                client.faults.arm(true);
                PassResult result;
                try {
                    result = client.loop.runPass();
                } finally {
                    client.faults.arm(false);
                }
                passes++;
                trace.add("final round " + round + ": " + client.name + " " + result);
                checkInvariants("after " + client.name + "'s pass in final round " + round, List.of(client));
                problems.addAll(result.problems());
                quiet &= result.inSync() && result.changes() == 0;
            }
            if (quiet && problems.isEmpty()) {
                break;
            }
        }
        Map<String, String> expected = serverTree();
        for (SimClient client : clients) {
            Map<String, String> tree = treeOf(client);
            if (!tree.equals(expected)) {
                throw new AssertionError(client.name + "'s folder differs from the server's index after convergence:\n  "
                        + client.name + ": " + tree + "\n  server: " + expected);
            }
        }
        for (FileEntry entry : acknowledged.values()) {
            if (!serverHoldsChunks(entry.chunks(), true)) {
                throw new AssertionError("a chunk of acknowledged " + entry.path() + " v" + entry.version()
                        + " is missing or damaged on the server");
            }
        }
        trace.add("converged: " + expected.size() + " path(s)");
    }

    /** The server's index as a tree: live paths with the SHA-256 of files or "dir". */
    private Map<String, String> serverTree() throws IOException {
        try (ServerClient plain = new ServerClient(serverUrl, TestServer.TOKEN)) {
            Map<String, String> tree = new TreeMap<>();
            for (FileEntry entry : ChangeFeed.since(plain, 0, null).entries()) {
                if (entry.deleted()) {
                    tree.remove(entry.path());
                } else {
                    tree.put(entry.path(), entry.isLiveDirectory() ? "dir"
                            : entry.sha256() + (entry.executable() ? "+x" : ""));
                }
            }
            return tree;
        }
    }

    // ---- trees --------------------------------------------------------------------------------------------

    /** A client's folder as a tree: paths (state folder left out) with a file's SHA-256, "dir" or "link". */
    private Map<String, String> treeOf(SimClient client) {
        Map<String, String> tree = snapshotOf(client.folder, false);
        tree.keySet().removeIf(p -> p.equals(PathRules.STATE_DIR) || p.startsWith(PathRules.STATE_DIR + "/"));
        return tree;
    }

    private Map<String, String> snapshot(Path dir) {
        return snapshotOf(dir, true);
    }

    private Map<String, String> snapshotOf(Path root, boolean withTimes) {
        Map<String, String> tree = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root)) {
                        tree.put(relative(dir), "dir");
                    }
                    return dir.equals(root.resolve(PathRules.STATE_DIR)) && !withTimes
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        tree.put(relative(file), "link");
                    } else if (attrs.isRegularFile()) {
                        tree.put(relative(file), hashOf(file) + (isExecutable(file) ? "+x" : "")
                                + (withTimes ? " " + attrs.lastModifiedTime().toMillis() : ""));
                    } else {
                        tree.put(relative(file), "other");
                    }
                    return FileVisitResult.CONTINUE;
                }

                private String relative(Path p) {
                    return root.relativize(p).toString().replace('\\', '/');
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    /**
     * Returns the SHA-256 of a file's content, hashed again only when its inode, size, mtime or ctime changed:
     * nothing can change a file's bytes without changing its ctime, and the users' own writes drop the entry.
     */
    private String hashOf(Path file) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(file, "unix:ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        String stat = attrs.get("ino") + " " + attrs.get("size") + " " + ((FileTime) attrs.get("lastModifiedTime"))
                .to(TimeUnit.NANOSECONDS) + " " + ((FileTime) attrs.get("ctime")).to(TimeUnit.NANOSECONDS);
        String[] known = hashes.get(file);
        if (known != null && known[0].equals(stat)) {
            return known[1];
        }
        String sha = Hashing.sha256Hex(Files.readAllBytes(file));
        hashes.put(file, new String[] {stat, sha});
        return sha;
    }

    /** The executable bit as the client syncs it: the owner's (as root, {@code Files.isExecutable} says yes to any x bit). */
    private static boolean isExecutable(Path file) throws IOException {
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    /** Returns whether a tree value is a file's: its SHA-256, then "+x" if it is executable. */
    private static boolean isFile(String value) {
        return value.length() >= 64;
    }

    private static String digest(Map<String, String> tree) {
        return Hashing.sha256Hex(tree.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    private SimClient clientNamed(String name) {
        return clients.stream().filter(c -> c.name.equals(name)).findFirst().orElseThrow();
    }
}
