package io.syncedfolder.common;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Deterministic test data: SplitMix64 (Steele, Lea, Flood 2014), written out independently of {@link Chunker}. */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        state = seed;
    }

    long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Returns {@code length} bytes: the generator's outputs from {@code seed}, little-endian, truncated. */
    static byte[] bytes(long seed, int length) {
        SplitMix64 random = new SplitMix64(seed);
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (out.remaining() >= Long.BYTES) {
            out.putLong(random.next());
        }
        long last = random.next();
        while (out.hasRemaining()) {
            out.put((byte) last);
            last >>>= 8;
        }
        return out.array();
    }
}
