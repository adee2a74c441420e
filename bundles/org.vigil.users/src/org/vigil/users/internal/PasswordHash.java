package org.vigil.users.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes: PBKDF2 with HMAC-SHA-256, a 16-byte random salt per password, a 256-bit result,
 * kept as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64), so that a later Vigil can raise the iteration
 * count and still check the hashes written before. Comparison takes the same time whatever the first difference.
 */
final class PasswordHash {
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    static final String PREFIX = "pbkdf2-sha256";
    /** OWASP's figure for PBKDF2-HMAC-SHA256 in 2023 is 600,000; 310,000 keeps a Raspberry Pi 4 near 0.5 s a check. */
    static final int ITERATIONS = 310_000;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /** True when {@code password} gives {@code stored}; false for a wrong password or a hash it cannot read. */
    static boolean matches(char[] password, String stored) {
        String[] f = stored.split("\\$");
        if (f.length != 4 || !f[0].equals(PREFIX)) {
            return false;
        }
        int iterations;
        byte[] salt;
        byte[] expected;
        try {
            iterations = Integer.parseInt(f[1]);
            salt = Base64.getDecoder().decode(f[2]);
            expected = Base64.getDecoder().decode(f[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (iterations < 1 || iterations > 10_000_000 || salt.length == 0 || expected.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(derive(password, salt, iterations), expected);
    }

    /** The iteration count of a stored hash, or 0 when it cannot be read. */
    static int iterations(String stored) {
        String[] f = stored.split("\\$");
        try {
            return f.length == 4 && f[0].equals(PREFIX) ? Integer.parseInt(f[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("This Java has no " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Clears a password once it is no longer needed. */
    static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
