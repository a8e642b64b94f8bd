package io.syncedfolder.client.why;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps what recent passes decided, for {@code sync-client why}, in two files of {@code .sync/}.
 *
 * <p>{@value #FILE_NAME}: one JSON {@link Decision} per line, oldest first, appended by each pass that had
 * actions (a pass without actions writes nothing). A pass records at most {@value #KEEP} decisions, those
 * that did not end as done first; when the file holds more than twice that, it is rewritten atomically with
 * the newest {@value #KEEP}. So it holds between {@value #KEEP} and {@value #COMPACT_AT} decisions once full,
 * and older ones are gone. A line torn by a crash is skipped when read.
 *
 * <p>{@value #LEFT_ALONE_FILE_NAME}: the paths the latest scan left alone (still being written, unreadable,
 * symbolic links) with the reason, rewritten atomically only when that set changes, and absent when it is
 * empty; a folder full of symbolic links then costs nothing on passes that change nothing.
 */
public final class DecisionLog {
    static final String FILE_NAME = "decisions.jsonl";
    static final String LEFT_ALONE_FILE_NAME = "left-alone.json";
    /** Decisions kept when the file is compacted, and the most one pass records. */
    public static final int KEEP = 10_000;
    static final int COMPACT_AT = 2 * KEEP;

    private static final ObjectWriter LINE = Json.mapper().writerFor(Decision.class);

    /** One path the scan left alone: why, and since when (epoch milliseconds). */
    public record LeftAlone(String path, String reason, long since) {
    }

    /** The content of {@value #LEFT_ALONE_FILE_NAME}: the left-alone paths as of the pass that ended {@code at}. */
    public record LeftAloneFile(long at, List<LeftAlone> paths) {
        public LeftAloneFile {
            paths = paths == null ? List.of() : List.copyOf(paths);
        }
    }

    private final Path file;
    private final Path leftAloneFile;
    /** Decisions in the file; counted on the first write, so a process that writes none never reads it. */
    private int lines = -1;
    private Map<String, LeftAlone> leftAlone;

    /** Opens the log of the state folder {@code stateDir}, reading the (usually absent) left-alone file. */
    public DecisionLog(Path stateDir) throws IOException {
        this.file = stateDir.resolve(FILE_NAME);
        this.leftAloneFile = stateDir.resolve(LEFT_ALONE_FILE_NAME);
        this.leftAlone = new TreeMap<>();
        readLeftAlone(stateDir).ifPresent(f -> f.paths().forEach(p -> leftAlone.put(p.path(), p)));
    }

    /**
     * Records the pass that ended at {@code passAt}: appends its decisions, and rewrites the left-alone file if
     * the set of left-alone paths or their reasons changed. Writes nothing when there is neither.
     */
    public void record(long passAt, List<Decision> decisions, Map<String, String> leftAloneNow) throws IOException {
        if (!decisions.isEmpty()) {
            append(capped(decisions));
        }
        if (!sameReasons(leftAloneNow)) {
            Map<String, LeftAlone> next = new TreeMap<>();
            leftAloneNow.forEach((path, reason) -> {
                LeftAlone before = leftAlone.get(path);
                next.put(path, new LeftAlone(path, reason, before != null && before.reason().equals(reason)
                        ? before.since() : passAt));
            });
            if (next.isEmpty()) {
                Files.deleteIfExists(leftAloneFile);
            } else {
                LeftAloneFile content = new LeftAloneFile(passAt, List.copyOf(next.values()));
                AtomicFiles.write(leftAloneFile, out -> Json.mapper().writeValue(out, content));
            }
            leftAlone = next;
        }
    }

    /** Returns the recorded decisions, oldest first; empty if there are none. */
    public static List<Decision> read(Path stateDir) throws IOException {
        List<Decision> decisions = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(stateDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    decisions.add(Json.mapper().readValue(line, Decision.class));
                } catch (JsonProcessingException e) {
                    // a line torn by a crash: the rest is still worth reading
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return decisions;
    }

    /** Returns the paths the latest scan left alone, if it left any. */
    public static Optional<LeftAloneFile> readLeftAlone(Path stateDir) throws IOException {
        Path source = stateDir.resolve(LEFT_ALONE_FILE_NAME);
        try (InputStream in = Files.newInputStream(source)) {
            return Optional.of(Json.mapper().readValue(in, LeftAloneFile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty(); // a reader never repairs what the client owns; the client rewrites it
        }
    }

    private boolean sameReasons(Map<String, String> now) {
        if (now.size() != leftAlone.size()) {
            return false;
        }
        for (Map.Entry<String, String> entry : now.entrySet()) {
            LeftAlone before = leftAlone.get(entry.getKey());
            if (before == null || !before.reason().equals(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Keeps at most {@value #KEEP} decisions of one pass: those that did not end as done go first. */
    private static List<Decision> capped(List<Decision> decisions) {
        if (decisions.size() <= KEEP) {
            return decisions;
        }
        List<Decision> sorted = new ArrayList<>(decisions);
        sorted.sort(Comparator.comparing(d -> d.outcome() == Decision.Outcome.DONE)); // stable: plan order kept
        return sorted.subList(0, KEEP);
    }

    private void append(List<Decision> decisions) throws IOException {
        if (lines < 0) {
            lines = countLines();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Decision decision : decisions) {
            bytes.write(LINE.writeValueAsBytes(decision));
            bytes.write('\n');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long end = channel.size();
            if (end > 0 && !endsWithNewline(channel, end)) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}), end++); // close a line torn by a crash
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                end += channel.write(buffer, end);
            }
            channel.force(false);
        }
        lines += decisions.size();
        if (lines > COMPACT_AT) {
            compact();
        }
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    /** Rewrites the file with its newest {@value #KEEP} decisions. */
    private void compact() throws IOException {
        List<Decision> all = read(file.getParent());
        List<Decision> kept = all.subList(Math.max(0, all.size() - KEEP), all.size());
        AtomicFiles.write(file, out -> {
            for (Decision decision : kept) {
                out.write(LINE.writeValueAsBytes(decision));
                out.write('\n');
            }
        });
        lines = kept.size();
    }

    private int countLines() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
