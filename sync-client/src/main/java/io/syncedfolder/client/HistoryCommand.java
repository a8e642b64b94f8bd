package io.syncedfolder.client;

import io.syncedfolder.client.history.HistoryText;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.protocol.HistoryResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sync-client history PATH}: the versions of a file the server keeps. */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists the versions of a file the server keeps, the current one first: version number, whether it was a "
                + "file, a folder or a deletion, its modification time, when a later version replaced it, its size "
                + "and the device that made it. The server keeps earlier versions for a while (see its "
                + "--keep-versions and --keep-days); 'restore' brings one back.",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the versions were listed",
            "1:the server has no record of the path, or could not be asked",
            "2:bad usage"
        })
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    private ClientMain parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "The file, relative to the folder or absolute inside it.")
    private String path;

    @Option(names = "--json", description = "Print the versions as JSON, for scripts.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String syncPath;
        try {
            syncPath = FolderPaths.syncPath(parent.folder(), path);
        } catch (BadPathException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        HistoryResponse history;
        try (ServerClient server = parent.connect()) {
            history = server.history(syncPath);
        } catch (ServerException e) {
            err.println("sync-client: " + (e.status() == 404 ? "the server has no record of " + syncPath : e.getMessage()));
            return 1;
        } catch (IOException e) {
            err.println("sync-client: " + e.getMessage());
            return 1;
        }
        Listing.print(out, json, history, o -> HistoryText.print(history, o, ZoneId.systemDefault()));
        return 0;
    }
}
