package io.syncedfolder.client.exec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Is told about each step the executor is about to take on disk, right before it takes it: the seam through
 * which tests inject a full disk, a slow write or a crash between two steps. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface DiskHook {
    /** What the executor is about to do. */
    enum Step {
        /** Write downloaded bytes into a part file or a staged chunk in {@code .sync/tmp}. */
        WRITE_PART,
        /** Give a finished part file its remote modification time and executable bit. */
        SET_ATTRIBUTES,
        /** Rename a finished part file over its final path. */
        RENAME_INTO_PLACE,
        /** Move a local file aside as a conflict copy. */
        MOVE_ASIDE,
        /** Delete a file or an empty folder. */
        DELETE,
        /** Create a folder. */
        MAKE_DIRECTORY
    }

    DiskHook NONE = (step, path) -> { };

    /** Runs before {@code step} on {@code path}; an exception it throws fails the step as the disk would. */
    void before(Step step, Path path) throws IOException;
}
