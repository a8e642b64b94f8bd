package io.syncedfolder.client.state;

import java.util.List;

/**
 * How the latest pass of the client ended, kept in {@code .sync/last-pass.json} for {@code status}.
 *
 * @param server       the server URL the folder syncs with
 * @param device       this client's device name
 * @param endedAt      when the pass ended, epoch milliseconds
 * @param inSync       true if the folder matched the server then
 * @param lastInSyncAt when a pass last ended in sync, epoch milliseconds (0: never)
 * @param problems     what kept the pass from being in sync
 */
public record LastPass(String server, String device, long endedAt, boolean inSync, long lastInSyncAt,
                       List<String> problems) {
    public LastPass {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
