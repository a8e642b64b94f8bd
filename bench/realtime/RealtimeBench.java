import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real-time sync benchmark for Synced Folder (issue "Real-time sync", Measure section).
 *
 * <p>Runs with the JDK's source launcher, no dependencies:
 * <pre>
 *   java bench/realtime/RealtimeBench.java --server-jar sync-server/target/sync-server.jar \
 *        --client-jar sync-client/target/sync-client.jar [--quick]
 * </pre>
 *
 * <p>Starts a server ({@code --port 0}, bound to 127.0.0.1) and continuous clients as child processes, measures
 * <ol>
 *   <li>propagation latency of a small (1 KiB) and a large (50 MiB) file from client A to client B,</li>
 *   <li>a burst of many small files created at once (tar extracted into A): time until complete in B, and the
 *       number of commit requests the server accepted,</li>
 *   <li>the idle CPU cost of continuous clients on a large, fully synced folder,</li>
 * </ol>
 * stops everything it started (destroy, then destroyForcibly after 10 s), even on failure, and prints a Markdown
 * results block on stdout. Progress goes to stderr. Every wait is bounded in time.
 */
public final class RealtimeBench {

    // ---------------------------------------------------------------------------------------------- options

    static final class Options {
        Path serverJar = Path.of("sync-server/target/sync-server.jar");
        Path clientJar = Path.of("sync-client/target/sync-client.jar");
        Path workBase = null;
        boolean quick;
        boolean keep;
        int small = 20;
        int large = 5;
        int largeMiB = 50;
        int burst = 2000;
        int burstDirs = 20;
        int idleFiles = 20_000;
        int idleDirs = 100;
        int idleSeconds = 60;
        boolean idleDefaultInterval = true;
        int maxMinutes = 20;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--quick")) {
                    o.quick = true;
                    o.small = 8;
                    o.large = 2;
                    o.burst = 500;
                    o.idleFiles = 5_000;
                    o.idleSeconds = 20;
                }
            }
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> { }
                    case "--keep" -> o.keep = true;
                    case "--no-idle-default-interval" -> o.idleDefaultInterval = false;
                    case "--server-jar" -> o.serverJar = Path.of(value(args, ++i, a));
                    case "--client-jar" -> o.clientJar = Path.of(value(args, ++i, a));
                    case "--work" -> o.workBase = Path.of(value(args, ++i, a));
                    case "--small" -> o.small = intValue(args, ++i, a);
                    case "--large" -> o.large = intValue(args, ++i, a);
                    case "--large-mib" -> o.largeMiB = intValue(args, ++i, a);
                    case "--burst" -> o.burst = intValue(args, ++i, a);
                    case "--burst-dirs" -> o.burstDirs = intValue(args, ++i, a);
                    case "--idle-files" -> o.idleFiles = intValue(args, ++i, a);
                    case "--idle-dirs" -> o.idleDirs = intValue(args, ++i, a);
                    case "--idle-seconds" -> o.idleSeconds = intValue(args, ++i, a);
                    case "--max-minutes" -> o.maxMinutes = intValue(args, ++i, a);
                    case "--help", "-h" -> {
                        System.out.println("""
                                usage: java bench/realtime/RealtimeBench.java [--quick] [--server-jar P] [--client-jar P]
                                         [--small N] [--large N] [--large-mib M] [--burst N] [--burst-dirs D]
                                         [--idle-files N] [--idle-dirs D] [--idle-seconds S] [--no-idle-default-interval]
                                         [--work DIR] [--keep] [--max-minutes M]
                                --quick: 8 small, 2 large, burst of 500, idle 20 s on 5,000 files""");
                        System.exit(0);
                    }
                    default -> {
                        System.err.println("unknown option " + a + " (try --help)");
                        System.exit(2);
                    }
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                System.err.println(name + " needs a value");
                System.exit(2);
            }
            return args[i];
        }

        private static int intValue(String[] args, int i, String name) {
            try {
                int v = Integer.parseInt(value(args, i, name));
                if (v < 0) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                System.err.println(name + " needs a non-negative number");
                System.exit(2);
                return 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- state

    static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    static final Pattern ACCEPTED = Pattern.compile("accepted (\\d+) changes from (\\S+) as versions");
    static final long POLL_NANOS = 2_000_000; // poll B every 2 ms in the latency tests

    final Options opt;
    final Path work;
    final Path logs;
    final Path data;
    final String token;
    final Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    final List<Child> children = new CopyOnWriteArrayList<>();
    final SplittableRandom random = new SplittableRandom(42);
    final StringBuilder notes = new StringBuilder();
    final long clkTck;

    /** A started child process, with its log file. */
    record Child(String name, Process process, Path log) {
    }

    RealtimeBench(Options opt) throws IOException {
        this.opt = opt;
        this.work = opt.workBase == null ? Files.createTempDirectory("realtime-bench-")
                : Files.createDirectories(opt.workBase).resolve("realtime-bench-" + System.currentTimeMillis());
        Files.createDirectories(work);
        this.logs = Files.createDirectories(work.resolve("logs"));
        this.data = Files.createDirectories(work.resolve("data"));
        byte[] t = new byte[24];
        new SecureRandom().nextBytes(t);
        this.token = "bench-" + java.util.HexFormat.of().formatHex(t);
        this.clkTck = clockTicks();
    }

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        for (Path jar : List.of(opt.serverJar, opt.clientJar)) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("missing " + jar + " (build with: mvn -o -q -B -DskipTests package)");
                System.exit(2);
            }
        }
        RealtimeBench bench = new RealtimeBench(opt);
        Thread hook = new Thread(() -> {
            bench.stopAll();
            if (!opt.keep) {
                bench.deleteData(); // logs stay, for a look at what happened
            }
        }, "stop-children");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(opt.maxMinutes));
                log("WATCHDOG: the benchmark ran longer than " + opt.maxMinutes + " minutes; stopping everything");
                bench.stopAll();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int code = 0;
        String report;
        try {
            report = bench.run();
        } catch (Exception | AssertionError e) {
            code = 1;
            log("FAILED: " + e);
            e.printStackTrace();
            report = bench.partialReport(e);
        } finally {
            bench.stopAll();
            watchdog.interrupt();
        }
        System.out.print(report);
        System.out.flush();
        if (!opt.keep) {
            bench.deleteData();
        }
        System.exit(code);
    }

    // ---------------------------------------------------------------------------------------------- results

    final Map<String, String> rows = new LinkedHashMap<>(); // filled as the phases complete
    final StringBuilder details = new StringBuilder();
    final List<Child> allClients = new ArrayList<>();
    Child server;

    String run() throws Exception {
        long started = System.nanoTime();
        log("work dir " + work + " (logs in " + logs + ")");
        log("phase 1: server + clients A and B (--interval 60)");
        server = startServer("server-1", data.resolve("server-1"));
        String url = serverUrl(server);
        Path a = data.resolve("A");
        Path b = data.resolve("B");
        Child ca = startClient("client-A", url, a, "alice", 60);
        Child cb = startClient("client-B", url, b, "bob", 60);
        awaitFirstPass(ca, a, 0);
        awaitFirstPass(cb, b, 0);
        Thread.sleep(1_000); // let the watchers and the long polls settle

        smallLatency(a, b, ca, cb);
        largeLatency(a, b, ca, cb);
        burst(a, b, ca, cb);

        log("stopping phase 1");
        stopAll();
        children.clear();

        if (opt.idleFiles > 0 && opt.idleSeconds > 0) {
            idle();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        return report(seconds);
    }

    String partialReport(Throwable failure) {
        return report(-1) + "\n**The benchmark failed:** `" + failure + "` (see the logs in `" + logs + "`)\n";
    }

    String report(long seconds) {
        StringBuilder out = new StringBuilder();
        out.append("## Real-time sync benchmark").append(opt.quick ? " (--quick)" : "").append("\n\n");
        out.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs");
        if (seconds >= 0) {
            out.append(", took ").append(seconds).append(" s");
        }
        out.append(". Logs: `").append(logs).append("`.\n\n");
        out.append("| measurement | result | target | verdict |\n|---|---|---|---|\n");
        rows.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        out.append('\n').append(details);
        out.append(logSummary());
        if (!notes.isEmpty()) {
            out.append("\nNotes:\n").append(notes);
        }
        return out.toString();
    }

    /** WARN/ERROR lines and upload/download counts of every client log. */
    String logSummary() {
        StringBuilder out = new StringBuilder("\n### Client logs\n\n");
        out.append("| log | uploaded | downloaded | deleted | 'still being written' | WARN | ERROR |\n|---|---|---|---|---|---|---|\n");
        StringBuilder notable = new StringBuilder();
        for (Child c : allClients) {
            LogCounts n = LogCounts.of(readLines(c.log()));
            out.append("| ").append(c.name()).append(" | ").append(n.uploaded()).append(" | ").append(n.downloaded())
                    .append(" | ").append(n.deleted()).append(" | ").append(n.stillWritten()).append(" | ").append(n.warn())
                    .append(" | ").append(n.error()).append(" |\n");
            n.distinctProblems().stream().limit(8).forEach(l -> notable.append("    [").append(c.name()).append("] ").append(l).append('\n'));
        }
        if (!notable.isEmpty()) {
            out.append("\nDistinct WARN/ERROR lines (at most 8 per log):\n\n").append(notable);
        }
        return out.toString();
    }

    static String stripTime(String line) {
        String s = line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d(\\.\\d+)? ", "");
        return s.length() > 220 ? s.substring(0, 220) + "…" : s;
    }

    // ---------------------------------------------------------------------------------------------- phase 1: latency

    void smallLatency(Path a, Path b, Child ca, Child cb) throws Exception {
        int n = opt.small;
        if (n == 0) {
            return;
        }
        log("small-file latency: " + n + " samples of 1 KiB");
        Phase phase = new Phase(ca, cb);
        List<Double> ms = new ArrayList<>();
        int timeouts = 0;
        for (int i = 0; i < n; i++) {
            byte[] content = randomBytes(1024);
            String name = String.format("small-%03d.bin", i);
            long t0 = System.nanoTime();
            Files.write(a.resolve(name), content);
            long t = awaitContent(b.resolve(name), content, t0, TimeUnit.SECONDS.toNanos(30));
            if (t < 0) {
                timeouts++;
                log("  sample " + i + ": TIMEOUT (30 s)");
            } else {
                double v = (t - t0) / 1e6;
                ms.add(v);
                log(String.format(Locale.ROOT, "  sample %d: %.1f ms", i, v));
            }
            Thread.sleep(1_000);
        }
        Stats s = Stats.of(ms);
        boolean pass = timeouts == 0 && s.median < 300 && s.p95 < 1000;
        rows.put("small file (1 KiB) A→B, " + n + " samples",
                s.describe("ms") + (timeouts > 0 ? ", **" + timeouts + " timed out**" : "")
                        + " | median < 300 ms, p95 < 1 s | " + (pass ? "met" : "**missed**"));
        details.append("Small-file samples (ms, in order): ").append(s.list()).append("\n\n");
        details.append("Small-file phase: ").append(phase.summary()).append("\n\n");
    }

    void largeLatency(Path a, Path b, Child ca, Child cb) throws Exception {
        int n = opt.large;
        if (n == 0) {
            return;
        }
        int size = opt.largeMiB << 20;
        log("large-file latency: " + n + " samples of " + opt.largeMiB + " MiB");
        Phase phase = new Phase(ca, cb);
        List<Double> ms = new ArrayList<>();
        int timeouts = 0;
        for (int i = 0; i < n; i++) {
            byte[] content = randomBytes(size);
            String name = String.format("large-%03d.bin", i);
            long t0 = System.nanoTime();
            Files.write(a.resolve(name), content);
            long written = System.nanoTime();
            long t = awaitContent(b.resolve(name), content, t0, TimeUnit.SECONDS.toNanos(120));
            if (t < 0) {
                timeouts++;
                log("  sample " + i + ": TIMEOUT (120 s)");
            } else {
                double v = (t - t0) / 1e6;
                ms.add(v);
                log(String.format(Locale.ROOT, "  sample %d: %.0f ms (the write itself took %.0f ms)", i, v,
                        (written - t0) / 1e6));
            }
            // Keep the disk use bounded: delete it again (not timed) and wait until B has deleted it too.
            Thread.sleep(1_000);
            Files.deleteIfExists(a.resolve(name));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.exists(b.resolve(name)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (Files.exists(b.resolve(name))) {
                note("large-file sample " + i + ": B had not deleted " + name + " 60 s after A deleted it");
            }
            Thread.sleep(1_000);
        }
        Stats s = Stats.of(ms);
        rows.put("large file (" + opt.largeMiB + " MiB) A→B, " + n + " samples",
                s.describe("ms") + (timeouts > 0 ? ", **" + timeouts + " timed out**" : "") + " | report only | –");
        details.append("Large-file samples (ms, in order): ").append(s.list())
                .append(" (each file was deleted again after its sample; the phase counts include those deletions)\n\n");
        details.append("Large-file phase: ").append(phase.summary()).append("\n\n");
    }

    /**
     * Polls {@code file} every 2 ms until it holds exactly {@code expected}; returns System.nanoTime() of that
     * moment, or -1 after {@code timeoutNanos}. The content is compared only when the size matches and the file
     * (size, mtime, identity) differs from the last failed comparison.
     */
    static long awaitContent(Path file, byte[] expected, long t0, long timeoutNanos) throws InterruptedException {
        long deadline = t0 + timeoutNanos;
        String lastChecked = null;
        long lastCheckAt = 0;
        while (true) {
            long now = System.nanoTime();
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                if (attrs.size() == expected.length) {
                    String id = attrs.size() + "/" + attrs.lastModifiedTime().toMillis() + "/" + attrs.fileKey();
                    if (!id.equals(lastChecked) || now - lastCheckAt > 50_000_000L) {
                        byte[] actual = Files.readAllBytes(file);
                        if (Arrays.equals(actual, expected)) {
                            return System.nanoTime();
                        }
                        lastChecked = id;
                        lastCheckAt = now;
                    }
                }
            } catch (NoSuchFileException e) {
                // not there yet
            } catch (IOException e) {
                // being replaced at this very moment: look again
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            sleepNanos(POLL_NANOS);
        }
    }

    // ---------------------------------------------------------------------------------------------- phase 1: burst

    void burst(Path a, Path b, Child ca, Child cb) throws Exception {
        int n = opt.burst;
        if (n == 0) {
            return;
        }
        int dirs = Math.max(1, opt.burstDirs);
        log("burst: " + n + " files of 1 KiB in " + dirs + " dirs, extracted from a tar into A");
        Path staging = data.resolve("burst-src");
        Map<String, byte[]> expected = writeTree(staging, "burst", n, dirs, 1024);
        Path tar = data.resolve("burst.tar");
        run(List.of("tar", "-cf", tar.toString(), "-C", staging.toString(), "burst"), 120);

        Phase phase = new Phase(ca, cb);
        long wallT0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        run(List.of("tar", "-xf", tar.toString(), "-C", a.toString()), 120);
        long extracted = System.nanoTime();
        long timeout = TimeUnit.SECONDS.toNanos(opt.quick ? 120 : 300);
        long done = awaitTree(b, expected, t0, timeout, 20);
        if (done > 0) {
            Thread.sleep(3_000); // catch commits that come late (echoes, repeats)
        }
        Phase.Counts c = phase.counts();
        if (done < 0) {
            rows.put("burst of " + n + " files (" + dirs + " dirs) A→B",
                    "**not complete in B after " + timeout / 1_000_000_000L + " s** (" + c.commits + " commits accepted)"
                            + " | all in B, a handful of commits | **missed**");
        } else {
            double secs = (done - t0) / 1e9;
            boolean handful = c.commits <= 20;
            rows.put("burst of " + n + " files (" + dirs + " dirs) A→B",
                    String.format(Locale.ROOT, "all complete in B after %.2f s; %d commit request(s) accepted (%s), %d changes",
                            secs, c.commits, c.byDevice(), c.changes)
                            + " | a handful of commits, not " + n + " | " + (handful ? "met" : "**missed**"));
        }
        details.append(String.format(Locale.ROOT, "Burst: tar extraction into A took %.0f ms. Commit sizes (changes per accepted commit, in order): %s.%n%n",
                (extracted - t0) / 1e6, c.sizes));
        details.append("Burst: the server accepted the commits at ").append(phase.commitTimes(wallT0))
                .append(" s after the extraction started (server log time stamps).\n\n");
        details.append("Burst phase: ").append(phase.summary()).append("\n\n");
    }

    /**
     * Polls {@code root} until every file of {@code expected} holds its content; returns the System.nanoTime()
     * at which the last one was seen complete, or -1 after the timeout.
     */
    static long awaitTree(Path root, Map<String, byte[]> expected, long t0, long timeoutNanos, long pollMillis)
            throws InterruptedException {
        Map<String, byte[]> pending = new HashMap<>(expected);
        long deadline = t0 + timeoutNanos;
        while (true) {
            for (Iterator<Map.Entry<String, byte[]>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, byte[]> e = it.next();
                Path file = root.resolve(e.getKey());
                try {
                    if (Files.size(file) == e.getValue().length && Arrays.equals(Files.readAllBytes(file), e.getValue())) {
                        it.remove();
                    }
                } catch (IOException ignored) {
                    // not there yet
                }
            }
            if (pending.isEmpty()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                log("  still missing in " + root + ": " + pending.size() + " of " + expected.size());
                return -1;
            }
            Thread.sleep(pollMillis);
        }
    }

    // ---------------------------------------------------------------------------------------------- phase 2: idle

    void idle() throws Exception {
        int n = opt.idleFiles;
        log("idle: " + n + " files in " + opt.idleDirs + " dirs; fresh server, A2 starts with the files, B2 empty");
        Path a = data.resolve("A2");
        Path b = data.resolve("B2");
        Map<String, byte[]> expected = writeTree(a, "tree", n, Math.max(1, opt.idleDirs), 1024);
        server = startServer("server-2", data.resolve("server-2"));
        String url = serverUrl(server);
        long t0 = System.nanoTime();
        Child ca = startClient("client-A2", url, a, "alice2", 60);
        Child cb = startClient("client-B2", url, b, "bob2", 60);
        long done = awaitTree(b, expected, t0, TimeUnit.SECONDS.toNanos(opt.quick ? 240 : 480), 200);
        if (done < 0) {
            rows.put("idle set-up", "**B2 did not receive all " + n + " files in time**; idle not measured | – | **missed**");
            return;
        }
        double setup = (done - t0) / 1e9;
        log(String.format(Locale.ROOT, "  initial sync of %d files took %.1f s", n, setup));
        details.append(String.format(Locale.ROOT, "Idle set-up: the initial sync of %d files (A2 uploading, B2 downloading, both "
                + "started together) took %.1f s until complete in B2.%n%n", n, setup));
        long[] atDone = {cpuTicks(ca), cpuTicks(cb)};
        awaitQuiet(List.of(ca, cb, server), 5, 120);
        // The logs going quiet is not enough: a client can keep digesting the file events of its own downloads
        // without logging anything. Wait until neither client uses CPU for 5 s (bounded), and report that tail.
        boolean settled = awaitCpuQuiet(List.of(ca, cb), 5, 10, opt.quick ? 120 : 240);
        long[] atQuiet = {cpuTicks(ca), cpuTicks(cb)};
        double tailSecs = (System.nanoTime() - done) / 1e9;
        details.append(String.format(Locale.ROOT, "After the last file was complete in B2, it took %.1f s until both clients "
                        + "used no CPU for 5 s%s; CPU used in that time: A2 %.2f s, B2 %.2f s. The idle windows start after that.%n%n",
                tailSecs, settled ? "" : " (**never settled**; measured anyway)",
                (atQuiet[0] - atDone[0]) / (double) clkTck, (atQuiet[1] - atDone[1]) / (double) clkTck));
        rows.put("after-sync tail, " + n + " files", String.format(Locale.ROOT,
                "B2 busy %.0f s after its last download completed: A2 %.2f, B2 %.2f CPU-s",
                tailSecs, (atQuiet[0] - atDone[0]) / (double) clkTck, (atQuiet[1] - atDone[1]) / (double) clkTck)
                + " | report only | –");
        log(String.format(Locale.ROOT, "  settled %.1f s after the sync completed", tailSecs));
        idleWindow("idle, --interval 60", ca, cb, 60);

        if (opt.idleDefaultInterval) {
            log("idle: restarting A2 and B2 with the default --interval 5");
            stop(ca);
            stop(cb);
            ca = startClient("client-A2-i5", url, a, "alice2", 5);
            cb = startClient("client-B2-i5", url, b, "bob2", 5);
            long since = System.currentTimeMillis();
            awaitFirstPass(ca, a, since);
            awaitFirstPass(cb, b, since);
            awaitQuiet(List.of(ca, cb, server), 5, 120);
            idleWindow("idle, default --interval 5", ca, cb, 5);
        }
    }

    void idleWindow(String label, Child ca, Child cb, int interval) throws Exception {
        int secs = opt.idleSeconds;
        log("  " + label + ": measuring CPU for " + secs + " s");
        Phase phase = new Phase(ca, cb);
        long[] before = {cpuTicks(ca), cpuTicks(cb), cpuTicks(server)};
        long t0 = System.nanoTime();
        // Sample every 5 s too, to show whether the cost is steady or comes in bursts (periodic rescans).
        List<Long> sliceA = new ArrayList<>();
        List<Long> sliceB = new ArrayList<>();
        long lastA = before[0];
        long lastB = before[1];
        for (int slice = 1; slice * 5 <= secs; slice++) {
            sleepNanos(Math.max(0, t0 + TimeUnit.SECONDS.toNanos(5L * slice) - System.nanoTime()));
            long nowA = cpuTicks(ca);
            long nowB = cpuTicks(cb);
            sliceA.add(nowA - lastA);
            sliceB.add(nowB - lastB);
            lastA = nowA;
            lastB = nowB;
        }
        sleepNanos(Math.max(0, t0 + TimeUnit.SECONDS.toNanos(secs) - System.nanoTime()));
        long[] after = {cpuTicks(ca), cpuTicks(cb), cpuTicks(server)};
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double[] perMin = new double[3];
        for (int i = 0; i < 3; i++) {
            perMin[i] = (after[i] - before[i]) / (double) clkTck * 60.0 / elapsed;
        }
        double worst = Math.max(perMin[0], perMin[1]);
        String target = interval == 60 ? "< 1 CPU-s/min" : "report only (target is for --interval 60)";
        String verdict = interval == 60 ? (worst < 1.0 ? "met" : "**missed**") : (worst < 1.0 ? "(under 1)" : "(over 1)");
        rows.put(label + ", " + opt.idleFiles + " files, " + secs + " s",
                String.format(Locale.ROOT, "A2 %.2f, B2 %.2f CPU-s/min (server %.2f)", perMin[0], perMin[1], perMin[2])
                        + " | " + target + " | " + verdict);
        Phase.Counts c = phase.counts();
        details.append(String.format(Locale.ROOT, "%s: CPU ticks A2 %d, B2 %d, server %d over %.1f s (CLK_TCK %d); during the window: %s%n%n",
                label, after[0] - before[0], after[1] - before[1], after[2] - before[2], elapsed, clkTck, phase.summary()));
        details.append(label).append(": CPU ticks per 5 s, A2 ").append(sliceA).append(", B2 ").append(sliceB).append("\n\n");
        if (c.commits > 0) {
            note(label + ": " + c.commits + " commits were accepted while the folder should have been idle");
        }
    }

    /** Waits until none of the logs has grown for {@code quietSeconds} (at most {@code maxSeconds}). */
    void awaitQuiet(List<Child> which, int quietSeconds, int maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long[] sizes = new long[which.size()];
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean grew = false;
            for (int i = 0; i < which.size(); i++) {
                long s = size(which.get(i).log());
                if (s != sizes[i]) {
                    grew = true;
                    sizes[i] = s;
                }
            }
            if (grew) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= TimeUnit.SECONDS.toNanos(quietSeconds)) {
                return;
            }
            Thread.sleep(250);
        }
        note("the logs did not stay quiet for " + quietSeconds + " s within " + maxSeconds + " s before an idle window");
    }

    /** Waits until each of {@code which} used at most {@code maxTicks} CPU ticks in {@code seconds} s (at most {@code maxSeconds}). */
    boolean awaitCpuQuiet(List<Child> which, int seconds, long maxTicks, int maxSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        while (System.nanoTime() < deadline) {
            long[] before = new long[which.size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = cpuTicks(which.get(i));
            }
            Thread.sleep(seconds * 1000L);
            boolean quiet = true;
            for (int i = 0; i < before.length; i++) {
                quiet &= cpuTicks(which.get(i)) - before[i] <= maxTicks;
            }
            if (quiet) {
                return true;
            }
        }
        note("the clients did not stay under " + maxTicks + " CPU ticks per " + seconds + " s within " + maxSeconds
                + " s before the idle window");
        return false;
    }

    long cpuTicks(Child c) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(c.process().pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, so utime (14) and stime (15) are at index 11 and 12
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            if (p.waitFor(5, TimeUnit.SECONDS)) {
                return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            }
            p.destroyForcibly();
        } catch (IOException | InterruptedException | NumberFormatException e) {
            // fall through
        }
        return 100;
    }

    // ---------------------------------------------------------------------------------------------- counting

    /** Counts server commits and client log lines from the moment it is created. */
    final class Phase {
        final Child ca;
        final Child cb;
        final long serverFrom;
        final long aFrom;
        final long bFrom;

        Phase(Child ca, Child cb) {
            this.ca = ca;
            this.cb = cb;
            this.serverFrom = size(server.log());
            this.aFrom = size(ca.log());
            this.bFrom = size(cb.log());
        }

        record Counts(int commits, int changes, Map<String, Integer> devices, List<Integer> sizes) {
            String byDevice() {
                return devices.isEmpty() ? "none" : devices.toString().replaceAll("[{}]", "").replace("=", " ");
            }
        }

        Counts counts() {
            int commits = 0, changes = 0;
            Map<String, Integer> devices = new TreeMap<>();
            List<Integer> sizes = new ArrayList<>();
            for (String line : linesFrom(server.log(), serverFrom)) {
                Matcher m = ACCEPTED.matcher(line);
                if (m.find()) {
                    commits++;
                    int k = Integer.parseInt(m.group(1));
                    changes += k;
                    sizes.add(k);
                    devices.merge(m.group(2), 1, Integer::sum);
                }
            }
            return new Counts(commits, changes, devices, sizes);
        }

        /** Seconds after {@code wallT0} (epoch ms) at which the server logged each accepted commit of this phase. */
        String commitTimes(long wallT0) {
            List<String> out = new ArrayList<>();
            for (String line : linesFrom(server.log(), serverFrom)) {
                if (ACCEPTED.matcher(line).find() && line.length() >= 23) {
                    try {
                        long at = java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'))
                                .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                        out.add(String.format(Locale.ROOT, "+%.2f", (at - wallT0) / 1000.0));
                    } catch (java.time.DateTimeException e) {
                        out.add("?");
                    }
                }
            }
            return out.isEmpty() ? "(none)" : String.join(", ", out);
        }

        String summary() {
            Counts c = counts();
            return "server accepted " + c.commits + " commits (" + c.byDevice() + ", " + c.changes + " changes); "
                    + lineCounts(ca.name(), linesFrom(ca.log(), aFrom)) + "; " + lineCounts(cb.name(), linesFrom(cb.log(), bFrom));
        }
    }

    static String lineCounts(String name, List<String> lines) {
        LogCounts n = LogCounts.of(lines);
        return String.format(Locale.ROOT, "%s: %d uploaded, %d downloaded, %d deleted, %d 'still being written', %d WARN, %d ERROR",
                name, n.uploaded(), n.downloaded(), n.deleted(), n.stillWritten(), n.warn(), n.error());
    }

    /** What a client log says it did, counted line by line. */
    record LogCounts(int uploaded, int downloaded, int deleted, int stillWritten, int warn, int error,
                     Set<String> distinctProblems) {
        static LogCounts of(List<String> lines) {
            int up = 0, down = 0, del = 0, busy = 0, warn = 0, err = 0;
            Set<String> distinct = new LinkedHashSet<>();
            for (String line : lines) {
                if (line.contains(" INFO uploaded ")) {
                    up++;
                } else if (line.contains(" INFO downloaded ")) {
                    down++;
                } else if (line.contains(" INFO deleted ")) {
                    del++;
                }
                if (line.contains("still being written")) {
                    busy++;
                }
                if (line.contains(" WARN ")) {
                    warn++;
                    distinct.add(stripTime(line));
                } else if (line.contains(" ERROR ")) {
                    err++;
                    distinct.add(stripTime(line));
                }
            }
            return new LogCounts(up, down, del, busy, warn, err, distinct);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static List<String> linesFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(offset, all.length);
            String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> readLines(Path file) {
        return linesFrom(file, 0);
    }

    // ---------------------------------------------------------------------------------------------- processes

    Child startServer(String name, Path dataDir) throws IOException {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-jar", opt.serverJar.toAbsolutePath().toString(),
                "--port", "0", "--bind", "127.0.0.1", "--data", dataDir.toString(), "--token", token);
        return start(name, pb, log);
    }

    Child startClient(String name, String url, Path folder, String device, int interval) throws IOException {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-jar", opt.clientJar.toAbsolutePath().toString(),
                "--server", url, "--token", token, "--folder", folder.toString(), "--device", device,
                "--interval", Integer.toString(interval));
        Child c = start(name, pb, log);
        allClients.add(c);
        return c;
    }

    Child start(String name, ProcessBuilder pb, Path log) throws IOException {
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        Child c = new Child(name, p, log);
        children.add(c);
        log("  started " + name + " (pid " + p.pid() + ")");
        return c;
    }

    String serverUrl(Child s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(String.join("\n", readLines(s.log())));
            if (m.find()) {
                return m.group(1);
            }
            if (!s.process().isAlive()) {
                throw new IllegalStateException(s.name() + " exited with " + s.process().exitValue() + "; see " + s.log());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(s.name() + " did not print 'listening on' within 60 s; see " + s.log());
    }

    /** Waits until the client finished a pass after {@code sinceMillis} (its .sync/last-pass.json is written). */
    void awaitFirstPass(Child c, Path folder, long sinceMillis) throws Exception {
        Path lastPass = folder.resolve(".sync").resolve("last-pass.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.getLastModifiedTime(lastPass).toMillis() >= sinceMillis) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            if (!c.process().isAlive()) {
                throw new IllegalStateException(c.name() + " exited with " + c.process().exitValue() + "; see " + c.log());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(c.name() + " finished no pass within 120 s; see " + c.log());
    }

    void stop(Child c) throws InterruptedException {
        c.process().destroy();
        if (!c.process().waitFor(10, TimeUnit.SECONDS)) {
            note(c.name() + " did not stop within 10 s of SIGTERM; killed");
            c.process().destroyForcibly();
            c.process().waitFor(10, TimeUnit.SECONDS);
        }
        children.remove(c);
    }

    /** Stops every child still running: SIGTERM to all, then SIGKILL to those still alive after 10 s. */
    synchronized void stopAll() {
        List<Child> alive = new ArrayList<>();
        for (Child c : children) {
            if (c.process().isAlive()) {
                c.process().destroy();
                alive.add(c);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Child c : alive) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    log("  " + c.name() + " ignored SIGTERM for 10 s; killing it");
                    c.process().destroyForcibly();
                    c.process().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static void run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + out);
        }
    }

    // ---------------------------------------------------------------------------------------------- files

    /** Writes {@code n} files of {@code size} random bytes under root/top/dNN/; returns their relative paths and bytes. */
    Map<String, byte[]> writeTree(Path root, String top, int n, int dirs, int size) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int d = 0; d < dirs; d++) {
            Files.createDirectories(root.resolve(top).resolve(String.format("d%03d", d)));
        }
        for (int i = 0; i < n; i++) {
            String rel = top + "/" + String.format("d%03d", i % dirs) + "/" + String.format("f%05d.txt", i);
            byte[] content = randomBytes(size);
            Files.write(root.resolve(rel), content);
            files.put(rel, content);
        }
        return files;
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        int i = 0;
        while (i + 8 <= n) {
            long v = random.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i++] = (byte) (v >>> (8 * k));
            }
        }
        while (i < n) {
            b[i++] = (byte) random.nextInt();
        }
        return b;
    }

    void deleteData() {
        try {
            if (Files.exists(data)) {
                Files.walkFileTree(data, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        } catch (IOException e) {
            log("could not delete " + data + ": " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------- small helpers

    record Stats(List<Double> values, double median, double p95, double min, double max) {
        static Stats of(List<Double> values) {
            if (values.isEmpty()) {
                return new Stats(values, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            List<Double> s = new ArrayList<>(values);
            Collections.sort(s);
            int n = s.size();
            double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
            double p95 = s.get(Math.max(0, (int) Math.ceil(0.95 * n) - 1)); // nearest rank
            return new Stats(values, median, p95, s.get(0), s.get(n - 1));
        }

        String describe(String unit) {
            if (values.isEmpty()) {
                return "no sample completed";
            }
            return String.format(Locale.ROOT, "median **%s %s**, p95 **%s %s** (min %s, max %s, n=%d)",
                    fmt(median), unit, fmt(p95), unit, fmt(min), fmt(max), values.size());
        }

        String list() {
            return values.stream().map(Stats::fmt).reduce((x, y) -> x + ", " + y).orElse("none");
        }

        static String fmt(double v) {
            return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }

    void note(String s) {
        log("NOTE: " + s);
        notes.append("- ").append(s).append('\n');
    }

    static void log(String s) {
        System.err.println(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + " " + s);
    }

    static void sleepNanos(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
}
