package io.syncedfolder.client;

import io.syncedfolder.client.history.TrashText;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.protocol.TrashResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sync-client trash}: the deleted files the server can still bring back. */
@Command(name = "trash", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists the deleted files the server can still bring back, the most recently deleted first: when, by "
                + "which device, and the size and version of their last content. 'restore PATH' brings one back.",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the trash was listed (it may be empty)",
            "1:the server could not be asked",
            "2:bad usage"
        })
final class TrashCommand implements Callable<Integer> {
    @ParentCommand
    private ClientMain parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the deleted files as JSON, for scripts.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TrashResponse trash;
        try (ServerClient server = parent.connect()) {
            trash = server.trash();
        } catch (IOException e) {
            spec.commandLine().getErr().println("sync-client: " + e.getMessage());
            return 1;
        }
        Listing.print(out, json, trash, o -> TrashText.print(trash, o, ZoneId.systemDefault()));
        return 0;
    }
}
