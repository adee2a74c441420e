package org.vigil.restream.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.users.Authenticator;
import org.vigil.gst.GstRuntime;

/**
 * The recorder's live re-stream: an RTSP server (gst-rtsp-server) with {@code /<camera>/main} and
 * {@code /<camera>/sub} for every configured camera, fed from the recorder's own connection to the camera
 * ({@link LiveFeed#tapEncoded}), with Basic authentication by the recorder's users. It runs where the recorder runs
 * (not for one-shot commands); a camera added gets its mounts, a camera removed loses them (its viewers get
 * end-of-stream). Settings: {@link RestreamSettings}.
 */
@Component(service = {}, immediate = true, configurationPid = RestreamSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RestreamComponent {
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    static final Duration SWEEP = Duration.ofSeconds(2);
    private static final Logger LOG = System.getLogger(RestreamComponent.class.getName());

    private final CameraService cameras;
    private final LiveFeed feed;
    private final SerialExecutor strand;
    private final Optional<RestreamServer> server;
    private final Registration listener;
    private final ScheduledFuture<?> sweep;
    private volatile boolean closed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authenticator authenticator;

    @Activate
    public RestreamComponent(BundleContext context, Map<String, Object> properties, @Reference GstRuntime gst,
            @Reference CameraService cameras, @Reference LiveFeed feed, @Reference Scheduler scheduler) {
        this.cameras = cameras;
        this.feed = feed;
        this.strand = new SerialExecutor(scheduler, "live re-stream mounts");
        this.server = start(VigilMode.of(context.getProperty(VigilMode.PROPERTY)), properties);
        this.listener = server.isPresent() ? cameras.addStatusListener(s -> strand.execute(this::reconcile))
                : () -> { };
        // a removed camera is gone from the service only after its last status: look again now and then
        this.sweep = server.isPresent() ? scheduler.scheduleAtFixedRate("live re-stream mounts",
                () -> strand.execute(this::reconcile), SWEEP, SWEEP) : null;
    }

    private Optional<RestreamServer> start(VigilMode mode, Map<String, Object> properties) {
        if (!mode.records()) {
            return Optional.empty();
        }
        RestreamSettings settings;
        try {
            settings = RestreamSettings.of(properties, mode == VigilMode.TEST);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, e.getMessage() + " The live re-stream is off until this is fixed.");
            return Optional.empty();
        }
        if (!settings.enabled()) {
            LOG.log(Level.INFO, "The live re-stream is off (restream.enabled).");
            return Optional.empty();
        }
        String address = settings.address();
        String refusal = settings.refusal();
        if (refusal != null) {
            LOG.log(Level.WARNING, refusal);
            address = RestreamSettings.DEFAULT_ADDRESS;
        }
        try {
            RestreamServer s = RestreamServer.start(address, settings.port(), new BasicGate(() -> authenticator));
            LOG.log(Level.INFO, "Live re-stream on rtsp://{0}:{1}/<camera>/main and /sub (Basic authentication by the"
                    + " recorder''s users).", hostInUrl(s.address()), Integer.toString(s.port()));
            return Optional.of(s);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.WARNING, e.getMessage());
            return Optional.empty();
        }
    }

    private static String hostInUrl(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Mounts every configured camera's streams and unmounts those of cameras that are gone (strand). */
    private void reconcile() {
        if (closed || server.isEmpty()) {
            return;
        }
        RestreamServer s = server.get();
        Set<String> wanted = new HashSet<>();
        for (CameraStatus c : cameras.cameras()) {
            for (LiveFeed.Stream stream : LiveFeed.Stream.values()) {
                wanted.add(StreamMount.path(c.cameraId(), stream));
                if (!s.mounts().containsKey(StreamMount.path(c.cameraId(), stream))) {
                    s.mount(new StreamMount(c.cameraId(), stream, feed, RtspLibs.load()));
                }
            }
        }
        for (String path : s.mounts().keySet()) {
            if (!wanted.contains(path)) {
                LOG.log(Level.INFO, "Live re-stream: {0} is no longer served (its camera was removed).", path);
                s.unmount(path);
            }
        }
    }

    /** The server, while it serves (tests, diagnostics). */
    Optional<RestreamServer> server() {
        return server;
    }

    @Deactivate
    void deactivate() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweep != null) {
            sweep.cancel(false);
        }
        try {
            listener.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Removing the camera listener failed: {0}", e.toString());
        }
        server.ifPresent(s -> s.stop(STOP_WAIT));
    }
}
