package io.syncedfolder.server.blob;

/** Thrown when a blob name is not 64 lowercase hex digits; nothing touched the file system. */
public final class InvalidHashException extends IllegalArgumentException {
    public InvalidHashException(String hash) {
        super("not a SHA-256 in lowercase hex: \"" + abbreviate(hash) + "\"");
    }

    private static String abbreviate(String hash) {
        if (hash == null) {
            return "null";
        }
        String shown = hash.length() > 80 ? hash.substring(0, 80) + "…" : hash;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
