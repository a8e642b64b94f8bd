package io.syncedfolder.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** The settings of one client: which folder, which server, who we are. */
public record ClientConfig(String serverUrl, String token, Path folder, String device, Duration interval) {
    public ClientConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(interval, "interval");
    }
}
