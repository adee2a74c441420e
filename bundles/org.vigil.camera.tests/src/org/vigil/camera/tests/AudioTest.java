package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.storage.ClosedSegment;

/** AAC audio is recorded with the video in every segment; other audio is skipped with one info line. */
class AudioTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, AudioTest.class);
        h = new Harness(context, "audio");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aacAudioIsRecordedInEverySegment() throws Exception {
        String id = "au-aac";
        h.add(id, DemoCam.url(context, "url.h264.aac"), "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        h.awaitSegments(id, 2, Duration.ofSeconds(20));
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        for (ClosedSegment s : segs) {
            Media.Probe p = Media.probe(s.path());
            assertTrue(p.playable() && p.firstIsKey(), s.path() + ": " + p);
            assertEquals("h264", p.videoCodec());
            assertEquals("aac", p.audioCodec(), s.path() + " has the camera's AAC audio");
        }
    }

    @Test
    void otherAudioIsSkippedWithOneInfoLine() throws Exception {
        AtomicInteger lines = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord r) {
                Object[] p = r.getParameters();
                if (r.getMessage() != null && r.getMessage().contains("which is not recorded") && p != null
                        && p.length > 0 && "au-pcma".equals(p[0])) {
                    lines.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.vigil.camera.internal.CameraSupervisor");
        logger.addHandler(counter);
        try (TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 25)) {
            String id = "au-pcma";
            h.add(id, cam.url("/h264-pcma"), "segmentSeconds", 3);
            h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            // connect twice more: still one line
            for (int i = 0; i < 2; i++) {
                h.set(id, "record", false);
                h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
                h.set(id, "record", true);
                h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            }
            h.awaitSegments(id, 2, Duration.ofSeconds(20));
            h.remove(id);
            for (ClosedSegment s : h.segments(id)) {
                Media.Probe p = Media.probe(s.path());
                assertTrue(p.playable(), s.path() + ": " + p);
                assertEquals("", p.audioCodec(), "A-law audio is not recorded: " + p);
            }
            assertEquals(1, lines.get(), "one info line about the skipped audio");
        } finally {
            logger.removeHandler(counter);
        }
    }
}
