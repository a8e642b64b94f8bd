package io.syncedfolder.client.remote;

import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.StaleResponse;
import java.util.List;

/** What the server did with a commit: every expected outcome is a value, not an exception. */
public sealed interface CommitResult {
    /** All changes were applied. */
    record Accepted(CommitResponse response) implements CommitResult {
    }

    /** Another device changed some of the paths first (HTTP 409); nothing was applied. */
    record Stale(StaleResponse response) implements CommitResult {
    }

    /** The server lacks blobs the commit refers to (HTTP 422); nothing was applied. */
    record MissingBlobs(List<String> missing) implements CommitResult {
        public MissingBlobs {
            missing = List.copyOf(missing);
        }
    }
}
