package org.vigil.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.vigil.api.command.CommandException;

/**
 * A camera password given in a file ({@code vigil camera add|set ... --password-file FILE}) instead of on the command
 * line, where {@code ps} shows it to every local user. The recorder reads the file (the control socket does not
 * forward standard input to commands), so it must be a regular file only its owner can read; its first line is the
 * password. The password goes into the URL's user-info percent-encoded, so '@', '/' or ':' in it cannot be taken
 * for the end of the user-info.
 */
final class PasswordFile {
    static final String OPTION = "password-file";
    private static final int MAX_BYTES = 4096;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final String KEEP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=";

    private PasswordFile() {
    }

    /** {@code url} ({@code rtsp://user@host/...}) with the password read from {@code file} added to its user-info. */
    static String addTo(String field, String url, Path file) throws CommandException {
        String userInfo;
        try {
            URI uri = new URI(url.trim());
            userInfo = uri.getRawUserInfo();
        } catch (URISyntaxException e) {
            userInfo = null;
        }
        if (userInfo == null || userInfo.isEmpty()) {
            throw new CommandException("--password-file needs the user name in the " + field + ", such as"
                    + " rtsp://admin@host/stream; nothing was changed.");
        }
        if (userInfo.contains(":")) {
            throw new CommandException("The " + field + " already holds a password; give it either in the URL or"
                    + " with --password-file, not both. Nothing was changed.");
        }
        String password = read(file);
        int start = url.indexOf("://") + 3;
        int at = url.indexOf('@', start);
        return url.substring(0, at) + ":" + encode(password) + url.substring(at);
    }

    /** {@code url} without the password in its user-info (unchanged when it has none or is not a URL). */
    static String withoutPassword(String url) {
        try {
            String userInfo = new URI(url).getRawUserInfo();
            int start = url.indexOf("://") + 3;
            if (userInfo == null || !userInfo.contains(":") || !url.startsWith(userInfo + "@", start)) {
                return url;
            }
            return url.substring(0, start) + userInfo.substring(0, userInfo.indexOf(':'))
                    + url.substring(start + userInfo.length());
        } catch (URISyntaxException e) {
            return url;
        }
    }

    /** The first line of an owner-only regular file. */
    static String read(Path file) throws CommandException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new CommandException("The password file " + file + " does not exist; nothing was changed.");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CommandException("The password file " + file + " cannot be read (" + e.getMessage()
                    + "); nothing was changed.");
        }
        if (!attributes.isRegularFile()) {
            throw new CommandException("The password file " + file + " is not a regular file (a link, device, pipe"
                    + " or folder); give a file holding the password on its first line. Nothing was changed.");
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(OTHERS);
        if (!open.isEmpty()) {
            throw new CommandException("The password file " + file + " can be read or changed by other users; make"
                    + " it yours only ('chmod 600 " + file + "') and try again. Nothing was changed.");
        }
        if (attributes.size() > MAX_BYTES) {
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
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandException("The password file " + file + " is not UTF-8 text; nothing was changed.");
        }
        String password = text.lines().findFirst().orElse("");
        if (password.isEmpty()) {
            throw new CommandException("The password file " + file + " is empty; put the password on its first"
                    + " line. Nothing was changed.");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new CommandException("The password in " + file + " contains a control character; a camera"
                    + " password is one line of text. Nothing was changed.");
        }
        return password;
    }

    /** Percent-encodes everything RFC 3986 does not allow as it is in a user-info password (':' and '@' included). */
    static String encode(String password) {
        StringBuilder b = new StringBuilder();
        for (byte x : password.getBytes(StandardCharsets.UTF_8)) {
            if (x >= 0 && KEEP.indexOf(x) >= 0) {
                b.append((char) x);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
