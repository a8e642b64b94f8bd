package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.JsonBodies;
import java.io.BufferedInputStream;
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
        return isGzipped(ctx) ? bounded.apply(OneGzipMember.of(body)) : body;
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
        if (json.length >= JsonBodies.GZIP_MIN_BYTES && JsonBodies.acceptsGzip(ctx.header(Header.ACCEPT_ENCODING))) {
            ctx.header(Header.CONTENT_ENCODING, JsonBodies.GZIP);
            json = JsonBodies.gzip(json);
        }
        ctx.result(json);
    }

    /**
     * One gzip member and nothing after it. The JDK's reader follows a chain of members by calling itself once
     * per member, either when the stream underneath says more is available or when more than 26 bytes are left
     * in its own buffer after a member. Here the stream says nothing is available and the reader's buffer holds
     * 26 bytes (reading from a buffer of our own), so it never starts a second member. With its default 512-byte
     * buffer, 20,000 members aligned to it were read as one body, one call deeper each. Bytes after the member,
     * in the reader's buffer or after it, are refused.
     */
    private static final class OneGzipMember extends FilterInputStream {
        /** The most a gzip reader may hold in its buffer and still never start a second member on its own. */
        private static final int READER_BUFFER = 26;
        private static final int TRAILER_BYTES = 8;

        private final InputStream rest;
        private final Reader reader;

        private OneGzipMember(Reader reader, InputStream rest) {
            super(reader);
            this.reader = reader;
            this.rest = rest;
        }

        static OneGzipMember of(InputStream body) throws IOException {
            InputStream buffered = new BufferedInputStream(body, 64 * 1024);
            return new OneGzipMember(new Reader(new FilterInputStream(buffered) {
                @Override
                public int available() {
                    return 0;
                }
            }), buffered);
        }

        /** The JDK's reader with the small buffer, telling how much input it holds beyond a member's end. */
        private static final class Reader extends GZIPInputStream {
            Reader(InputStream in) throws IOException {
                super(in, READER_BUFFER);
            }

            boolean holdsBytesAfterTheTrailer() {
                return inf.getRemaining() > TRAILER_BYTES;
            }
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
            if (reader.holdsBytesAfterTheTrailer() || rest.read() >= 0) {
                throw new ZipException("the body goes on after its gzip data");
            }
            return end;
        }
    }
}
