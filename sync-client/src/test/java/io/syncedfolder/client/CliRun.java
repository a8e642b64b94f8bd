package io.syncedfolder.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** The client's command line run in-process, through its real entry point: exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClientMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs {@code command} on {@code client}'s folder, followed by {@code rest}. */
    static CliRun on(TestClient client, String command, String... rest) {
        List<String> args = new ArrayList<>(List.of(command, "--folder", client.folder.toString()));
        args.addAll(List.of(rest));
        return of(args.toArray(String[]::new));
    }
}
