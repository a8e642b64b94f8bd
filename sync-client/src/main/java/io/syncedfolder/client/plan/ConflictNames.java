package io.syncedfolder.client.plan;

import io.syncedfolder.common.PathRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Predicate;

/**
 * Names conflict copies as SPEC §3 says: {@code <stem>.sync-conflict-<yyyyMMdd-HHmmss>-<device><.ext>},
 * e.g. {@code report.sync-conflict-20261122-031500-laptop.txt}.
 */
public final class ConflictNames {
    static final String MARKER = ".sync-conflict-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ConflictNames() {
    }

    /**
     * Returns the conflict-copy path for {@code path}, adding {@code -2}, {@code -3}… to the device part
     * while {@code taken} says the name is in use.
     */
    public static String copyPath(String path, String device, Instant when, ZoneId zone, Predicate<String> taken) {
        String parent = PathRules.parent(path);
        String name = PathRules.name(path);
        int dot = name.lastIndexOf('.');
        boolean hasExtension = dot > 0 && dot < name.length() - 1;
        String stem = hasExtension ? name.substring(0, dot) : name;
        String extension = hasExtension ? name.substring(dot) : "";
        String tag = MARKER + STAMP.format(when.atZone(zone)) + "-" + safeDevice(device);
        for (int attempt = 1; ; attempt++) {
            String suffix = tag + (attempt == 1 ? "" : "-" + attempt) + extension;
            String candidate = fit(stem, suffix);
            String full = parent.isEmpty() ? candidate : parent + "/" + candidate;
            if (!taken.test(full)) {
                return full;
            }
        }
    }

    /** True if {@code path} names a conflict copy. */
    public static boolean isCopy(String path) {
        return PathRules.name(path).contains(MARKER);
    }

    private static String safeDevice(String device) {
        String cleaned = device == null ? "" : device.replaceAll("[^\\p{L}\\p{N}._-]", "-");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }

    /** Shortens the stem so the name stays within the per-name byte limit. */
    private static String fit(String stem, String suffix) {
        int budget = PathRules.MAX_SEGMENT_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        String shortened = stem;
        while (shortened.getBytes(StandardCharsets.UTF_8).length > budget && !shortened.isEmpty()) {
            int cut = shortened.offsetByCodePoints(shortened.length(), -1);
            shortened = shortened.substring(0, cut);
        }
        return shortened + suffix;
    }
}
