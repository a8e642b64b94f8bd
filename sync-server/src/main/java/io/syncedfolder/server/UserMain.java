package io.syncedfolder.server;

import io.syncedfolder.common.Json;
import io.syncedfolder.server.auth.UserRecord;
import io.syncedfolder.server.auth.UserStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sync-server user} commands: add, list, remove and rotate accounts in {@code <data>/users.json}
 * ({@link UserStore} does the work). They work with the server stopped or running: a running server rereads the
 * file on the next request. Exit codes: 0 done, 1 it could not be done (no such user, a user of that name exists,
 * the file is unreadable), 2 bad usage.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manages user accounts: each user has their own files, history and token.",
        subcommands = {UserMain.Add.class, UserMain.ListUsers.class, UserMain.Remove.class, UserMain.Token.class})
final class UserMain extends CommandGroup {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** The options every user command takes. */
    static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "server-data",
                description = "the server's data directory (default: ./${DEFAULT-VALUE})")
        Path data;
    }

    /** Runs a user command, turning its refusals into exit code 1 with a one-line reason. */
    private abstract static class UserCommand implements Callable<Integer> {
        @CommandLine.Mixin
        DataOption options = new DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                run(new UserStore(options.data), spec.commandLine().getOut(), err);
                return CommandLine.ExitCode.OK;
            } catch (UserStore.UserException | IOException e) {
                err.println("sync-server user " + spec.name() + ": " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            } finally {
                spec.commandLine().getOut().flush();
                err.flush();
            }
        }

        abstract void run(UserStore store, PrintWriter out, PrintWriter err)
                throws IOException, UserStore.UserException;

        /** Prints a new token alone on stdout (for scripts) and what to do with it on stderr (for people). */
        static void printToken(UserStore.Issued issued, String what, PrintWriter out, PrintWriter err) {
            out.println(issued.token());
            err.println(what + " " + issued.user().name() + ". The token above is shown only now and kept nowhere;"
                    + " give it to the user's clients (--token or SYNC_TOKEN).");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a user and prints their new token, once.")
    static final class Add extends UserCommand {
        @Parameters(paramLabel = "NAME", description = "1 to 32 of a-z, 0-9, _ and -")
        String name;

        @Override
        void run(UserStore store, PrintWriter out, PrintWriter err) throws IOException, UserStore.UserException {
            if (UserRecord.nameProblem(name) != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "cannot add \"" + name + "\": " + UserRecord.nameProblem(name));
            }
            printToken(store.add(name, System.currentTimeMillis()), "Added user", out, err);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the users and when each was added (never tokens).")
    static final class ListUsers extends UserCommand {
        @Option(names = "--json", description = "print the list as JSON")
        boolean json;

        @Override
        void run(UserStore store, PrintWriter out, PrintWriter err) throws IOException {
            List<UserRecord> users = store.list();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (UserRecord user : users) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", user.name());
                    row.put("created", user.created());
                    rows.add(row);
                }
                out.println(Json.mapper().writeValueAsString(Map.of("users", rows)));
                return;
            }
            if (users.isEmpty()) {
                out.println("no users; add one with: sync-server user add NAME --data " + options.data);
                return;
            }
            int width = Math.max(4, users.stream().mapToInt(u -> u.name().length()).max().orElse(0));
            out.println(String.format("%-" + width + "s  %s", "NAME", "CREATED"));
            for (UserRecord user : users) {
                out.println(String.format("%-" + width + "s  %s", user.name(),
                        TIME.format(Instant.ofEpochMilli(user.created()))));
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a user: their token stops working at once. Their files stay in the data"
                    + " directory; a new user of the same name does not get them.")
    static final class Remove extends UserCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(UserStore store, PrintWriter out, PrintWriter err) throws IOException, UserStore.UserException {
            UserRecord removed = store.remove(name);
            out.println("removed user " + removed.name() + "; their files stay in "
                    + store.file().resolveSibling("namespaces").resolve(removed.namespace()));
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Gives a user a new token and prints it, once; the old token stops working at once.")
    static final class Token extends UserCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(UserStore store, PrintWriter out, PrintWriter err) throws IOException, UserStore.UserException {
            printToken(store.rotate(name), "New token for user", out, err);
        }
    }
}
