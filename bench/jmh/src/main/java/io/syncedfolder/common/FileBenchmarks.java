package io.syncedfolder.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures {@link FileDigester#digest(Path)} and a plain SHA-256 of the same file (the floor) over a
 * {@value #SIZE_MIB} MiB temp file, in MiB/s. The file is in the page cache after it is written, so
 * this is CPU and copying, not the disk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class FileBenchmarks {
    static final int SIZE_MIB = 256;

    /** A temp file of random bytes, deleted after the run. */
    @State(Scope.Benchmark)
    public static class TempFile {
        Path file;

        @Setup
        public void write() throws IOException {
            file = Files.createTempFile("jmh-digest-", ".bin");
            Files.write(file, BenchData.randomBytes(SIZE_MIB * 1024 * 1024));
        }

        @TearDown
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public FileDigest digest(TempFile temp, Threads threads) throws IOException {
        try (InputStream in = Files.newInputStream(temp.file)) {
            return FileDigester.digest(in, FileDigester.BUFFER_SIZE, threads.pipelineThreshold());
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public byte[] sha256(TempFile temp) throws IOException {
        MessageDigest sha256 = Hashing.sha256();
        byte[] buffer = new byte[FileDigester.BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(temp.file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        return sha256.digest();
    }
}
