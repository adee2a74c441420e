package org.vigil.backup.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.vigil.api.backup.HashAlgorithm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** OpenSSL's EVP digests (libcrypto 3 or 1.1) through JNA. */
final class NativeCrypto {
    private static final Logger LOG = System.getLogger(NativeCrypto.class.getName());

    /** The libcrypto calls used. */
    public interface LibCrypto extends Library {
        Pointer EVP_MD_CTX_new();

        void EVP_MD_CTX_free(Pointer ctx);

        Pointer EVP_sha256();

        Pointer EVP_md5();

        int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

        int EVP_DigestUpdate(Pointer ctx, Pointer data, NativeLong count);

        int EVP_DigestFinal_ex(Pointer ctx, byte[] md, IntByReference size);
    }

    private static final LibCrypto CRYPTO = load();

    private NativeCrypto() {
    }

    private static LibCrypto load() {
        if (Boolean.getBoolean("vigil.backup.javaChecksums")) {
            return null;
        }
        Throwable last = null;
        for (String name : new String[] { "libcrypto.so.3", "crypto", "libcrypto.so.1.1" }) {
            try {
                LibCrypto lib = Native.load(name, LibCrypto.class);
                if (selfTest(lib)) {
                    LOG.log(Level.DEBUG, "Checksums are computed by {0}.", name);
                    return lib;
                }
            } catch (Throwable e) { // NoClassDefFoundError without JNA, UnsatisfiedLinkError without the library
                last = e;
            }
        }
        LOG.log(Level.INFO, "libcrypto is not available ({0}); checksums are computed by Java.", String.valueOf(last));
        return null;
    }

    /** The SHA-256 of "abc" must be the one of FIPS 180-2. */
    private static boolean selfTest(LibCrypto lib) {
        try (Checksum c = new Native256(lib, HashAlgorithm.SHA256)) {
            ByteBuffer b = ByteBuffer.allocateDirect(3);
            b.put(new byte[] { 'a', 'b', 'c' }).flip();
            c.update(b);
            return c.finish().equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    static boolean available() {
        return CRYPTO != null;
    }

    /** A native checksum, or null when it cannot be made. */
    static Checksum create(HashAlgorithm algorithm) {
        try {
            return new Native256(CRYPTO, algorithm);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final class Native256 extends Checksum {
        private final LibCrypto lib;
        private Pointer ctx;

        Native256(LibCrypto lib, HashAlgorithm algorithm) {
            this.lib = lib;
            Pointer md = algorithm == HashAlgorithm.MD5 ? lib.EVP_md5() : lib.EVP_sha256();
            Pointer c = lib.EVP_MD_CTX_new();
            if (md == null || c == null || lib.EVP_DigestInit_ex(c, md, null) != 1) {
                if (c != null) {
                    lib.EVP_MD_CTX_free(c);
                }
                throw new IllegalStateException("libcrypto refused " + algorithm.javaName());
            }
            this.ctx = c;
        }

        @Override
        void update(ByteBuffer buffer) {
            int n = buffer.remaining();
            if (n == 0) {
                return;
            }
            if (!buffer.isDirect()) {
                ByteBuffer copy = ByteBuffer.allocateDirect(n);
                copy.put(buffer.duplicate()).flip();
                buffer = copy;
            }
            Pointer p = Native.getDirectBufferPointer(buffer).share(buffer.position());
            if (lib.EVP_DigestUpdate(ctx, p, new NativeLong(n)) != 1) {
                throw new IllegalStateException("libcrypto failed to add data to a checksum");
            }
        }

        @Override
        String finish() {
            byte[] md = new byte[64];
            IntByReference size = new IntByReference();
            if (lib.EVP_DigestFinal_ex(ctx, md, size) != 1) {
                throw new IllegalStateException("libcrypto failed to finish a checksum");
            }
            close();
            return HexFormat.of().formatHex(md, 0, size.getValue());
        }

        @Override
        public void close() {
            if (ctx != null) {
                lib.EVP_MD_CTX_free(ctx);
                ctx = null;
            }
        }
    }
}
