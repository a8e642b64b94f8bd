package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.JsonBodies;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.server.auth.AuthThrottle;
import io.syncedfolder.server.auth.Authenticator;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.metrics.ServerMetrics;
import io.syncedfolder.server.service.BlobCollector;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests the server cannot or will not handle get a JSON answer, never a crash. */
class HttpApiLimitsTest {
    private static final int LIMIT = 1024;

    @TempDir
    Path data;

    private DataDir dataDir;
    private Namespaces namespaces;
    private FileIndex index;
    private HttpApi api;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        dataDir = DataDir.open(data);
        BlobStore blobs = BlobStore.open(dataDir.blobs());
        namespaces = Namespaces.open(dataDir, blobs, RetentionPolicy.DEFAULT, Clock.systemUTC());
        index = namespaces.get(DataDir.DEFAULT_NAMESPACE).index();
        api = HttpApi.start("127.0.0.1", 0, LIMIT, Authenticator.singleToken("t"), AuthThrottle.standard(),
                namespaces, blobs, new ServerMetrics(), () -> new BlobCollector.Totals(0, 0, 0, 0), null);
        http = new Http("http://127.0.0.1:" + api.port(), "t");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        namespaces.close();
        dataDir.close();
    }

    private static String padded(int size) {
        String json = "{\"hashes\":[]}";
        return " ".repeat(size - json.length()) + json;
    }

    @Test
    void bodyAtTheLimitIsRead() throws Exception {
        Http.Response response = http.post("/api/v1/blobs/missing", padded(LIMIT));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json(MissingResponse.class).missing()).isEmpty();
    }

    @Test
    void declaredLengthOverTheLimitIs413() throws Exception {
        Http.Response response = http.post("/api/v1/blobs/missing", padded(LIMIT + 1));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("too large");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = padded(3 * LIMIT).getBytes(StandardCharsets.UTF_8);

        Http.Response response = http.send("POST", "/api/v1/commit",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("too large");
        assertThat(index.sequence()).isZero();
    }

    @Test
    void gzippedBodyThatInflatesOverTheLimitIs413() throws Exception {
        byte[] bomb = JsonBodies.gzip(padded(100 * LIMIT).getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(LIMIT);

        Http.Response response = http.send("POST", "/api/v1/commit", Map.of("Content-Encoding", "gzip"),
                HttpRequest.BodyPublishers.ofByteArray(bomb));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("too large");
        assertThat(index.sequence()).isZero();
    }

    @Test
    void unexpectedFailureIs500WithoutDetailsForTheClient() throws Exception {
        index.close(); // the next commit fails with an IOException deep inside the index

        Http.Response response = http.postJson("/api/v1/commit",
                new CommitRequest("laptop", List.of(Change.directory("d", 0, 1))));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json(ErrorBody.class)).isEqualTo(new ErrorBody("internal error",
                "the server could not complete the request; its log has the details"));
        assertThat(http.get("/health").status()).isEqualTo(200);
    }
}
