package io.syncedfolder.client.plan;

import io.syncedfolder.common.PathRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names conflict copies as SPEC §3 says: {@code <stem>.sync-conflict-<yyyyMMdd-HHmmss>-<device><.ext>},
 * e.g. {@code report.sync-conflict-20261122-031500-laptop.txt}.
 */
public final class ConflictNames {
    static final String MARKER = ".sync-conflict-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** stem, stamp, device, extension; the device runs to the last dot, as {@link #copyPath} writes it. */
    private static final Pattern COPY_NAME =
            Pattern.compile("(.+)" + Pattern.quote(MARKER) + "(\\d{8}-\\d{6})-(.+?)(\\.[^.]+)?", Pattern.DOTALL);

    /**
     * What a conflict copy's name tells.
     *
     * @param original the path of the file it conflicts with (its stem may have been shortened to fit)
     * @param time     when the copy was made, in the local time of the device that made it
     * @param device   the device whose version the copy holds ({@code -2}, {@code -3}… included if added)
     */
    public record CopyName(String original, LocalDateTime time, String device) {
    }

    private ConflictNames() {
    }

    /**
     * Returns the conflict-copy path for {@code path}, adding {@code -2}, {@code -3}… to the device part
     * while {@code taken} says the name is in use.
     */
    public static String copyPath(String path, String device, Instant when, ZoneId zone, Predicate<String> taken) {
        // A copy of a copy is named after the original, so copies never nest.
        String original = parse(path).map(CopyName::original).orElse(path);
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
        return path.indexOf(MARKER, path.lastIndexOf('/') + 1) >= 0; // in the name, without cutting it out
    }

    /** Returns what the name of {@code path} says if it is a conflict copy's name, else empty. */
    public static Optional<CopyName> parse(String path) {
        if (!isCopy(path)) {
            return Optional.empty(); // the common case, without a regular expression: a plan parses every name
        }
        String name = PathRules.name(path);
        Matcher m = COPY_NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.parse(m.group(2), STAMP);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String parent = PathRules.parent(path);
        String originalName = m.group(1) + (m.group(4) == null ? "" : m.group(4));
        return Optional.of(new CopyName(parent.isEmpty() ? originalName : parent + "/" + originalName, time, m.group(3)));
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
