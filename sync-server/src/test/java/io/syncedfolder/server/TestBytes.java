package io.syncedfolder.server;

import java.util.Random;

/** Content for tests: seeded random bytes, and edits of them. */
final class TestBytes {
    private TestBytes() {
    }

    /** Returns {@code size} random bytes, the same for the same seed. */
    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Returns {@code bytes} with {@code inserted} inserted at {@code at}. */
    static byte[] withInsertion(byte[] bytes, int at, byte[] inserted) {
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
        return result;
    }
}
