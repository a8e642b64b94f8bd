package io.syncedfolder.server.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends commit records to a JSON-lines file and makes each line durable before {@link #append} returns.
 *
 * <p>It writes through {@link RandomAccessFile} and {@code FileDescriptor.sync()} (the same fsync as
 * {@code FileChannel.force(true)}) because a {@code FileChannel} is closed for every user as soon as one
 * thread using it is interrupted, and Jetty interrupts request threads when it stops: the shared journal
 * must survive that.
 */
final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /** Receives each intact record while the journal is read at start-up. */
    @FunctionalInterface
    interface Replay {
        void accept(JournalRecord record, long line) throws IndexCorruptException;
    }

    private final Path file;
    private final RandomAccessFile out;
    private long size;
    private long lines;
    private boolean broken;

    private Journal(Path file, RandomAccessFile out, long size, long lines) {
        this.file = file;
        this.out = out;
        this.size = size;
        this.lines = lines;
    }

    /**
     * Opens (or creates) the journal, hands every intact record to {@code replay} in order, and cuts off a
     * torn last line left by a crash in the middle of an append.
     *
     * @throws IndexCorruptException if a line other than the last cannot be read
     */
    static Journal open(Path file, Replay replay) throws IOException {
        boolean created = Files.notExists(file);
        RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
        try {
            if (created) {
                AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            }
            Scan scan = replay(file, replay);
            long length = out.length();
            if (scan.goodEnd() < length) {
                LOG.warn("journal {}: dropped {} bytes of an incomplete last line (a commit interrupted by a crash,"
                        + " never acknowledged)", file, length - scan.goodEnd());
                out.setLength(scan.goodEnd());
                out.getFD().sync();
            }
            return new Journal(file, out, scan.goodEnd(), scan.records());
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Where the last intact line ends, and how many records the journal holds up to there. */
    private record Scan(long goodEnd, long records) {
    }

    private static Scan replay(Path file, Replay replay) throws IOException {
        long goodEnd = 0;
        long records = 0;
        long lineNumber = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            while (true) {
                buffer.reset();
                int last = readLine(in, buffer);
                if (last == -1 && buffer.size() == 0) {
                    break;
                }
                lineNumber++;
                if (last == -1) {
                    // No line end: the append that wrote it never finished, so it was never acknowledged.
                    break;
                }
                byte[] line = buffer.toByteArray();
                if (isBlank(line)) {
                    goodEnd += line.length + 1;
                    continue;
                }
                JournalRecord record;
                try {
                    record = Json.mapper().readValue(line, JournalRecord.class);
                } catch (IOException e) {
                    if (restIsBlank(in)) {
                        break;
                    }
                    throw new IndexCorruptException(file, lineNumber, "unreadable record (" + reason(e) + ")", e);
                }
                replay.accept(record, lineNumber);
                goodEnd += line.length + 1;
                records++;
            }
        }
        return new Scan(goodEnd, records);
    }

    /** Reads up to and excluding the next '\n'; returns '\n', or -1 at end of file. */
    private static int readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Returns true if nothing but whitespace or the zeros a crash can leave follows. */
    private static boolean restIsBlank(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != -1) {
            if (!isFiller((byte) b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFiller(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0;
    }

    private static String reason(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
    }

    /** Appends one record as a line and returns once it is on disk; on failure the journal is as before. */
    void append(JournalRecord record) throws IOException {
        if (broken) {
            throw new IOException("journal " + file + " could not be restored after a failed write;"
                    + " restart the server");
        }
        byte[] json = Json.mapper().writeValueAsBytes(record);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        long start = size;
        try {
            out.seek(start);
            out.write(line);
            out.getFD().sync();
        } catch (IOException e) {
            // Cut the partial line off, or the next append would bury it in the middle of the file.
            try {
                out.setLength(start);
                out.getFD().sync();
            } catch (IOException again) {
                e.addSuppressed(again);
                broken = true;
            }
            throw e;
        }
        size = start + line.length;
        lines++;
    }

    /** Empties the journal once a snapshot holds everything it recorded. */
    void reset() throws IOException {
        try {
            out.setLength(0);
            out.getFD().sync();
            size = 0;
            lines = 0;
        } catch (IOException e) {
            try {
                size = out.length();
            } catch (IOException again) {
                e.addSuppressed(again);
                broken = true;
            }
            throw e;
        }
    }

    long lines() {
        return lines;
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
