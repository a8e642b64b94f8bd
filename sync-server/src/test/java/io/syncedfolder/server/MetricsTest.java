package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaRequest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text, behind the token, with requests counted by route pattern. */
class MetricsTest extends ServerTest {
    @Test
    void countsRequestsByRoutePatternAndReportsTheStore() throws Exception {
        byte[] body = "hello metrics".getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256Hex(body);
        http.put("/api/v1/blobs/" + sha, body);
        http.postJson("/api/v1/commit", new CommitRequest("laptop", List.of(Change.file("a.txt", 0, sha, body.length,
                1000, false, List.of(new ChunkRef(sha, body.length))))));
        new Http(server.baseUrl(), "wrong").get("/api/v1/changes?since=0");
        http.get("/no/such/route");

        Http.Response metrics = http.get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.text()).contains(
                "http_server_requests_seconds_count{method=\"PUT\",route=\"/api/v1/blobs/{sha256}\",status=\"201\"} 1",
                "http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/commit\",status=\"200\"} 1",
                "status=\"401\"",
                "route=\"unmatched\",status=\"404\"",
                "sync_commits_accepted_total 1.0",
                "sync_bytes_received_total " + body.length + ".0",
                "sync_index_entries 1.0",
                "sync_blobs_stored 1.0",
                "sync_blob_bytes_stored " + body.length + ".0",
                "sync_long_poll_waiters 0.0");
        assertThat(metrics.text()).doesNotContain(sha); // routes are patterns, never raw paths
    }

    @Test
    void countsDeltasBothWays() throws Exception {
        byte[] chunk = TestBytes.random(100_000, 3);
        String sha = Hashing.sha256Hex(chunk);
        http.put("/api/v1/blobs/" + sha, chunk);
        Http.Response delta = http.postJson("/api/v1/blobs/delta", new DeltaRequest(sha, sha));
        // The chunk against itself is one copy record, a delta the server takes back as an upload too.
        Http.Response upload = http.put("/api/v1/blobs/" + sha + "?base=" + sha + "&size=" + chunk.length,
                DeltaFormat.MEDIA_TYPE, HttpRequest.BodyPublishers.ofByteArray(delta.body()));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(200);

        String metrics = http.get("/metrics").text();

        assertThat(metrics).contains(
                "sync_delta_fetches_total 1.0",
                "sync_delta_bytes_sent_total " + delta.body().length + ".0",
                "sync_delta_uploads_total 1.0",
                "sync_delta_bytes_received_total " + delta.body().length + ".0");
    }

    @Test
    void metricsNeedTheToken() throws Exception {
        assertThat(Http.withHeader(server.baseUrl(), null).get("/metrics").status()).isEqualTo(401);
    }
}
