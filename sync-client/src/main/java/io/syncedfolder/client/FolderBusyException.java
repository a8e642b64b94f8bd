package io.syncedfolder.client;

import java.io.IOException;
import java.nio.file.Path;

/** Another client process is already syncing this folder. */
public final class FolderBusyException extends IOException {
    public FolderBusyException(Path folder) {
        super("another sync client is already running on " + folder.toAbsolutePath().normalize());
    }
}
