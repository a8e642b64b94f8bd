package io.syncedfolder.client;

import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.FileEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sync-client restore PATH [--version V]}: brings back an earlier version, or a deleted file. */
@Command(name = "restore", sortOptions = false,
        description = {
            "Brings back an earlier version of a file, or a deleted file, as its new current version on the "
                + "server; every client's next pass downloads it (a running client within a second). The version "
                + "it replaces stays in the history, so a restore can itself be undone. Without --version it brings "
                + "back the newest earlier version ('history' and 'trash' list them).",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the version was restored",
            "1:the server does not keep that version, refused, or could not be asked",
            "2:bad usage"
        })
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    private ClientMain parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "The file, relative to the folder or absolute inside it.")
    private String path;

    @Option(names = "--version", paramLabel = "V",
            description = "The version to bring back (default: the newest earlier one).")
    private Long version;

    @Option(names = "--json", description = "Print the new current entry as JSON, for scripts.")
    private boolean json;

    // Not the standard help options: their --version (print the program's version) would take this command's.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (version != null && version < 1) {
            throw new ParameterException(spec.commandLine(), "--version must be a version number from 'history'");
        }
        String syncPath;
        try {
            syncPath = FolderPaths.syncPath(parent.folder(), path);
        } catch (BadPathException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FileEntry restored;
        try (ServerClient server = parent.connect()) {
            restored = server.restore(syncPath, version);
        } catch (ServerException e) {
            err.println("sync-client: " + refusal(syncPath, e));
            return 1;
        } catch (IOException e) {
            err.println("sync-client: " + e.getMessage());
            return 1;
        }
        Listing.print(out, json, restored, o -> o.printf("restored %s%s as version %d; every client gets it on its next pass%n",
                syncPath, version == null ? "" : " from version " + version, restored.version()));
        return 0;
    }

    private String refusal(String syncPath, ServerException e) {
        return switch (e.status()) {
            case 404 -> "the server keeps no " + (version == null ? "earlier version" : "version " + version) + " of "
                    + syncPath + "; 'sync-client history " + syncPath + "' lists the ones it keeps";
            case 400, 409 -> "cannot restore " + syncPath + ": " + e.getMessage();
            default -> e.getMessage();
        };
    }
}
