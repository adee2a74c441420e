package org.vigil.api.backup;

import java.util.Locale;
import java.util.Optional;

/** The checksum written beside backed-up files. SHA-256 is the default; MD5 only for compatibility with old tools. */
public enum HashAlgorithm {
    SHA256("sha256", "SHA-256", "SHA256SUMS", 64),
    MD5("md5", "MD5", "MD5SUMS", 32);

    private final String id;
    private final String javaName;
    private final String sumsFile;
    private final int hexLength;

    HashAlgorithm(String id, String javaName, String sumsFile, int hexLength) {
        this.id = id;
        this.javaName = javaName;
        this.sumsFile = sumsFile;
        this.hexLength = hexLength;
    }

    /** The lower-case name used on the command line, in settings and in {@code manifest.json}: sha256, md5. */
    public String id() {
        return id;
    }

    /** The name of the algorithm for {@link java.security.MessageDigest}. */
    public String javaName() {
        return javaName;
    }

    /** The checksum list at the root of a backup: {@code SHA256SUMS} or {@code MD5SUMS}. */
    public String sumsFile() {
        return sumsFile;
    }

    /** The length of a checksum in hexadecimal digits. */
    public int hexLength() {
        return hexLength;
    }

    /** Parses {@code sha256}, {@code sha-256}, {@code md5} (any case). */
    public static Optional<HashAlgorithm> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (HashAlgorithm a : values()) {
            if (a.id.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
