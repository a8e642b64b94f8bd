package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.JsonBodies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * Large JSON bodies travel gzipped both ways ({@link JsonBodies}): a request body may come with
 * {@code Content-Encoding: gzip}, and a large answer is gzipped for a client that accepts it. Blobs, packs and
 * deltas never are: they are hashed content, which compressing only costs CPU.
 */
final class JsonEncoding {
    private JsonEncoding() {
    }

    /**
     * Returns the request body as JSON text, decompressed if it came gzipped.
     *
     * @throws HttpResponseException 415 for any other content encoding
     * @throws IOException           if a gzipped body does not start as gzip does
     */
    static InputStream body(Context ctx) throws IOException {
        String encoding = ctx.header(Header.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return ctx.bodyInputStream();
        }
        if (encoding.strip().equalsIgnoreCase(JsonBodies.GZIP)) {
            return new GZIPInputStream(ctx.bodyInputStream(), 64 * 1024);
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
        ctx.contentType(ContentType.APPLICATION_JSON);
        if (json.length >= JsonBodies.GZIP_MIN_BYTES && acceptsGzip(ctx.header(Header.ACCEPT_ENCODING))) {
            ctx.header(Header.CONTENT_ENCODING, JsonBodies.GZIP);
            json = JsonBodies.gzip(json);
        }
        ctx.result(json);
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
