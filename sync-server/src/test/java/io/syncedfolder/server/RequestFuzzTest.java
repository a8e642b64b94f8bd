package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTTP handlers against fuzzed requests, sent by a client holding the right token to one real server: JSON
 * decoding (commit, missing, fetch, restore), packs and single chunks, and every route that takes a path in its
 * URL. No answer may be a 5xx, and nothing may appear beside the data directory. Replays the kept corpus in every
 * build; fuzzes for 60 s with {@code JAZZER_FUZZ=1}.
 */
class RequestFuzzTest {
    private static final String TOKEN = "fuzz-token";
    private static final Server SERVER = new Server();

    /** One server for every input: starting one per input would leave no time for fuzzing. */
    private static final class Server {
        final Path parent;
        final Http http;
        final int port;

        Server() {
            try {
                parent = Files.createTempDirectory("request-fuzz");
                Files.writeString(parent.resolve("sentinel"), "outside the data directory");
                SyncServer server = SyncServer.start(ServerConfig.localhost(parent.resolve("data"), TOKEN));
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                http = new Http(server.baseUrl(), TOKEN);
                port = server.port();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the server to fuzz", e);
            }
        }

        void requireNothingOutside() throws IOException {
            try (Stream<Path> beside = Files.list(parent)) {
                assertThat(beside.map(p -> p.getFileName().toString()).sorted()).containsExactly("data", "sentinel");
            }
            assertThat(parent.resolve("sentinel")).hasContent("outside the data directory");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void noRequestCrashesTheServerOrWritesOutsideItsData(FuzzedDataProvider data) throws Exception {
        // Jazzer treats any connection as a possible request forgery; this test's only peer is its own server on
        // loopback (the JDK client may connect by address or by name).
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> port == SERVER.port && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            send(data);
        }
        SERVER.requireNothingOutside();
    }

    private interface Exchange {
        Http.Response send() throws IOException, InterruptedException;
    }

    /**
     * Sends once more on a fresh connection if the first went down unanswered: the JDK client may reuse a
     * connection the server has just closed (it closes one after refusing a request whose body it did not read).
     */
    private static Http.Response answered(Exchange exchange) throws IOException, InterruptedException {
        try {
            return exchange.send();
        } catch (IOException lostConnection) {
            return exchange.send();
        }
    }

    private static void send(FuzzedDataProvider data) throws Exception {
        int route = data.consumeInt(0, 8);
        Http http = SERVER.http;
        Exchange exchange = switch (route) {
            case 0 -> post(http, "/api/v1/commit", commitBody(data));
            case 1 -> post(http, "/api/v1/commit", data.consumeRemainingAsString());
            case 2 -> {
                byte[] pack = data.consumeRemainingAsBytes();
                yield () -> http.post("/api/v1/blobs/pack", "application/x-synced-folder-pack",
                        HttpRequest.BodyPublishers.ofByteArray(pack));
            }
            case 3 -> post(http, "/api/v1/blobs/missing", data.consumeRemainingAsString());
            case 4 -> post(http, data.consumeBoolean() ? "/api/v1/blobs/fetch" : "/api/v1/blobs/delta",
                    data.consumeRemainingAsString());
            case 5 -> post(http, "/api/v1/restore", data.consumeRemainingAsString());
            case 6 -> {
                String path = "/api/v1/blobs/" + encoded(data.consumeString(80));
                byte[] body = data.consumeRemainingAsBytes();
                yield () -> http.put(path, body);
            }
            case 7 -> get(http, List.of("/api/v1/history?path=", "/api/v1/file?path=", "/api/v1/files?dir=")
                    .get(data.consumeInt(0, 2)) + encoded(data.consumeRemainingAsString()));
            default -> get(http, "/api/v1/changes?since=" + encoded(data.consumeString(20)) + "&wait=0&limit="
                    + encoded(data.consumeRemainingAsString()));
        };
        Http.Response answer = answered(exchange);
        assertThat(answer.status()).as("answer to route %d: %s", route, answer).isLessThan(500);
    }

    private static Exchange post(Http http, String path, String json) {
        return () -> http.post(path, json);
    }

    private static Exchange get(Http http, String path) {
        return () -> http.get(path);
    }

    /** A commit shaped like the real thing, with fuzzed paths, hashes, sizes and versions in it. */
    private static String commitBody(FuzzedDataProvider data) {
        StringBuilder changes = new StringBuilder();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                changes.append(',');
            }
            changes.append(String.format("{\"path\":%s,\"baseVersion\":%d,\"kind\":%s,\"deleted\":%b,\"sha256\":%s,"
                            + "\"size\":%d,\"mtime\":%d,\"executable\":%b,\"chunks\":[{\"sha256\":%s,\"size\":%d}]}",
                    Http.toJson(data.consumeString(300)), data.consumeLong(), Http.toJson(data.pickValue(
                            new String[] {"FILE", "DIRECTORY", "LINK", ""})), data.consumeBoolean(),
                    Http.toJson(data.consumeString(70)), data.consumeLong(), data.consumeLong(), data.consumeBoolean(),
                    Http.toJson(data.consumeString(70)), data.consumeLong()));
        }
        return "{\"device\":" + Http.toJson(data.consumeRemainingAsString()) + ",\"changes\":[" + changes + "]}";
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
