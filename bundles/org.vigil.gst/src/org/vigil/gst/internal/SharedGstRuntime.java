package org.vigil.gst.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.util.Dictionary;
import java.util.Hashtable;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Version;
import org.freedesktop.gstreamer.glib.GError;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.MissingElementException;
import org.vigil.api.platform.StartupProblem;
import org.vigil.api.platform.VigilMode;

/**
 * The one place {@code Gst.init} is called in a Vigil framework. GStreamer is never de-initialised: it cannot be
 * initialised again in the same process, so it lives until the process ends and a re-activated component (bundle
 * update, restart of this component) finds it ready.
 */
@Component(service = GstRuntime.class, immediate = true)
public final class SharedGstRuntime implements GstRuntime {
    /** The GStreamer API level requested from gst1-java-core (Vigil runs on 1.22 and later). */
    static final Version REQUESTED = Version.of(1, 16);
    private static final Logger LOG = System.getLogger(SharedGstRuntime.class.getName());
    private static final AtomicInteger INIT_CALLS = new AtomicInteger();
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Pattern NO_ELEMENT = Pattern.compile("no element \"([^\"]+)\"");

    private volatile ServiceRegistration<StartupProblem> problem;

    public SharedGstRuntime() {
        this(null);
    }

    @Activate
    public SharedGstRuntime(BundleContext context) {
        boolean initialisedHere = initOnce();
        GstThreads.learnBusThread();
        LOG.log(Level.INFO, "GStreamer {0} {1}.", version(),
                initialisedHere ? "initialised" : "already initialised in this process");
        List<String> missing = missingElements();
        if (!missing.isEmpty()) {
            String sentence = ElementPackages.missingSentence(missing);
            if (WARNED.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, sentence);
            }
            // a recorder that cannot record must not pretend to run: the launcher refuses to start on this
            if (context != null && VigilMode.of(context.getProperty(VigilMode.PROPERTY)).records()) {
                Dictionary<String, Object> props = new Hashtable<>();
                props.put(StartupProblem.PROPERTY, sentence);
                StartupProblem p = () -> sentence;
                problem = context.registerService(StartupProblem.class, p, props);
            }
        }
    }

    /** Calls {@code Gst.init} unless it already ran in this process; true when this call initialised GStreamer. */
    static boolean initOnce() {
        synchronized (Gst.class) {
            if (Gst.isInitialized()) {
                return false;
            }
            Gst.init(REQUESTED, "vigil");
            INIT_CALLS.incrementAndGet();
            return true;
        }
    }

    /** How often this bundle called {@code Gst.init} (at most once per process). */
    public static int initCalls() {
        return INIT_CALLS.get();
    }

    @Override
    public String version() {
        Version v = Gst.getVersion();
        return v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }

    @Override
    public boolean hasElement(String factory) {
        if (factory == null || factory.isBlank()) {
            return false;
        }
        try {
            ElementFactory f = ElementFactory.find(factory);
            f.dispose();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void requireElements(Collection<String> factories) throws MissingElementException {
        List<String> missing = new ArrayList<>();
        for (String f : factories) {
            if (!hasElement(f) && !missing.contains(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingElementException(ElementPackages.missingSentence(missing), missing);
        }
    }

    @Override
    public Optional<String> firstAvailable(String... choices) {
        for (String c : choices) {
            if (hasElement(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> debianPackage(String factory) {
        return ElementPackages.debianPackage(factory);
    }

    @Override
    public List<String> missingElements() {
        List<String> missing = new ArrayList<>();
        for (String e : ElementPackages.required()) {
            if (!hasElement(e)) {
                missing.add(e);
            }
        }
        if (firstAvailable(ElementPackages.AAC_ENCODERS.toArray(String[]::new)).isEmpty()) {
            missing.add(ElementPackages.AAC_ENCODERS.get(0));
        }
        return missing;
    }

    @Override
    public ManagedPipeline parse(String name, String description) throws MissingElementException {
        List<GError> errors = new ArrayList<>();
        Element parsed = Gst.parseLaunch(description, errors);
        if (!errors.isEmpty() || parsed == null) {
            if (parsed != null) {
                parsed.dispose();
            }
            List<String> missing = new ArrayList<>();
            for (GError e : errors) {
                Matcher m = NO_ELEMENT.matcher(String.valueOf(e.getMessage()));
                if (m.find()) {
                    missing.add(m.group(1));
                }
            }
            if (!missing.isEmpty()) {
                throw new MissingElementException(ElementPackages.missingSentence(missing), missing);
            }
            String why = errors.isEmpty() ? "unknown error" : errors.get(0).getMessage();
            throw new IllegalArgumentException("The pipeline '" + name + "' cannot be built: " + why + ".");
        }
        Pipeline pipeline;
        if (parsed instanceof Pipeline p) {
            pipeline = p;
        } else {
            pipeline = new Pipeline(name);
            pipeline.add(parsed);
            parsed.dispose();
        }
        pipeline.setName(name);
        return new ManagedPipeline(name, pipeline);
    }

    @Override
    public ManagedPipeline manage(String name, Pipeline pipeline) {
        return new ManagedPipeline(name, pipeline);
    }

    /** Nothing to undo: GStreamer stays initialised for the life of the process (see the class comment). */
    @Deactivate
    void deactivate() {
        ServiceRegistration<StartupProblem> p = problem;
        problem = null;
        if (p != null) {
            try {
                p.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        LOG.log(Level.DEBUG, "GStreamer runtime service stopped; GStreamer itself stays initialised.");
    }
}
