package io.syncedfolder.client.watch;

/** Receives the watcher's hints; called from the watcher's thread. */
public interface ChangeListener {
    /** Something happened at this NFC path (or inside it, for a folder). */
    void touched(String path);

    /** Events were lost or the watcher failed: only a full rescan can tell what changed. */
    void rescanEverything(String reason);
}
