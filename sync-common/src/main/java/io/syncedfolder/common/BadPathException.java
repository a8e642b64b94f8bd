package io.syncedfolder.common;

/** Thrown when a path breaks one of the {@link PathRules}; the message says which rule, for people. */
public final class BadPathException extends IllegalArgumentException {
    private final String path;

    public BadPathException(String path, String reason) {
        super("bad path \"" + printable(path) + "\": " + reason);
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Returns the path with control characters escaped, so a hostile name cannot garble a log line. */
    static String printable(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        path.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
