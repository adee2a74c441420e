package org.vigil.camera.internal.web;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.ImageIO;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Registration;
import org.vigil.api.users.Role;
import org.vigil.camera.internal.CameraStatusCommand;
import org.vigil.camera.internal.ProbeCommand;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * What the camera recorder answers over HTTPS, as {@code vigil camera status|probe} do:
 * <ul>
 * <li>{@code GET /api/cameras/status}: every camera's state and statistics (viewer);</li>
 * <li>{@code GET /api/cameras/{id}/status}: one camera's (viewer);</li>
 * <li>{@code GET /api/cameras/{id}/snapshot.jpg}: a JPEG of the live main stream now (viewer);</li>
 * <li>{@code POST /api/cameras/test} with {@code {"url": ..., "transport": ..., "codec": ..., "timeout": s}}: a
 * connection test of a URL on a connection of its own (operator).</li>
 * </ul>
 * The configuration bundle owns {@code /api/cameras/*}; it forwards {@code {id}/status} and {@code {id}/snapshot.jpg}
 * here by this servlet's whiteboard name ({@value #NAME}) with the checked path parts in the request attribute
 * {@value #PARTS_ATTRIBUTE}. The two paths without an id are this servlet's own exact patterns, which the servlet
 * container prefers to the configuration bundle's {@code /api/cameras/*}.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=" + CameraServlet.NAME,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/cameras/status",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/cameras/test",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class CameraServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    /** This servlet's whiteboard name, which the configuration bundle's camera servlet forwards to. */
    static final String NAME = "org.vigil.camera.web";

    /** The request attribute with the forwarded path parts ({@code [front, status]}). */
    static final String PARTS_ATTRIBUTE = "org.vigil.camera.web.parts";

    /** How long a snapshot waits for the first live picture (a keyframe may take a few seconds to come). */
    static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(15);

    private final transient CameraService cameras;
    private final transient LiveFeed live;

    @Activate
    public CameraServlet(@Reference CameraService cameras, @Reference LiveFeed live) {
        this.cameras = cameras;
        this.live = live;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        List<String> parts = forwardedParts(r);
        if (parts == null) {
            if (!r.path().endsWith("/status")) {
                throw ApiException.methodNotAllowed("GET", r.path());
            }
            Instant now = Instant.now();
            List<Object> rows = new ArrayList<>();
            for (CameraStatus s : cameras.cameras()) {
                rows.add(CameraStatusCommand.data(s, cameras.statistics(s.cameraId()), now));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cameras", rows);
            r.json(200, m);
            return;
        }
        String id = parts.get(0);
        CameraStatus status = cameras.status(id).orElseThrow(() -> ApiException.notFound("There is no camera '" + id
                + "'; GET /api/cameras lists the cameras."));
        if (parts.get(1).equals("status")) {
            r.json(200, CameraStatusCommand.data(status, cameras.statistics(id), Instant.now()));
        } else {
            snapshot(r, status);
        }
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        if (forwardedParts(r) != null || !r.path().endsWith("/test")) {
            throw ApiException.methodNotAllowed("POST", r.path());
        }
        r.caller().require(Role.OPERATOR);
        JsonElement body = r.body(WebApi.MAX_BODY_BYTES);
        if (!body.isJsonObject()) {
            throw ApiException.badRequest("The body must be a JSON object such as {\"url\": \"rtsp://...\"}.");
        }
        JsonObject o = body.getAsJsonObject();
        String url = text(o, "url").orElseThrow(() -> ApiException.badRequest("Give the URL to test, such as"
                + " {\"url\": \"rtsp://192.168.1.20:554/stream1\"}."));
        Transport transport = text(o, "transport").map(t -> Transport.parse(t).orElseThrow(() -> ApiException
                .badRequest("The transport must be tcp or udp."))).orElse(Transport.TCP);
        Codec codec = text(o, "codec").map(c -> Codec.parse(c).orElseThrow(() -> ApiException.badRequest(
                "The codec must be auto, h264, h265 or mjpeg."))).orElse(Codec.AUTO);
        Duration timeout = CameraService.DEFAULT_PROBE_TIMEOUT;
        Optional<String> seconds = text(o, "timeout");
        if (seconds.isPresent()) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(seconds.get()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("The timeout must be a whole number of seconds (1 to 60).");
            }
        }
        CompletableFuture<ProbeResult> running;
        try {
            running = cameras.probe(url, transport, codec, timeout);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ProbeResult result;
        try {
            // the test ends by itself at its timeout; the margin covers releasing its connection
            result = running.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "The test was interrupted; try again.");
        } catch (ExecutionException | TimeoutException e) {
            running.cancel(true);
            throw new ApiException(504, "The connection test did not finish in time; try again.");
        }
        r.json(200, ProbeCommand.data(result));
    }

    /** A JPEG of the camera's live main stream, at {@code width} x {@code height} (default 1280x720). */
    private void snapshot(ApiRequest r, CameraStatus status) throws IOException {
        int width = (int) r.longParam("width", 1280, 16, 3840);
        int height = (int) r.longParam("height", 720, 16, 2160);
        CompletableFuture<VideoFrame> first = new CompletableFuture<>();
        VideoFrame frame;
        Registration sub;
        try {
            sub = live.subscribe(status.cameraId(), width, height, LiveFeed.Stream.MAIN, first::complete);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            frame = first.get(SNAPSHOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            CameraStatus now = cameras.status(status.cameraId()).orElse(status);
            throw new ApiException(503, "Camera " + status.cameraId() + " sent no picture within "
                    + SNAPSHOT_WAIT.toSeconds() + " s (it is " + now.state().name()
                    + now.reason().map(x -> ": " + x).orElse("") + "); try again when it records.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "The snapshot was interrupted; try again.");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            sub.close();
        }
        byte[] jpeg = jpeg(frame);
        r.response().setStatus(200);
        r.response().setContentType("image/jpeg");
        r.response().setHeader("Cache-Control", "no-store");
        r.response().setHeader("Vigil-Picture-Time", frame.time().toString());
        r.response().setContentLength(jpeg.length);
        if (!r.bodyless()) {
            try (OutputStream out = r.response().getOutputStream()) {
                out.write(jpeg);
            }
        }
    }

    /** A BGRx picture as a JPEG (the JDK's encoder: no GStreamer pipeline for one picture). */
    static byte[] jpeg(VideoFrame f) throws IOException {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        ByteBuffer px = f.pixels().duplicate();
        int base = px.position();
        for (int y = 0; y < f.height(); y++) {
            int row = base + y * f.stride();
            for (int x = 0; x < f.width(); x++) {
                int i = row + x * 4;
                int b = px.get(i) & 0xff;
                int g = px.get(i + 1) & 0xff;
                int red = px.get(i + 2) & 0xff;
                rgb[y * f.width() + x] = (red << 16) | (g << 8) | b;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(f.width() * f.height() / 4);
        if (!ImageIO.write(img, "jpg", out)) {
            throw new IOException("no JPEG writer in this Java runtime");
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static List<String> forwardedParts(ApiRequest r) {
        Object p = r.request().getAttribute(PARTS_ATTRIBUTE);
        if (p instanceof List<?> l && l.size() == 2) {
            return (List<String>) l;
        }
        return null;
    }

    private static Optional<String> text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!(e instanceof JsonPrimitive p)) {
            throw ApiException.badRequest("'" + key + "' must be a text or a number.");
        }
        String s = p.getAsString().strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
