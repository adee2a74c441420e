package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.vigil.api.backup.HashAlgorithm;

/**
 * {@code SHA256SUMS} / {@code MD5SUMS} exactly as GNU {@code sha256sum} writes and {@code sha256sum -c} reads them:
 * {@code <hex>  <path>} per line (two spaces: text mode), and for a name holding a backslash or a line break a line
 * that starts with a backslash and escapes them as {@code \\} and {@code \n}.
 */
final class SumsFile {
    private SumsFile() {
    }

    static String line(String hash, String path) {
        if (path.indexOf('\\') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            String escaped = path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
            return "\\" + hash + "  " + escaped + "\n";
        }
        return hash + "  " + path + "\n";
    }

    static byte[] render(Map<String, String> hashByPath) {
        StringBuilder sb = new StringBuilder(hashByPath.size() * 100);
        hashByPath.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(line(e.getValue(), e.getKey())));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Longest line read whole; a longer one is not a checksum line (a path is at most a few hundred bytes). */
    static final int MAX_LINE = 16 * 1024;
    /** Most files one list may name: far above any backup (a year of 8 cameras in 10-minute segments is 420,000). */
    static final int MAX_FILES = 5_000_000;

    /**
     * Reads a checksum list (text or binary mode lines, escaped names) as a stream, so that a list of any size costs
     * bounded memory. Lines that are not checksum lines are counted (with the number of the first), not fatal here.
     *
     * @return hash by path, in file order
     * @throws IOException when the list names more than {@value #MAX_FILES} files (it cannot be a backup's list)
     */
    static Parsed read(Path file, HashAlgorithm algorithm) throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        int bad = 0;
        long firstBad = 0;
        long number = 0;
        try (java.io.Reader in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)), 64 * 1024)) {
            StringBuilder sb = new StringBuilder(256);
            while (true) {
                sb.setLength(0);
                boolean tooLong = false;
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    if (sb.length() < MAX_LINE) {
                        sb.append((char) c);
                    } else {
                        tooLong = true;
                    }
                }
                if (c < 0 && sb.length() == 0 && !tooLong) {
                    break;
                }
                number++;
                String line = sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r' ? sb.substring(0, sb.length() - 1)
                        : sb.toString();
                if (!tooLong && (line.isBlank() || line.startsWith("#"))) {
                    continue;
                }
                String[] parsed = tooLong ? null : parse(line, algorithm);
                if (parsed == null) {
                    if (bad++ == 0) {
                        firstBad = number;
                    }
                    continue;
                }
                result.put(parsed[0], parsed[1]);
                if (result.size() > MAX_FILES) {
                    throw new IOException("The list " + file + " names more than " + MAX_FILES + " files; no backup"
                            + " made by Vigil is that large, so it is not a backup's checksum list.");
                }
                if (c < 0) {
                    break;
                }
            }
        }
        return new Parsed(result, bad, firstBad);
    }

    /** {path, hash} of one checksum line, or null when it is not one. */
    private static String[] parse(String line, HashAlgorithm algorithm) {
        boolean escaped = line.startsWith("\\");
        if (escaped) {
            line = line.substring(1);
        }
        int n = algorithm.hexLength();
        if (line.length() < n + 3 || line.charAt(n) != ' ' || (line.charAt(n + 1) != ' '
                && line.charAt(n + 1) != '*') || !isHex(line.substring(0, n))) {
            return null;
        }
        String path = line.substring(n + 2);
        if (escaped) {
            path = unescape(path);
        }
        return new String[] { path, line.substring(0, n).toLowerCase(Locale.ROOT) };
    }

    /**
     * @param badLines      lines that are not checksum lines
     * @param firstBadLine  the number (from 1) of the first of them, 0 when there is none
     */
    record Parsed(Map<String, String> hashByPath, int badLines, long firstBadLine) {
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
