package io.syncedfolder.common;

import java.util.SplittableRandom;

/** Random benchmark input; any random bytes will do, so a library generator is fine here. */
final class BenchData {
    private BenchData() {
    }

    static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < length; i += Long.BYTES) {
            long value = random.nextLong();
            for (int b = 0; b < Long.BYTES && i + b < length; b++) {
                data[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return data;
    }
}
