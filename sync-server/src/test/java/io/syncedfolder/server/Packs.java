package io.syncedfolder.server;

import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.PackWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds pack bodies for tests. */
final class Packs {
    private Packs() {
    }

    /** Returns a well-formed pack of {@code chunks}, each under its own hash. */
    static byte[] of(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PackWriter writer = new PackWriter(out);
        try {
            for (byte[] chunk : chunks) {
                writer.write(Hashing.sha256Hex(chunk), chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
