package io.syncedfolder.server.blob;

/** Thrown when uploaded bytes do not hash to the name they were sent under; nothing was stored. */
public final class HashMismatchException extends Exception {
    public HashMismatchException(String expected, String actual, long size) {
        super("the " + size + " bytes sent have SHA-256 " + actual + ", not " + expected);
    }
}
