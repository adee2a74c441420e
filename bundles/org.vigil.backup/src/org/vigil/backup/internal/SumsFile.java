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

    /**
     * Reads a checksum list (text or binary mode lines, escaped names). Lines that are not checksum lines are
     * counted, not fatal, as with {@code sha256sum -c}.
     *
     * @return hash by path, in file order
     */
    static Parsed read(Path file, HashAlgorithm algorithm) throws IOException {
        Map<String, String> result = new LinkedHashMap<>();
        int bad = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            boolean escaped = line.startsWith("\\");
            if (escaped) {
                line = line.substring(1);
            }
            int n = algorithm.hexLength();
            if (line.length() < n + 2 || line.charAt(n) != ' ' || (line.charAt(n + 1) != ' '
                    && line.charAt(n + 1) != '*') || !isHex(line.substring(0, n))) {
                bad++;
                continue;
            }
            String path = line.substring(n + 2);
            if (escaped) {
                path = unescape(path);
            }
            result.put(path, line.substring(0, n).toLowerCase(Locale.ROOT));
        }
        return new Parsed(result, bad);
    }

    record Parsed(Map<String, String> hashByPath, int badLines) {
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
