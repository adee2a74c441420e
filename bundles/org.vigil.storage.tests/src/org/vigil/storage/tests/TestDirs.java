package org.vigil.storage.tests;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.FrameworkUtil;

/** Folders for tests under the bundle's target folder (same file system as the generated media, for hard links). */
final class TestDirs {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDirs() {
    }

    /** {@code target/}, from the framework property {@code vigil.data} ({@code target/vigil-data}). */
    static Path target() {
        String data = FrameworkUtil.getBundle(TestDirs.class).getBundleContext().getProperty("vigil.data");
        Path p = data == null ? Path.of("target", "vigil-data") : Path.of(data);
        return p.toAbsolutePath().getParent();
    }

    /** A camera id no earlier run used: the framework's own data folder survives from one build to the next. */
    static String camera(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    static Path fresh(String name) throws IOException {
        Path dir = target().resolve("test-work").resolve(name + "-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
