package io.syncedfolder.client;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;

/** A {@link WorldTest} with two clients, alice and bob, on their own folders. */
abstract class TwoClientsTest extends WorldTest {
    TestClient alice;
    TestClient bob;

    @BeforeEach
    void startClients() throws IOException {
        alice = world.client("alice");
        bob = world.client("bob");
    }
}
