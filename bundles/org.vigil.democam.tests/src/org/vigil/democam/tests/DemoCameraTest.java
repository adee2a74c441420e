package org.vigil.democam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.democam.DemoCamera;
import org.vigil.democam.internal.DemoCameraAccess;
import org.vigil.gst.GstRuntime;

/** The demo camera as the test framework runs it ({@code vigil.mode=test}): real RTSP on 127.0.0.1, default settings. */
class DemoCameraTest {
    static final Duration FIRST_FRAME = Duration.ofSeconds(20);

    @InjectService(timeout = 20000)
    DemoCamera camera;

    @InjectService(timeout = 10000)
    GstRuntime gst;

    @InjectBundleContext
    BundleContext context;

    @Test
    void itServesInTestModeAndCarriesItsUrlsAsServiceProperties() {
        ServiceReference<DemoCamera> ref = context.getServiceReference(DemoCamera.class);
        assertNotNull(ref);
        int port = camera.port();
        assertTrue(port > 0 && port < 65536, "bound port " + port);
        assertEquals("rtsp://127.0.0.1:" + port + "/h264", ref.getProperty("url.h264"));
        assertEquals("rtsp://127.0.0.1:" + port + "/h265", ref.getProperty("url.h265"));
        assertEquals("rtsp://127.0.0.1:" + port + "/mjpeg", ref.getProperty("url.mjpeg"));
        assertEquals("rtsp://127.0.0.1:" + port + "/h264-aac", ref.getProperty("url.h264.aac"));
        assertEquals(port, ref.getProperty("port"));
        assertEquals(Map.of(Codec.H264, ref.getProperty("url.h264"), Codec.H265, ref.getProperty("url.h265"),
                Codec.MJPEG, ref.getProperty("url.mjpeg")), camera.urls());
        assertEquals(camera.url(Codec.H264), camera.url(Codec.AUTO));
    }

    @Test
    void theH264MountDeliversH264FramesOfTheConfiguredSize() throws Exception {
        expectFrames(Codec.H264, "rtph264depay name=depay ! h264parse", "video/x-h264");
    }

    @Test
    void theH265MountDeliversH265FramesOfTheConfiguredSize() throws Exception {
        expectFrames(Codec.H265, "rtph265depay name=depay ! h265parse", "video/x-h265");
    }

    @Test
    void theMjpegMountDeliversJpegFramesOfTheConfiguredSize() throws Exception {
        expectFrames(Codec.MJPEG, "rtpjpegdepay name=depay ! jpegparse", "image/jpeg");
    }

    private void expectFrames(Codec codec, String chain, String type) throws Exception {
        try (RtspProbe probe = RtspProbe.playing(gst, camera.url(codec), "video", chain, false)) {
            assertTrue(probe.await(3, FIRST_FRAME), codec + ": three frames within " + FIRST_FRAME.toSeconds()
                    + " s (error: " + probe.error() + ")");
            RtspProbe.Frame f = probe.frames().get(0);
            assertEquals(type, f.type(), f.caps());
            assertEquals(1280, f.width(), f.caps());
            assertEquals(720, f.height(), f.caps());
            record(codec + " time to first frame " + probe.timeToFirstFrame().toMillis() + " ms");
        }
    }

    @Test
    void twoSuccessiveDecodedH264FramesDiffer() throws Exception {
        String chain = "rtph264depay name=depay ! h264parse ! avdec_h264 ! videoconvert ! video/x-raw,format=GRAY8";
        try (RtspProbe probe = RtspProbe.playing(gst, camera.url(Codec.H264), "video", chain, true)) {
            assertTrue(probe.await(2, FIRST_FRAME), "two decoded frames (error: " + probe.error() + ")");
            byte[] a = probe.frames().get(0).data();
            byte[] b = probe.frames().get(1).data();
            assertEquals(1280 * 720, a.length, "a 1280x720 grey picture");
            assertEquals(a.length, b.length);
            assertFalse(Arrays.equals(a, b), "the clock overlay changes every frame");
        }
    }

    @Test
    void theAacMountCarriesAacAudioBesideTheVideo() throws Exception {
        String url = (String) context.getServiceReference(DemoCamera.class).getProperty("url.h264.aac");
        try (RtspProbe audio = RtspProbe.playing(gst, url, "audio", "rtpmp4gdepay name=depay ! aacparse", false)) {
            assertTrue(audio.await(3, FIRST_FRAME), "AAC frames (error: " + audio.error() + ")");
            RtspProbe.Frame f = audio.frames().get(0);
            assertEquals("audio/mpeg", f.type(), f.caps());
            assertTrue(f.caps().contains("mpegversion=(int)4"), f.caps());
        }
    }

    @Test
    void severalClientsOfAMountShareOneEncoder() throws Exception {
        DemoCameraAccess access = new DemoCameraAccess(camera);
        int before = access.mediasBuilt("/h264");
        try (RtspProbe one = new RtspProbe(gst, camera.url(Codec.H264), "video", "rtph264depay name=depay ! h264parse", false);
                RtspProbe two = new RtspProbe(gst, camera.url(Codec.H264), "video", "rtph264depay name=depay ! h264parse", false)) {
            one.play();
            assertTrue(one.await(1, FIRST_FRAME), "first client (error: " + one.error() + ")");
            two.play();
            assertTrue(two.await(3, FIRST_FRAME), "second client (error: " + two.error() + ")");
            assertTrue(one.await(3, FIRST_FRAME), "first client still served");
            assertTrue(access.mediasBuilt("/h264") >= 1, "the mount built its pipeline");
            int built = access.mediasBuilt("/h264") - before;
            assertTrue(built <= 1, "both clients were served by one pipeline, " + built + " were built");
        }
    }

    private void record(String line) throws IOException {
        System.out.println(line);
        String data = context.getProperty("vigil.data");
        if (data != null) {
            Path dir = Files.createDirectories(Path.of(data));
            Files.writeString(dir.resolve("democam-first-frame.txt"), line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

}
