package io.syncedfolder.client.exec;

/** A local file changed after it was scanned; the action on it is skipped and the next pass decides again. */
final class LocalChangedException extends Exception {
    LocalChangedException(String message) {
        super(message);
    }
}
