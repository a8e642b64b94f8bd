package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.JsonBodies;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Large JSON bodies travel gzipped both ways ({@link JsonBodies}): a request body may come with
 * {@code Content-Encoding: gzip} (answers say so with {@code Accept-Encoding: gzip}, RFC 7694, so a client
 * compresses only for a server that reads it), and a large answer is gzipped for a client that accepts it.
 * Blobs, packs and deltas never are: they are hashed content, which compressing only costs CPU.
 */
final class JsonEncoding {
    private JsonEncoding() {
    }

    /**
     * Returns the request body as JSON text, decompressed if it came gzipped. {@code bounded} limits a stream to
     * the most a JSON body may have; it is applied to the body as sent and, if gzipped, to the JSON inside too.
     *
     * @throws HttpResponseException 415 for any other content encoding
     * @throws IOException           if a gzipped body does not start as gzip does
     */
    static InputStream body(Context ctx, UnaryOperator<InputStream> bounded) throws IOException {
        InputStream body = bounded.apply(SlowBodyGuard.body(ctx));
        return isGzipped(ctx) ? bounded.apply(new OneGzipMember(body)) : body;
    }

    /**
     * Reads a gzipped body to its end once its JSON is read, so its checksum is checked and nothing may follow.
     * A plain body has nothing left to check once its JSON is read.
     */
    static void finish(Context ctx, InputStream body) throws IOException {
        if (isGzipped(ctx)) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Returns whether the request body is gzipped, false if it is sent as it is.
     *
     * @throws HttpResponseException 415 for any other content encoding
     */
    private static boolean isGzipped(Context ctx) {
        String encoding = ctx.header(Header.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return false;
        }
        if (encoding.strip().equalsIgnoreCase(JsonBodies.GZIP)) {
            return true;
        }
        throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                "a JSON body is sent as it is or with Content-Encoding: gzip, not \"" + encoding + "\"");
    }

    /** Answers {@code value} as JSON, gzipped if it is large and the client accepts gzip. */
    static void answer(Context ctx, Object value) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("an answer that cannot be written as JSON", e);
        }
        // Accept-Encoding in an answer (RFC 7694): this server reads gzipped request bodies.
        ctx.contentType(ContentType.APPLICATION_JSON).header(Header.VARY, Header.ACCEPT_ENCODING)
                .header(Header.ACCEPT_ENCODING, JsonBodies.GZIP);
        if (json.length >= JsonBodies.GZIP_MIN_BYTES && acceptsGzip(ctx.header(Header.ACCEPT_ENCODING))) {
            ctx.header(Header.CONTENT_ENCODING, JsonBodies.GZIP);
            json = JsonBodies.gzip(json);
        }
        ctx.result(json);
    }

    /**
     * One gzip member and nothing after it. The JDK's reader follows a chain of members by calling itself once
     * per member, so thousands of empty ones in a small body overflowed its stack; here it never sees more input
     * than its buffer holds ({@code available()} says 0), which bounds that chain, and bytes left after the end
     * are refused.
     */
    private static final class OneGzipMember extends FilterInputStream {
        private final InputStream body;

        OneGzipMember(InputStream body) throws IOException {
            super(new GZIPInputStream(new FilterInputStream(body) {
                @Override
                public int available() {
                    return 0;
                }
            }));
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b < 0 ? requireEnd(b) : b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            return n < 0 ? requireEnd(n) : n;
        }

        private int requireEnd(int end) throws IOException {
            if (body.read() >= 0) {
                throw new ZipException("the body goes on after its gzip data");
            }
            return end;
        }
    }

    /** Returns whether an {@code Accept-Encoding} header lists gzip, and not with quality 0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].strip().equalsIgnoreCase(JsonBodies.GZIP)) {
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
