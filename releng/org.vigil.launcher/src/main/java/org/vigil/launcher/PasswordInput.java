package org.vigil.launcher;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code --password-stdin}: a camera password read from a prompt (no echo) or standard input by this process, so
 * that it is neither on the command line, where {@code ps} shows it to every local user, nor in a file the user has
 * to make. The recorder reads passwords from owner-only files ({@code --password-file}), and the control socket does
 * not forward standard input to commands; so the password goes into an owner-only file in memory
 * ({@code $XDG_RUNTIME_DIR} or {@code /dev/shm}, never the SD card), named to the recorder as {@code --password-file},
 * and deleted when the command has run.
 */
final class PasswordInput implements AutoCloseable {
    static final String OPTION = "--password-stdin";
    private static final int MAX_BYTES = 4096;

    private final Path file;

    private PasswordInput(Path file) {
        this.file = file;
    }

    /** The words with {@code --password-stdin} turned into {@code --password-file F}; empty when not given. */
    static Optional<PasswordInput> take(List<String> words, InputStream stdin, Path data) throws UsageException {
        int at = words.indexOf(OPTION);
        if (at < 0) {
            return Optional.empty();
        }
        if (words.contains("--password-file") || words.stream().anyMatch(w -> w.startsWith("--password-file="))) {
            throw new UsageException("Give the password either with --password-stdin or with --password-file, not"
                    + " both.");
        }
        if (words.lastIndexOf(OPTION) != at) {
            throw new UsageException("The option --password-stdin is given twice; give it once.");
        }
        char[] password = read(stdin);
        try {
            Path dir = memoryFolder(data);
            Path file = Files.createTempFile(dir, ".vigil-password-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            try {
                Files.write(file, bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
                if (encoded.hasArray()) {
                    Arrays.fill(encoded.array(), (byte) 0);
                }
            }
            words.set(at, "--password-file");
            words.add(at + 1, file.toString());
            return Optional.of(new PasswordInput(file));
        } catch (IOException e) {
            throw new UsageException("The password could not be handed to Vigil (" + e.getMessage() + "); use"
                    + " --password-file FILE instead.");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] read(InputStream stdin) throws UsageException {
        Console console = System.console();
        if (console != null) {
            char[] p = console.readPassword("Camera password: ");
            if (p == null || p.length == 0) {
                throw new UsageException("No password was typed; nothing was changed.");
            }
            return p;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = stdin.read()) >= 0 && c != '\n') {
                if (b.size() >= MAX_BYTES) {
                    throw new UsageException("The password on standard input is longer than 4 KiB; give only the"
                            + " password, on one line. Nothing was changed.");
                }
                b.write(c);
            }
        } catch (IOException e) {
            throw new UsageException("Standard input could not be read (" + e.getMessage() + "); nothing was"
                    + " changed.");
        }
        byte[] bytes = b.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            throw new UsageException("No password on standard input (--password-stdin reads its first line); nothing"
                    + " was changed.");
        }
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, n));
        char[] p = new char[decoded.remaining()];
        decoded.get(p);
        Arrays.fill(bytes, (byte) 0);
        if (decoded.hasArray()) {
            Arrays.fill(decoded.array(), '\0');
        }
        return p;
    }

    /** A folder in memory only this user can use; the data directory (owner-only) when there is none. */
    private static Path memoryFolder(Path data) throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        for (String candidate : new String[] { runtime, "/dev/shm" }) {
            if (candidate != null && !candidate.isBlank() && Files.isDirectory(Paths.get(candidate))
                    && Files.isWritable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        Files.createDirectories(data);
        return data;
    }

    /** Deletes the file (overwritten first). */
    @Override
    public void close() {
        try {
            long size = Files.size(file);
            Files.write(file, new byte[(int) Math.min(size, MAX_BYTES * 4)]);
        } catch (IOException e) {
            // deleted below anyway
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more can be done; the file is owner-only
        }
    }
}
