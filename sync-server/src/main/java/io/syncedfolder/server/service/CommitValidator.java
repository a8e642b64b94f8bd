package io.syncedfolder.server.service;

import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a commit against the protocol's rules before anything is looked up or written (SPEC §4).
 *
 * <p>A batch is refused whole if any change is bad: the device name must be present and printable, the batch
 * must hold 1 to {@value Limits#MAX_CHANGES_PER_COMMIT} changes with distinct valid paths, a live file must
 * carry a valid hash, a non-negative size and chunks whose sizes add up to it, and a live directory no content.
 */
final class CommitValidator {
    private CommitValidator() {
    }

    /** Throws {@link InvalidRequestException} describing the first rule {@code request} breaks. */
    static void validate(CommitRequest request) {
        checkDevice(request.device());
        List<Change> changes = request.changes();
        if (changes.isEmpty()) {
            throw InvalidRequestException.badRequest("the commit has no changes");
        }
        if (changes.size() > Limits.MAX_CHANGES_PER_COMMIT) {
            throw InvalidRequestException.badRequest("the commit has " + changes.size()
                    + " changes; at most " + Limits.MAX_CHANGES_PER_COMMIT + " are allowed in one commit");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            String where = "changes[" + i + "]";
            Optional<String> pathProblem = PathRules.problem(change.path());
            if (pathProblem.isPresent()) {
                throw InvalidRequestException.badPath(
                        where + ": " + new BadPathException(change.path(), pathProblem.get()).getMessage());
            }
            Integer earlier = seen.putIfAbsent(change.path(), i);
            if (earlier != null) {
                throw InvalidRequestException.badRequest(where + ": \"" + change.path()
                        + "\" appears twice in one commit (also changes[" + earlier + "])");
            }
            problem(change).ifPresent(reason -> {
                throw InvalidRequestException.badRequest(
                        where + " \"" + change.path() + "\": " + reason);
            });
        }
    }

    private static void checkDevice(String device) {
        if (device == null || device.isBlank()) {
            throw InvalidRequestException.badRequest("the commit names no device");
        }
        if (device.length() > Limits.MAX_DEVICE_CHARS) {
            throw InvalidRequestException.badRequest("the device name is longer than "
                    + Limits.MAX_DEVICE_CHARS + " characters");
        }
        if (device.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.badRequest("the device name contains a control character");
        }
    }

    /** Returns what is wrong with the content of a change whose path is valid, or empty. */
    private static Optional<String> problem(Change change) {
        if (change.kind() == null) {
            return Optional.of("kind is missing (FILE or DIRECTORY)");
        }
        if (change.baseVersion() < 0) {
            return Optional.of("baseVersion must not be negative");
        }
        if (change.deleted()) {
            return Optional.empty();
        }
        return change.kind() == EntryKind.FILE ? fileProblem(change) : directoryProblem(change);
    }

    private static Optional<String> fileProblem(Change change) {
        if (!Hashing.isSha256Hex(change.sha256())) {
            return Optional.of("sha256 is not a SHA-256 in lowercase hex");
        }
        if (change.size() < 0) {
            return Optional.of("size must not be negative");
        }
        if (change.size() == 0 && !change.sha256().equals(Hashing.EMPTY_SHA256)) {
            return Optional.of("an empty file's sha256 must be " + Hashing.EMPTY_SHA256);
        }
        long total = 0;
        for (int c = 0; c < change.chunks().size(); c++) {
            ChunkRef chunk = change.chunks().get(c);
            if (!Hashing.isSha256Hex(chunk.sha256())) {
                return Optional.of("chunks[" + c + "].sha256 is not a SHA-256 in lowercase hex");
            }
            if (chunk.size() < 1) {
                return Optional.of("chunks[" + c + "] is empty; an empty file has no chunks");
            }
            if (total > Long.MAX_VALUE - chunk.size()) {
                return Optional.of("the chunk sizes add up to more than a file can hold");
            }
            total += chunk.size();
        }
        if (total != change.size()) {
            return Optional.of("the chunk sizes add up to " + total + " bytes, but size is " + change.size());
        }
        return Optional.empty();
    }

    private static Optional<String> directoryProblem(Change change) {
        if (change.sha256() != null) {
            return Optional.of("a directory has no sha256");
        }
        if (!change.chunks().isEmpty()) {
            return Optional.of("a directory has no chunks");
        }
        if (change.size() != 0) {
            return Optional.of("a directory has no size");
        }
        return Optional.empty();
    }
}
