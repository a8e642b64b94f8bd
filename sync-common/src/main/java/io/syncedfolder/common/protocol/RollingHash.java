package io.syncedfolder.common.protocol;

/**
 * A polynomial hash of a fixed-size window of bytes that moves along by one byte in constant time; both ends of
 * a delta compute it the same way, so one side's block hashes find the other side's blocks.
 */
final class RollingHash {
    private static final long MULTIPLIER = 0x100000001B3L;

    private final int window;
    /** MULTIPLIER to the power window - 1, which takes the byte leaving the window out of the hash. */
    private final long outgoing;

    RollingHash(int window) {
        this.window = window;
        long power = 1;
        for (int i = 1; i < window; i++) {
            power *= MULTIPLIER;
        }
        this.outgoing = power;
    }

    /** Returns the hash of {@code bytes[from, from + window)}. */
    long of(byte[] bytes, int from) {
        long hash = 0;
        for (int i = from; i < from + window; i++) {
            hash = hash * MULTIPLIER + bytes[i];
        }
        return hash;
    }

    /** Returns the hash of the window moved one byte on: {@code leaving} out at its start, {@code entering} in. */
    long roll(long hash, byte leaving, byte entering) {
        return (hash - leaving * outgoing) * MULTIPLIER + entering;
    }
}
