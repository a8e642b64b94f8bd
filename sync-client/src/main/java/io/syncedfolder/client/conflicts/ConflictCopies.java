package io.syncedfolder.client.conflicts;

import io.syncedfolder.client.plan.ConflictNames;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the conflict copies in a folder by their names (see {@link ConflictNames}); never follows links. */
public final class ConflictCopies {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private ConflictCopies() {
    }

    /** Returns the conflict copies under {@code folder}, in path order; the state folder is left out. */
    public static List<ConflictCopy> list(Path folder) throws IOException {
        Path root = folder.toRealPath();
        List<ConflictCopy> copies = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(root.resolve(PathRules.STATE_DIR)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    String path = relative(root, file);
                    Optional<ConflictNames.CopyName> name = ConflictNames.parse(path);
                    name.ifPresent(n -> copies.add(new ConflictCopy(path, n.original(),
                            Files.exists(root.resolve(n.original()), LinkOption.NOFOLLOW_LINKS), ISO.format(n.time()), n.device(),
                            attrs.size())));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable or gone meanwhile: not ours to report here
            }
        });
        copies.sort(Comparator.comparing(ConflictCopy::path));
        return copies;
    }

    private static String relative(Path root, Path file) {
        StringBuilder out = new StringBuilder();
        for (Path name : root.relativize(file)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(name);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }
}
