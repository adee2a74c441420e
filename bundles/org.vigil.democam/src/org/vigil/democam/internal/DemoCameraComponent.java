package org.vigil.democam.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.Codec;
import org.vigil.api.democam.DemoCamera;
import org.vigil.api.platform.VigilMode;
import org.vigil.democam.internal.RtspDemoServer.Mount;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.MissingElementException;

/**
 * The demo camera: a real RTSP camera on 127.0.0.1 for the first start, demos and tests. It serves only when the
 * framework property {@value #ENABLE_PROPERTY} is {@code on} or {@code vigil.mode} is {@code test} or
 * {@code democam}; otherwise it does nothing. While serving it registers {@link DemoCamera} with the URLs as
 * service properties ({@code url.h264}, {@code url.h265}, {@code url.mjpeg}, {@code url.h264.aac}) and the
 * {@code port}, so a launcher can print them without loading this class. The service is registered by hand
 * because the port is known only once the server is bound.
 */
@Component(service = {}, immediate = true, configurationPid = DemoCameraConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class DemoCameraComponent implements DemoCamera {
    /** Framework property: {@code on} serves the demo camera in any mode. */
    public static final String ENABLE_PROPERTY = "vigil.democam";
    static final String URL_H264 = "url.h264";
    static final String URL_H265 = "url.h265";
    static final String URL_MJPEG = "url.mjpeg";
    static final String URL_H264_AAC = "url.h264.aac";
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = System.getLogger(DemoCameraComponent.class.getName());

    private final Optional<RtspDemoServer> server;
    private final Map<Codec, String> urls = new EnumMap<>(Codec.class);
    private final Optional<String> audioUrl;
    private volatile ServiceRegistration<DemoCamera> registration;

    @Activate
    public DemoCameraComponent(BundleContext context, DemoCameraConfig config,
            @Reference(name = "gst") GstRuntime gst) {
        if (!enabled(context.getProperty(ENABLE_PROPERTY), context.getProperty(VigilMode.PROPERTY))) {
            LOG.log(Level.DEBUG, "Demo camera off (set {0}=on to serve it).", ENABLE_PROPERTY);
            this.server = Optional.empty();
            this.audioUrl = Optional.empty();
            return;
        }
        List<Mount> mounts = DemoMounts.plan(config, elements -> installed(gst, elements),
                gst.firstAvailable("avenc_aac", "voaacenc", "fdkaacenc"));
        Optional<RtspDemoServer> started = Optional.empty();
        if (mounts.isEmpty()) {
            LOG.log(Level.WARNING, "The demo camera serves nothing: its test picture or encoders are missing.");
        } else {
            try {
                started = Optional.of(RtspDemoServer.start(config.address(), config.port(), mounts));
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.WARNING, e.getMessage());
            }
        }
        this.server = started;
        String audio = null;
        if (started.isPresent()) {
            RtspDemoServer s = started.get();
            String base = "rtsp://" + s.address() + ":" + s.port();
            for (Mount m : mounts) {
                switch (m.path()) {
                    case DemoMounts.H264 -> urls.put(Codec.H264, base + m.path());
                    case DemoMounts.H265 -> urls.put(Codec.H265, base + m.path());
                    case DemoMounts.MJPEG -> urls.put(Codec.MJPEG, base + m.path());
                    case DemoMounts.H264_AAC -> audio = base + m.path();
                    default -> throw new IllegalStateException(m.path());
                }
            }
        }
        this.audioUrl = Optional.ofNullable(audio);
        started.ifPresent(s -> {
            registration = context.registerService(DemoCamera.class, this, serviceProperties(s, config));
            LOG.log(Level.INFO, "Demo camera serving {0} ({1}x{2} at {3} fps, {4} kbit/s, keyframe every {5} frames).",
                    describeUrls(), String.valueOf(config.width()), String.valueOf(config.height()),
                    String.valueOf(config.framerate()), String.valueOf(config.bitrate_kbps()),
                    String.valueOf(config.keyframe_interval()));
        });
    }

    /** Whether the demo camera serves, from the framework properties {@value #ENABLE_PROPERTY} and {@code vigil.mode}. */
    static boolean enabled(String democam, String mode) {
        if (democam != null && democam.trim().toLowerCase(Locale.ROOT).equals("on")) {
            return true;
        }
        VigilMode m = VigilMode.of(mode);
        return mode != null && (m == VigilMode.TEST || m == VigilMode.DEMOCAM);
    }

    private static boolean installed(GstRuntime gst, List<String> elements) {
        try {
            gst.requireElements(elements);
            return true;
        } catch (MissingElementException e) {
            LOG.log(Level.WARNING, "Demo camera: " + e.getMessage());
            return false;
        }
    }

    private Hashtable<String, Object> serviceProperties(RtspDemoServer s, DemoCameraConfig config) {
        Hashtable<String, Object> p = new Hashtable<>();
        Optional.ofNullable(urls.get(Codec.H264)).ifPresent(u -> p.put(URL_H264, u));
        Optional.ofNullable(urls.get(Codec.H265)).ifPresent(u -> p.put(URL_H265, u));
        Optional.ofNullable(urls.get(Codec.MJPEG)).ifPresent(u -> p.put(URL_MJPEG, u));
        audioUrl.ifPresent(u -> p.put(URL_H264_AAC, u));
        p.put("port", s.port());
        p.put("width", config.width());
        p.put("height", config.height());
        p.put("framerate", config.framerate());
        p.put("bitrate.kbps", config.bitrate_kbps());
        return p;
    }

    private String describeUrls() {
        List<String> all = new ArrayList<>(urls.values());
        audioUrl.ifPresent(all::add);
        return String.join(", ", all);
    }

    @Override
    public int port() {
        return server.map(RtspDemoServer::port).orElse(0);
    }

    @Override
    public String url(Codec codec) {
        Codec wanted = codec == Codec.AUTO ? Codec.H264 : codec;
        String url = urls.get(wanted);
        if (url == null) {
            throw new IllegalArgumentException("The demo camera does not serve " + wanted + " here; its encoder is "
                    + "missing (see the log).");
        }
        return url;
    }

    @Override
    public Map<Codec, String> urls() {
        return Map.copyOf(urls);
    }

    /** The H.264 mount with AAC audio, when an AAC encoder is installed and audio is on. */
    public Optional<String> audioUrl() {
        return audioUrl;
    }

    /** Pipelines built per mount so far (tests: a shared mount builds one for all its clients). */
    Map<String, Integer> mediasBuilt() {
        return server.map(RtspDemoServer::mediasBuilt).orElse(Map.of());
    }

    /** Unregisters the service, then stops the server (socket closed, loop joined). Idempotent, never throws. */
    @Deactivate
    public void stop() {
        ServiceRegistration<DemoCamera> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already unregistered (bundle stopping)
            }
        }
        server.ifPresent(s -> s.stop(STOP_WAIT));
    }
}
