package io.syncedfolder.client.plan;

import java.util.List;

/**
 * The ordered actions of one pass: conflicts first (they move local files aside), then directories to
 * create (shallowest first), downloads, uploads and remote deletions, base records, local file deletions,
 * and local directory deletions (deepest first).
 *
 * @param notices remote paths this folder's file system cannot hold, each with what is done instead
 */
public record Plan(List<Action> actions, List<String> notices) {
    public Plan {
        actions = List.copyOf(actions);
        notices = List.copyOf(notices);
    }

    public Plan(List<Action> actions) {
        this(actions, List.of());
    }

    /** Returns the size of the files this plan uploads or downloads (chunks already on the other side are not sent). */
    public long bytesToTransfer() {
        long bytes = 0;
        for (Action action : actions) {
            if (action instanceof Action.Upload upload && !upload.local().isDirectory()) {
                bytes += upload.local().size();
            } else if (action instanceof Action.Download download) {
                bytes += download.remote().size();
            } else if (action instanceof Action.Conflict conflict) {
                bytes += conflict.local().size() + conflict.remote().size();
            }
        }
        return bytes;
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    public <T extends Action> List<T> actionsOf(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
