package io.syncedfolder.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.Json;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints what a command found: as indented JSON for scripts ({@code --json}), else as text for people. */
final class Listing {
    private Listing() {
    }

    static void print(PrintWriter out, boolean json, Object value, Consumer<PrintWriter> asText)
            throws JsonProcessingException {
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } else {
            asText.accept(out);
        }
        out.flush();
    }
}
