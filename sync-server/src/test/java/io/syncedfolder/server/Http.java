package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for tests, speaking to one server with one token. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String baseUrl;
    private final String authorization;

    Http(String baseUrl, String token) {
        this(baseUrl, token, true);
    }

    private Http(String baseUrl, String authorization, boolean bearer) {
        this.baseUrl = baseUrl;
        this.authorization = authorization == null ? null : bearer ? "Bearer " + authorization : authorization;
    }

    /** Returns the token this client sends (for one made with a token). */
    String authorization() {
        return authorization == null ? null : authorization.substring("Bearer ".length());
    }

    /** Returns a client that sends this exact Authorization header value (null: none). */
    static Http withHeader(String baseUrl, String authorization) {
        return new Http(baseUrl, authorization, false);
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /**
     * Sends a GET without waiting for the answer, through {@code client}, allowing {@code timeout} for it (long
     * polls take longer than the usual 20 s).
     */
    CompletableFuture<Response> getAsync(HttpClient client, String path, Duration timeout) {
        HttpRequest request = request(path).timeout(timeout).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Response(response.statusCode(), response.body(), response.headers()));
    }

    Response put(String path, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Response postJson(String path, Object body) throws IOException, InterruptedException {
        return post(path, toJson(body));
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).POST(body));
    }

    Response put(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType).PUT(body));
    }

    Response send(String method, String path, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return send(request(path).method(method, body));
    }

    Response send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).method(method, body);
        headers.forEach(request::header);
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A received answer. */
    record Response(int status, byte[] body, HttpHeaders headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        <T> T json(Class<T> type) {
            try {
                return Json.mapper().readValue(body, type);
            } catch (IOException e) {
                throw new UncheckedIOException("not a " + type.getSimpleName() + ": " + text(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }
}
