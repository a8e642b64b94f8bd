package io.syncedfolder.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what the client logs (to stdout, see simplelogger.properties) while a test step runs. */
final class ClientLog {
    interface Step {
        void run() throws IOException;
    }

    private ClientLog() {
    }

    static String of(Step step) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
