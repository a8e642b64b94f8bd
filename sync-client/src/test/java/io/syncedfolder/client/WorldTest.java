package io.syncedfolder.client;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with one real server and named clients on temporary folders ({@link TestWorld}), closed after each test. */
abstract class WorldTest {
    @TempDir
    Path temp;

    TestWorld world;

    @BeforeEach
    void startWorld() throws IOException {
        world = new TestWorld(temp);
    }

    @AfterEach
    void closeWorld() throws IOException {
        world.close();
    }
}
