package io.syncedfolder.common;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures SHA-256, the chunker and {@link FileDigester} over 64 MiB of random bytes in memory, in MiB/s:
 * each invocation processes {@value #SIZE_MIB} MiB and counts as that many operations.
 *
 * <p>It sits in sync-common's package to reach {@code FileDigester}'s package-private pipeline threshold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class InMemoryBenchmarks {
    static final int SIZE_MIB = 64;

    private byte[] data;

    @Setup
    public void createData() {
        data = BenchData.randomBytes(SIZE_MIB * 1024 * 1024);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public byte[] sha256() {
        MessageDigest sha256 = Hashing.sha256();
        return sha256.digest(data);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public int chunkBoundaries() {
        Chunker chunker = new Chunker();
        int chunks = 0;
        for (int pos = 0, cut; (cut = chunker.nextCut(data, pos, data.length)) >= 0; pos = cut) {
            chunks++;
        }
        return chunks;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public FileDigest digest(Threads threads) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        return FileDigester.digest(in, FileDigester.BUFFER_SIZE, threads.pipelineThreshold());
    }
}
