package org.vigil.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.vigil.api.backup.HashAlgorithm;

/** Checksums (libcrypto and Java agree with sha256sum), the checksum list format, command-line times. */
class ChecksumTest {
    private static Path dir;

    @AfterAll
    static void cleanUp() {
        TestSupport.deleteTree(dir);
    }

    @Test
    void libcryptoIsUsedAndAgreesWithJavaForEverySize() {
        assertEquals("libcrypto", Checksum.implementation(), "libcrypto (libssl3) is installed on Vigil's systems");
        Random r = new Random(3);
        for (HashAlgorithm alg : HashAlgorithm.values()) {
            for (int size : new int[] { 0, 1, 63, 64, 65, 4096, (1 << 20) + 7 }) {
                byte[] data = new byte[size];
                r.nextBytes(data);
                ByteBuffer direct = ByteBuffer.allocateDirect(size + 10);
                direct.position(5);
                direct.put(data);
                direct.flip().position(5);
                String a;
                String b;
                try (Checksum n = Checksum.create(alg); Checksum j = Checksum.javaChecksum(alg)) {
                    n.update(direct);
                    assertEquals(5, direct.position(), "update leaves the position");
                    j.update(ByteBuffer.wrap(data));
                    a = n.finish();
                    b = j.finish();
                }
                assertEquals(b, a, alg + " of " + size + " bytes");
                assertEquals(alg.hexLength(), a.length());
            }
        }
    }

    @Test
    void aCopysChecksumIsTheOneSha256sumComputes() throws Exception {
        dir = TestSupport.newFolder("checksum");
        Path source = dir.resolve("source.bin");
        TestSupport.bigFile(source, (40L << 20) + 12345, 11);
        Path target = Files.createDirectories(dir.resolve("cam/20240101")).resolve("120000.mp4");
        FileCopier copier = new FileCopier(CacheBypass.DIRECT);
        long[] progress = { 0 };
        FileCopier.Hashed h = copier.copy(source, target, HashAlgorithm.SHA256, new CopyControl() {
            @Override
            public boolean cancelled() {
                return false;
            }

            @Override
            public void progress(long bytes) {
                progress[0] += bytes;
            }

            @Override
            public void checkDestination() {
            }
        });
        assertEquals(Files.size(source), progress[0]);
        TestSupport.Run sum = TestSupport.run(dir, Duration.ofSeconds(30), "sha256sum", source.toString());
        assertEquals(sum.output().substring(0, 64), h.hash());
        assertTrue(Files.notExists(FileCopier.partOf(target)));
        // the copy is synced and dropped from the page cache: verification reads the disk
        TestSupport.Run cached = TestSupport.run(dir, Duration.ofSeconds(10), "fincore", "--bytes", "--noheadings",
                "--output", "RES", target.toString());
        assertEquals("0", cached.output().trim(), "pages of the copy still cached");
        // both ways of verifying read the disk and leave nothing cached
        FileCopier.Hashed direct = new FileCopier(CacheBypass.DIRECT).hash(target, HashAlgorithm.SHA256, true,
                CopyControl.simple(() -> false));
        assertEquals(CacheBypass.DIRECT, direct.bypass());
        assertEquals(h.hash(), direct.hash());
        FileCopier.Hashed advised = new FileCopier(CacheBypass.FADVISE).hash(target, HashAlgorithm.SHA256, true,
                CopyControl.simple(() -> false));
        assertEquals(CacheBypass.FADVISE, advised.bypass());
        assertEquals(h.hash(), advised.hash());
        assertEquals("0", TestSupport.run(dir, Duration.ofSeconds(10), "fincore", "--bytes", "--noheadings", "--output",
                "RES", target.toString()).output().trim());
    }

    @Test
    void theChecksumListIsWhatSha256sumReadsAndWrites() throws Exception {
        Path d = TestSupport.newFolder("sums");
        try {
            Files.createDirectories(d.resolve("cam/20240101"));
            Files.writeString(d.resolve("cam/20240101/a.mp4"), "a");
            Files.writeString(d.resolve("cam/20240101/back\\slash.mp4"), "b");
            Map<String, String> sums = new TreeMap<>();
            sums.put("cam/20240101/a.mp4", TestSupport.sha256(d.resolve("cam/20240101/a.mp4")));
            sums.put("cam/20240101/back\\slash.mp4", TestSupport.sha256(d.resolve("cam/20240101/back\\slash.mp4")));
            Files.write(d.resolve("SHA256SUMS"), SumsFile.render(sums));
            TestSupport.Run check = TestSupport.run(d, Duration.ofSeconds(30), "sha256sum", "-c", "--strict",
                    "SHA256SUMS");
            assertEquals(0, check.exit(), check.output());
            // and what sha256sum writes, Vigil reads
            TestSupport.Run made = TestSupport.run(d, Duration.ofSeconds(30), "sh", "-c",
                    "sha256sum cam/20240101/* > OTHER && sha256sum -b cam/20240101/a.mp4 >> OTHER");
            assertEquals(0, made.exit(), made.output());
            SumsFile.Parsed p = SumsFile.read(d.resolve("OTHER"), HashAlgorithm.SHA256);
            assertEquals(sums, new TreeMap<>(p.hashByPath()));
            assertEquals(0, p.badLines());
            assertEquals(List.of("\\" + sums.get("cam/20240101/back\\slash.mp4") + "  cam/20240101/back\\\\slash.mp4"),
                    Files.readAllLines(d.resolve("SHA256SUMS"), StandardCharsets.UTF_8).subList(1, 2));
        } finally {
            TestSupport.deleteTree(d);
        }
    }

    @Test
    void hashNames() {
        assertEquals(HashAlgorithm.SHA256, HashAlgorithm.parse("SHA-256").orElseThrow());
        assertEquals(HashAlgorithm.MD5, HashAlgorithm.parse("md5").orElseThrow());
        assertTrue(HashAlgorithm.parse("crc32").isEmpty());
    }
}
