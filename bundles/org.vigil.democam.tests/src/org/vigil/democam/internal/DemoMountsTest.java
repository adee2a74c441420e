package org.vigil.democam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.democam.internal.RtspDemoServer.Mount;
import org.vigil.gst.GstRuntime;

/** The demo camera's decisions and pipelines, without serving anything. */
class DemoMountsTest {

    @InjectService(timeout = 10000)
    GstRuntime gst;

    @Test
    void itServesOnlyWhenSwitchedOnOrInTestOrDemocamMode() {
        assertTrue(DemoCameraComponent.enabled("on", null));
        assertTrue(DemoCameraComponent.enabled("ON", "recorder"));
        assertTrue(DemoCameraComponent.enabled(null, "test"));
        assertTrue(DemoCameraComponent.enabled(null, "democam"));
        assertFalse(DemoCameraComponent.enabled(null, null));
        assertFalse(DemoCameraComponent.enabled("off", "recorder"));
        assertFalse(DemoCameraComponent.enabled(null, "workbench"));
        assertFalse(DemoCameraComponent.enabled("yes please", "command"));
    }

    @Test
    void offItDoesNothing() {
        BundleContext quiet = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return "vigil.mode".equals(args[0]) ? "recorder" : null;
                    }
                    throw new AssertionError("an idle demo camera called " + method.getName());
                });
        DemoCameraComponent idle = new DemoCameraComponent(quiet, DemoCameraAccess.config(Map.of()), gst);
        assertEquals(0, idle.port());
        assertEquals(Map.of(), idle.urls());
        assertThrows(IllegalArgumentException.class, () -> idle.url(Codec.H264));
        idle.stop();
        idle.stop();
    }

    @Test
    void theDefaultCameraIs720p25WithATwoSecondGop() {
        DemoCameraConfig c = DemoCameraAccess.config(Map.of());
        String h264 = DemoMounts.h264(c);
        assertTrue(h264.contains("width=1280,height=720,framerate=25/1"), h264);
        assertTrue(h264.contains("x264enc tune=zerolatency"), h264);
        assertTrue(h264.contains("key-int-max=50"), h264);
        assertTrue(h264.contains("bitrate=2000"), h264);
        assertTrue(h264.contains("clockoverlay"), h264);
        assertTrue(h264.endsWith("rtph264pay name=pay0 pt=96 config-interval=1"), h264);
    }

    @Test
    void theBenchmarkCameraIs1080p25At4Mbits() {
        DemoCameraConfig c = DemoCameraAccess.config(Map.of("width", 1920, "height", 1080, "bitrate_kbps", 4000));
        assertTrue(DemoMounts.h264(c).contains("width=1920,height=1080,framerate=25/1"));
        assertTrue(DemoMounts.h264(c).contains("bitrate=4000"));
        assertTrue(DemoMounts.h265(c).contains("x265enc") && DemoMounts.h265(c).contains("bitrate=4000"));
    }

    @Test
    void everyMountIsServedWhenItsElementsAreInstalledAndOnlyThen() {
        DemoCameraConfig c = DemoCameraAccess.config(Map.of());
        List<String> all = DemoMounts.plan(c, e -> true, Optional.of("avenc_aac")).stream().map(Mount::path).toList();
        assertEquals(List.of("/h264", "/h264-aac", "/h265", "/mjpeg"), all);
        List<String> noX265 = DemoMounts.plan(c, e -> !e.contains("x265enc"), Optional.empty()).stream()
                .map(Mount::path).toList();
        assertEquals(List.of("/h264", "/mjpeg"), noX265);
        DemoCameraConfig silent = DemoCameraAccess.config(Map.of("audio", false));
        assertFalse(DemoMounts.plan(silent, e -> true, Optional.of("avenc_aac")).stream()
                .anyMatch(m -> m.path().equals("/h264-aac")));
        // every pipeline parses with the elements of this machine
        for (Mount m : DemoMounts.plan(c, e -> true, gst.firstAvailable("avenc_aac", "voaacenc"))) {
            assertDoesParse(m);
        }
    }

    private void assertDoesParse(Mount m) {
        try {
            gst.parse("parse " + m.path(), m.launch()).close();
        } catch (Exception e) {
            throw new AssertionError(m.path() + ": " + e.getMessage(), e);
        }
    }
}
