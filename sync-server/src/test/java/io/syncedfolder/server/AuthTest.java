package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.server.auth.AuthThrottle;
import io.syncedfolder.server.auth.Tokens;
import io.syncedfolder.server.auth.UserStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way to present a bad token gets one and the same 401; accounts change under a running server. */
class AuthTest {
    private static final ErrorBody UNAUTHORIZED = new ErrorBody("unauthorized",
            "a valid \"Authorization: Bearer <token>\" header is required");

    @TempDir
    Path data;

    private SyncServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void assertUnauthorized(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.json(ErrorBody.class)).isEqualTo(UNAUTHORIZED);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void missingMalformedWrongRevokedAndRotatedTokensAllGetTheSame401() throws Exception {
        UserStore users = new UserStore(data);
        String alice = users.add("alice", 1).token();
        String bob = users.add("bob", 2).token();
        // This test fails on purpose more often than the standard throttle allows; the throttle has its own test.
        server = SyncServer.start(UserIsolationTest.usersOnly(data), java.time.Clock.systemUTC(),
                new AuthThrottle(1000, java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC()));
        String url = server.baseUrl();
        assertThat(new Http(url, alice).get("/api/v1/changes").status()).isEqualTo(200);
        assertThat(new Http(url, bob).get("/api/v1/changes").status()).isEqualTo(200);

        String rotatedAway = bob;
        String bobNow = users.rotate("bob").token();
        users.remove("alice");
        Map<String, Http> bad = new LinkedHashMap<>();
        bad.put("no header", Http.withHeader(url, null));
        bad.put("empty header", Http.withHeader(url, ""));
        bad.put("Basic scheme", Http.withHeader(url, "Basic YWxpY2U6c2VjcmV0"));
        bad.put("Bearer without token", Http.withHeader(url, "Bearer"));
        bad.put("Bearer and spaces", Http.withHeader(url, "Bearer    "));
        bad.put("token without scheme", Http.withHeader(url, bobNow));
        bad.put("user name as token", new Http(url, "bob"));
        bad.put("unknown token", new Http(url, Tokens.generate()));
        bad.put("token hash as token", new Http(url, users.list().get(0).tokenSha256()));
        bad.put("non-ASCII junk", new Http(url, "\u00ff\u00fe%00"));
        bad.put("very long", new Http(url, "x".repeat(8000)));
        bad.put("token plus a character", new Http(url, bobNow + "x"));
        bad.put("token cut short", new Http(url, bobNow.substring(1)));
        bad.put("revoked (user removed)", new Http(url, alice));
        bad.put("rotated away", new Http(url, rotatedAway));
        List<String> tried = new ArrayList<>();
        for (Map.Entry<String, Http> attempt : bad.entrySet()) {
            for (String route : List.of("/api/v1/changes", "/api/v1/status", "/metrics")) {
                tried.add(attempt.getKey() + " " + route);
                Http.Response response = attempt.getValue().get(route);
                assertUnauthorized(response);
            }
        }
        // The rotation took effect without a restart; the new token works, in the same namespace.
        assertThat(new Http(url, bobNow).get("/api/v1/changes").status()).isEqualTo(200);
        assertThat(new Http(url, "  " + bobNow + "  ").get("/api/v1/changes").status()).isEqualTo(200);
        System.out.println("AuthTest: " + tried.size() + " refused sign-ins");
    }

    @Test
    void aUserAddedWhileTheServerRunsCanSignInAtOnce() throws Exception {
        UserStore users = new UserStore(data);
        users.add("first", 1);
        server = SyncServer.start(UserIsolationTest.usersOnly(data));

        String carol = users.add("carol", 2).token();

        assertThat(new Http(server.baseUrl(), carol).get("/api/v1/changes").status()).isEqualTo(200);
    }

    @Test
    void tokenAndUsersTogether() throws Exception {
        UserStore users = new UserStore(data);
        String alice = users.add("alice", 1).token();
        server = SyncServer.start(new ServerConfig(ServerConfig.DEFAULT_BIND, 0, data, "operator-token"));

        Http operator = new Http(server.baseUrl(), "operator-token");
        Http user = new Http(server.baseUrl(), alice);
        assertThat(operator.get("/metrics").status()).isEqualTo(200);
        assertThat(user.get("/metrics").status()).isEqualTo(403);
        assertThat(operator.postJson("/api/v1/commit", new io.syncedfolder.common.protocol.CommitRequest("d",
                List.of(io.syncedfolder.common.protocol.Change.directory("shared", 0, 1)))).status()).isEqualTo(200);
        assertThat(user.get("/api/v1/files").text()).doesNotContain("shared");
    }

    @Test
    void anAddressThatKeepsFailingIsThrottledEvenWithTheRightToken() throws Exception {
        server = SyncServer.start(ServerConfig.localhost(data, "right"));
        Http wrong = new Http(server.baseUrl(), "wrong");
        for (int i = 0; i < AuthThrottle.MAX_FAILURES; i++) {
            assertUnauthorized(wrong.get("/api/v1/changes"));
        }

        Http.Response throttled = wrong.get("/api/v1/changes");
        Http.Response evenRight = new Http(server.baseUrl(), "right").get("/api/v1/changes");

        for (Http.Response response : List.of(throttled, evenRight)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(429);
            assertThat(response.json(ErrorBody.class).error()).isEqualTo("too many attempts");
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        }
        assertThat(new Http(server.baseUrl(), "right").get("/health").status()).isEqualTo(200);
    }
}
