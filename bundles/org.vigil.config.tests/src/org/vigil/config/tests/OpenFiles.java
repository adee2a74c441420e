package org.vigil.config.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files a process holds open, read from {@code /proc/<pid>/fd} (Linux). */
final class OpenFiles {
    private OpenFiles() {
    }

    /** Open descriptors of {@code pid} on {@code file} or its {@code -wal} and {@code -shm} companions. */
    static List<Path> of(long pid, Path file) throws IOException {
        Path real = file.toAbsolutePath().normalize();
        List<Path> result = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    String t = target.toString().replace(" (deleted)", "");
                    if (t.equals(real.toString()) || t.equals(real + "-wal") || t.equals(real + "-shm")) {
                        result.add(Path.of(t));
                    }
                } catch (IOException gone) {
                    // the descriptor was closed while listing
                }
            }
        }
        return result;
    }

    /** Open descriptors of this process on the file. */
    static List<Path> ofThisProcess(Path file) throws IOException {
        return of(ProcessHandle.current().pid(), file);
    }

    /** How many of them are on the main file itself (one per open connection). */
    static long mainFile(List<Path> open, Path file) {
        Path real = file.toAbsolutePath().normalize();
        return open.stream().filter(real::equals).count();
    }
}
