package org.vigil.users.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.vigil.api.command.CommandException;

/**
 * A user's password from the first line of a regular file only its owner can read ({@code --password-file F}; the
 * launcher's {@code --password-stdin} becomes such a file in memory). Never from the command line, where {@code ps}
 * shows it to every local user.
 */
final class PasswordFileReader {
    private static final int MAX_BYTES = 4096;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private PasswordFileReader() {
    }

    static char[] read(Path file) throws CommandException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new CommandException("The password file " + file + " does not exist; nothing was changed.");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CommandException("The password file " + file + " cannot be read (" + e.getMessage()
                    + "); nothing was changed.");
        }
        if (!a.isRegularFile()) {
            throw new CommandException("The password file " + file + " is not a regular file; give a file holding"
                    + " the password on its first line. Nothing was changed.");
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(a.permissions());
        open.retainAll(OTHERS);
        if (!open.isEmpty()) {
            throw new CommandException("The password file " + file + " can be read or changed by other users; make"
                    + " it yours only ('chmod 600 " + file + "') and try again. Nothing was changed.");
        }
        if (a.size() > MAX_BYTES) {
            throw new CommandException("The password file " + file + " is larger than 4 KiB; it must hold only the"
                    + " password on its first line. Nothing was changed.");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (IOException e) {
            throw new CommandException("The password file " + file + " cannot be read (" + e.getMessage()
                    + "); nothing was changed.");
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        Arrays.fill(bytes, (byte) 0);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return out;
    }
}
