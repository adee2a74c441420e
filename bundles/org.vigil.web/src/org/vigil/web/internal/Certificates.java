package org.vigil.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The recorder's HTTPS certificate: made at the first start (an EC P-256 key, self-signed with BouncyCastle, valid
 * for 10 years, for localhost, the loopback addresses and this machine's name), kept in {@code <data>/web/} as a
 * PKCS#12 key store that only the recorder's account can read. Its SHA-256 fingerprint is what a client confirms at
 * its first connection (like ssh).
 */
final class Certificates {
    static final String ALIAS = "vigil";

    /** The key store, its password, and the certificate's fingerprint. */
    record Store(Path keyStore, String password, String fingerprint, Instant notAfter) {
    }

    private Certificates() {
    }

    /** The key store under {@code dir}, made now if there is none. */
    static Store loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path store = dir.resolve("https.p12");
        Path pass = dir.resolve("https.pass");
        if (Files.isRegularFile(store) && Files.isRegularFile(pass)) {
            String password = Files.readString(pass).strip();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
            if (cert != null) {
                return new Store(store, password, fingerprint(cert), cert.getNotAfter().toInstant());
            }
        }
        return create(dir, store, pass);
    }

    private static Store create(Path dir, Path store, Path pass) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        String host = hostName();
        X500Name subject = new X500Name("CN=" + host + ",O=Vigil recorder");
        Instant now = Instant.now();
        Instant notAfter = now.plus(Duration.ofDays(3650));
        BigInteger serial = new BigInteger(64, new SecureRandom());
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(notAfter), subject, kp.getPublic());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        if (!host.equals("localhost")) {
            names.add(new GeneralName(GeneralName.dNSName, host));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Could not sign the certificate: " + e.getMessage(), e);
        }
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, kp.getPrivate(), password.toCharArray(), new Certificate[] {cert});
        Path tmpStore = ownerOnly(dir.resolve("https.p12.new"));
        try (OutputStream out = Files.newOutputStream(tmpStore)) {
            ks.store(out, password.toCharArray());
        }
        Path tmpPass = ownerOnly(dir.resolve("https.pass.new"));
        Files.writeString(tmpPass, password + "\n");
        Files.move(tmpPass, pass, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpStore, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Store(store, password, fingerprint(cert), notAfter);
    }

    /** The SHA-256 fingerprint as upper-case hex pairs separated by colons, as browsers and openssl show it. */
    static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    }

    private static Path ownerOnly(Path p) throws IOException {
        Files.deleteIfExists(p);
        try {
            return Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createFile(p);
        }
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            return h.matches("[a-z0-9.-]{1,253}") ? h : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }
}
