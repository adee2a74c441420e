package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.testing.Await;

/**
 * Hot swap of a codec plugin: stopping the H.265 plugin's bundle stops its cameras cleanly (segment closed) with
 * "No codec plugin for H265"; starting it again resumes them, without touching cameras of other codecs.
 */
class CodecHotSwapTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, CodecHotSwapTest.class);
        h = new Harness(context, "hot-swap");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void camerasStopWhenTheirCodecPluginGoesAndResumeWhenItReturns() throws Exception {
        Bundle h265 = bundle("org.vigil.codec.h265");
        try {
            h.add("hs-auto", DemoCam.url(context, "url.h265"));
            h.add("hs-set", DemoCam.url(context, "url.h265"), "codec", "h265");
            h.add("hs-other", DemoCam.url(context, "url.h264"));
            for (String id : List.of("hs-auto", "hs-set", "hs-other")) {
                h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            }
            assertTrue(Await.until(Duration.ofSeconds(10), () -> writing("hs-auto") && writing("hs-set")));
            int other = numbers("hs-other").session();

            h265.stop();
            for (String id : List.of("hs-auto", "hs-set")) {
                assertTrue(Await.until(Duration.ofSeconds(15), () -> h.cameras.status(id).map(s -> s.state()
                        == CameraState.OFFLINE && s.reason().orElse("").contains("No codec plugin for H265"))
                        .orElse(false)), id + " offline without its plugin: " + h.history(id));
                List<ClosedSegment> segs = h.awaitSegments(id, 1, Duration.ofSeconds(10));
                Media.Probe p = Media.probe(segs.get(segs.size() - 1).path());
                assertTrue(p.playable() && "hevc".equals(p.videoCodec()), "the segment was closed cleanly: " + p);
            }

            h265.start();
            for (String id : List.of("hs-auto", "hs-set")) {
                h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            }
            assertEquals(other, numbers("hs-other").session(), "the H.264 camera was not touched");
            assertEquals(0, numbers("hs-other").reconnects());
        } finally {
            if (h265.getState() != Bundle.ACTIVE) {
                h265.start();
            }
        }
    }

    private static boolean writing(String id) {
        return numbers(id).writing();
    }

    private static org.vigil.camera.internal.TestAccess.Numbers numbers(String id) {
        return org.vigil.camera.internal.TestAccess.numbers(h.cameras, id).orElseThrow();
    }

    static Bundle bundle(String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }
}
