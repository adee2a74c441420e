package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.Snapshot;
import org.vigil.testing.Await;

/** Snapshots of a recorded instant, PNG and JPEG, at the recording's size, readable by an ordinary decoder. */
class SnapshotTest extends PlaybackTestBase {

    @Test
    void snapshotsAreReadablePngAndJpegOfTheFrameAsked() throws Exception {
        String camera = cameraWithRun("snap");
        Path dir = Media.work("snap");
        Instant at = Library.BASE.plusMillis(6_537);
        Snapshot png = Await.result(service.snapshot(camera, at, dir.resolve("a.png"), ImageFormat.PNG), WAIT);
        assertEquals(Library.BASE.plusMillis(6_520), png.frameTime(), "the frame on screen at that instant");
        assertEquals(320, png.width());
        assertEquals(240, png.height());
        BufferedImage img = ImageIO.read(png.file().toFile());
        assertNotNull(img, "ImageIO reads the PNG");
        assertEquals(320, img.getWidth());
        assertEquals(240, img.getHeight());
        assertEquals(Files.size(png.file()), png.bytes());

        Snapshot jpg = Await.result(service.snapshot(camera, at, dir.resolve("a.jpg"), ImageFormat.JPEG), WAIT);
        BufferedImage j = ImageIO.read(jpg.file().toFile());
        assertNotNull(j, "ImageIO reads the JPEG");
        assertEquals(320, j.getWidth());
        // the same frame: the pictures agree (JPEG is lossy, so roughly)
        assertTrue(meanDifference(img, j) < 12, "PNG and JPEG show the same frame: " + meanDifference(img, j));
        // and it is not the keyframe's picture
        Snapshot key = Await.result(service.snapshot(camera, Library.BASE.plusSeconds(6), dir.resolve("k.png"),
                ImageFormat.PNG), WAIT);
        assertTrue(meanDifference(img, ImageIO.read(key.file().toFile())) > 0.5, "a different frame than the keyframe");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial files");
        }
    }

    @Test
    void theSessionSnapshotsThePictureOnScreen() throws Exception {
        String camera = cameraWithRun("snapsession");
        Session s = open(camera, Library.BASE.plusMillis(2_000), small().paused());
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        Await.result(s.step(), WAIT);
        Path out = Media.work("snapsession").resolve("now.png");
        Snapshot snap = Await.result(s.snapshot(camera, out, ImageFormat.PNG), WAIT);
        assertEquals(last(got).time(), snap.frameTime());
        assertNotNull(ImageIO.read(out.toFile()));
    }

    @Test
    void noRecordingOrNoFolderIsAClearFailure() throws Exception {
        String camera = cameraWithRun("snapgap");
        Path dir = Media.work("snapgap");
        Exception e = assertThrows(PlaybackException.class, () -> Await.result(service.snapshot(camera,
                Library.BASE.plusSeconds(30), dir.resolve("x.png"), ImageFormat.PNG), WAIT));
        assertTrue(e.getMessage().startsWith("Camera " + camera + " has no recording at"), e.getMessage());
        Exception f = assertThrows(PlaybackException.class, () -> Await.result(service.snapshot(camera,
                Library.BASE.plusSeconds(3), dir.resolve("missing").resolve("x.png"), ImageFormat.PNG), WAIT));
        assertTrue(f.getMessage().contains("does not exist"), f.getMessage());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        int n = 0;
        for (int y = 0; y < a.getHeight(); y += 2) {
            for (int x = 0; x < a.getWidth(); x += 2) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }
}
