package io.syncedfolder.client.plan;

import io.syncedfolder.common.PathRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Names conflict copies as SPEC §3 says: {@code <stem>.sync-conflict-<yyyyMMdd-HHmmss>-<device><.ext>},
 * e.g. {@code report.sync-conflict-20261122-031500-laptop.txt}.
 */
public final class ConflictNames {
    static final String MARKER = ".sync-conflict-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int STAMP_LENGTH = "yyyyMMdd-HHmmss".length();

    private ConflictNames() {
    }

    /**
     * Returns the conflict-copy path for {@code path}, adding {@code -2}, {@code -3}… to the device part
     * while {@code taken} says the name is in use.
     */
    public static String copyPath(String path, String device, Instant when, ZoneId zone, Predicate<String> taken) {
        // A copy of a copy is named after the original, so copies never nest.
        String original = parse(path).map(Copy::original).orElse(path);
        String parent = PathRules.parent(original);
        String name = PathRules.name(original);
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

    /**
     * A conflict copy's name taken apart.
     *
     * @param original the path of the file it is a copy of
     * @param stamp    when it was made, {@code yyyyMMdd-HHmmss} (sorts in time order)
     * @param device   the device whose version it holds, as written in the name
     */
    public record Copy(String path, String original, String stamp, String device) {
    }

    /** Takes a conflict copy's path apart; empty if it is not one. */
    public static Optional<Copy> parse(String path) {
        String name = PathRules.name(path);
        int marker = name.indexOf(MARKER);
        int stampEnd = marker + MARKER.length() + STAMP_LENGTH;
        if (marker < 0 || stampEnd + 1 >= name.length() || name.charAt(stampEnd) != '-') {
            return Optional.empty();
        }
        String stamp = name.substring(marker + MARKER.length(), stampEnd);
        if (!stamp.matches("\\d{8}-\\d{6}")) {
            return Optional.empty();
        }
        String rest = name.substring(stampEnd + 1);
        int dot = rest.lastIndexOf('.');
        String extension = dot > 0 ? rest.substring(dot) : "";
        String device = dot > 0 ? rest.substring(0, dot) : rest;
        String parent = PathRules.parent(path);
        String originalName = name.substring(0, marker) + extension;
        return Optional.of(new Copy(path, parent.isEmpty() ? originalName : parent + "/" + originalName, stamp, device));
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
