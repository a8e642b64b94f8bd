package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The server's {@code /metrics} after two real clients synced through it. */
class MetricsAfterSyncTest extends WorldTest {
    @Test
    void metricsShowWhatASyncDid() throws Exception {
        TestClient alice = world.client("alice");
        TestClient bob = world.client("bob");
        alice.write("a.txt", "first file").write("docs/b.txt", "second file");
        alice.sync();
        bob.sync();

        String metrics = scrape();

        assertThat(metrics).contains(
                "sync_commits_accepted_total 1.0",
                "sync_index_entries 3.0", // a.txt, docs, docs/b.txt
                "sync_blobs_stored 2.0",
                "sync_bytes_received_total 21.0",
                "sync_bytes_sent_total 21.0",
                "http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/commit\",status=\"200\"} 1",
                "route=\"/api/v1/blobs/fetch\",status=\"200\"");
    }

    private String scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(world.server.url() + "/metrics"))
                .header("Authorization", "Bearer " + TestServer.TOKEN).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
