package io.syncedfolder.common.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * When a JSON body is worth compressing, both ways: large bodies are mostly chunk lists, SHA-256 in hex, which
 * gzip (at its fastest level) halves for a few milliseconds per megabyte.
 */
public final class JsonBodies {
    /** Bodies shorter than this travel as they are: compressing them saves less than a packet. */
    public static final int GZIP_MIN_BYTES = 8 * 1024;
    /** The {@code Content-Encoding} of a compressed body. */
    public static final String GZIP = "gzip";

    private JsonBodies() {
    }

    /** Returns {@code json} compressed with gzip at its fastest level. */
    public static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
        try (GZIPOutputStream gzip = new FastGzip(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }

    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** Returns whether an {@code Accept-Encoding} header lists gzip, and not with quality 0. */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].strip().equalsIgnoreCase(GZIP)) {
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].strip().replace(" ", "").matches("q=0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
