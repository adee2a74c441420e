package org.vigil.gst;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.freedesktop.gstreamer.glib.GObject;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.vigil.api.platform.Registration;
import org.vigil.gst.internal.GstThreads;

import com.sun.jna.Callback;

/**
 * A pipeline together with everything connected to it, so that it can be released completely (docs/GSTREAMER.md,
 * "Releasing everything"): every bus listener and signal handler is connected through this object and every proxy
 * of a native object (elements, pads, clocks) is obtained or tracked through it. {@link #release(Duration)}
 * optionally sends end-of-stream and waits for it (bounded, never on the bus thread), sets NULL and checks it was
 * reached, disconnects every listener, disposes every proxy and then the pipeline. It is idempotent, never throws
 * and is safe to call from a {@code finally} block or a {@code @Deactivate} method.
 * <p>
 * Threads: bus listeners run on GStreamer's single bus thread ("gstreamer service thread") and must return quickly;
 * signal handlers such as {@code new-sample} or {@code pad-added} run on streaming threads. Never release a pipeline
 * from one of its own streaming threads (setting NULL joins them): hand the release to the scheduler instead.
 */
public final class ManagedPipeline implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ManagedPipeline.class.getName());
    private static final Duration NULL_STATE_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Pipeline pipeline;
    private final Bus bus;
    private final List<Connection> connections = new ArrayList<>();
    private final List<NativeObject> proxies = new ArrayList<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Duration eosOnClose = Duration.ZERO;

    /**
     * Manages {@code pipeline}. Prefer {@link GstRuntime#parse(String, String)} or
     * {@link GstRuntime#manage(String, Pipeline)}, which guarantee GStreamer is initialised.
     */
    public ManagedPipeline(String name, Pipeline pipeline) {
        this.name = Objects.requireNonNull(name, "name");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.bus = pipeline.getBus();
    }

    /** The name given in logs. */
    public String name() {
        return name;
    }

    /** The pipeline itself, for what this class does not wrap (queries, seeks, properties). */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** Whether {@link #release(Duration)} has run. */
    public boolean isReleased() {
        return released.get();
    }

    /** Sends end-of-stream on {@link #close()} and waits for it at most {@code wait} (zero: no EOS). */
    public ManagedPipeline eosOnClose(Duration wait) {
        this.eosOnClose = wait == null || wait.isNegative() ? Duration.ZERO : wait;
        return this;
    }

    // ---- state ----

    /** Sets PLAYING. */
    public StateChangeReturn play() {
        return pipeline.setState(State.PLAYING);
    }

    /** Sets PAUSED. */
    public StateChangeReturn pause() {
        return pipeline.setState(State.PAUSED);
    }

    /** Waits at most {@code timeout} for a pending state change and gives the current state. */
    public State state(Duration timeout) {
        return pipeline.getState(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    // ---- proxies ----

    /**
     * The element named {@code elementName}, disposed on release.
     *
     * @throws IllegalArgumentException when the pipeline has no such element or it is not a {@code type}
     */
    public <T extends Element> T element(String elementName, Class<T> type) {
        Element e = pipeline.getElementByName(elementName);
        if (e == null) {
            throw new IllegalArgumentException("The pipeline '" + name + "' has no element named '" + elementName + "'.");
        }
        track(e);
        if (!type.isInstance(e)) {
            throw new IllegalArgumentException("The element '" + elementName + "' of the pipeline '" + name + "' is a "
                    + e.getTypeName() + ", not a " + type.getSimpleName() + ".");
        }
        return type.cast(e);
    }

    /** The element named {@code elementName}, disposed on release. */
    public Element element(String elementName) {
        return element(elementName, Element.class);
    }

    /** The static pad {@code padName} of {@code element}, disposed on release. */
    public Pad staticPad(Element element, String padName) {
        Pad pad = element.getStaticPad(padName);
        if (pad == null) {
            throw new IllegalArgumentException("The element '" + element.getName() + "' has no pad named '" + padName + "'.");
        }
        return track(pad);
    }

    /**
     * Disposes {@code proxy} on release (after NULL). For long-lived proxies only: per-frame samples and buffers are
     * disposed at once by the code that pulls them (see {@link Samples}).
     */
    public <T extends NativeObject> T track(T proxy) {
        if (proxy == null || proxy == pipeline || proxy == bus) {
            return proxy;
        }
        synchronized (proxies) {
            for (NativeObject p : proxies) {
                if (p == proxy) {
                    return proxy;
                }
            }
            proxies.add(proxy);
        }
        return proxy;
    }

    // ---- bus listeners (bus thread: return quickly, never wait for another message) ----

    public Registration onEos(Bus.EOS listener) {
        return connect("bus eos", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    public Registration onError(Bus.ERROR listener) {
        return connect("bus error", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    public Registration onWarning(Bus.WARNING listener) {
        return connect("bus warning", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    public Registration onInfo(Bus.INFO listener) {
        return connect("bus info", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    public Registration onStateChanged(Bus.STATE_CHANGED listener) {
        return connect("bus state-changed", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    public Registration onAsyncDone(Bus.ASYNC_DONE listener) {
        return connect("bus async-done", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    /** Every message on the bus. */
    public Registration onMessage(Bus.MESSAGE listener) {
        return connect("bus message", () -> bus.connect(listener), () -> bus.disconnect(listener));
    }

    // ---- signal handlers (streaming threads: never block, never release this pipeline from them) ----

    public Registration onPadAdded(Element element, Element.PAD_ADDED listener) {
        track(element);
        return connect("pad-added on " + element.getName(), () -> element.connect(listener),
                () -> element.disconnect(listener));
    }

    public Registration onNoMorePads(Element element, Element.NO_MORE_PADS listener) {
        track(element);
        return connect("no-more-pads on " + element.getName(), () -> element.connect(listener),
                () -> element.disconnect(listener));
    }

    /** {@code new-sample} of an appsink (set {@code emit-signals=true} on it); dispose each sample at once. */
    public Registration onNewSample(AppSink sink, AppSink.NEW_SAMPLE listener) {
        track(sink);
        return connect("new-sample on " + sink.getName(), () -> sink.connect(listener), () -> sink.disconnect(listener));
    }

    public Registration onNewPreroll(AppSink sink, AppSink.NEW_PREROLL listener) {
        track(sink);
        return connect("new-preroll on " + sink.getName(), () -> sink.connect(listener), () -> sink.disconnect(listener));
    }

    /**
     * Any other GObject signal, such as splitmuxsink's {@code format-location-full}: {@code callback} is the JNA
     * callback, {@code listener} the key it is disconnected by (often the same object).
     */
    public <T> Registration onSignal(GObject target, String signal, Class<T> listenerClass, T listener, Callback callback) {
        track(target);
        return connect(signal + " on " + target, () -> target.connect(signal, listenerClass, listener, callback),
                () -> target.disconnect(listenerClass, listener));
    }

    /** Closes {@code registration} on release, for a connection this class does not make itself. */
    public Registration own(String what, Registration registration) {
        return connect(what, () -> {
        }, registration::close);
    }

    /** How many listeners and handlers are connected through this object now. */
    public int connectedListeners() {
        synchronized (connections) {
            return connections.size();
        }
    }

    private Registration connect(String what, Runnable connect, Runnable disconnect) {
        Connection c = new Connection(what, disconnect);
        synchronized (connections) {
            // checked under the lock that release() drains the list with: no connection slips in after the drain
            if (released.get()) {
                throw new IllegalStateException("The pipeline '" + name + "' is released; nothing can be connected to it.");
            }
            connect.run();
            connections.add(c);
        }
        return c;
    }

    private final class Connection implements Registration {
        private final String what;
        private final Runnable disconnect;
        private final AtomicBoolean closed = new AtomicBoolean();

        Connection(String what, Runnable disconnect) {
            this.what = what;
            this.disconnect = disconnect;
        }

        @Override
        public void close() {
            synchronized (connections) {
                connections.remove(this);
            }
            disconnectOnce();
        }

        boolean disconnectOnce() {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            try {
                disconnect.run();
                return true;
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Pipeline ''{0}'': disconnecting {1} failed: {2}", name, what, e.toString());
                return false;
            }
        }
    }

    // ---- release ----

    /** Releases with the end-of-stream wait set by {@link #eosOnClose(Duration)} (none by default). */
    @Override
    public void close() {
        release(eosOnClose);
    }

    /**
     * Releases everything: EOS first when {@code eosWait} is positive and the pipeline is playing (waiting at most
     * {@code eosWait}, and not at all on the bus thread, where the EOS message could never be delivered), then NULL,
     * then every listener disconnected, every proxy and the pipeline disposed. Idempotent; never throws.
     */
    public Teardown release(Duration eosWait) {
        if (!released.compareAndSet(false, true)) {
            return Teardown.again();
        }
        long t0 = System.nanoTime();
        boolean eosSent = false;
        boolean eosReceived = false;
        boolean reachedNull = false;
        int disconnected = 0;
        int disposed = 0;
        try {
            if (eosWait != null && eosWait.compareTo(Duration.ZERO) > 0) {
                if (GstThreads.isBusThread()) {
                    LOG.log(Level.WARNING, "Pipeline ''{0}'' released on the GStreamer bus thread: stopping without "
                            + "waiting for end-of-stream (the bus could not deliver it).", name);
                } else if (settledState(eosWait) == State.PLAYING) {
                    Duration left = eosWait.minusNanos(System.nanoTime() - t0);
                    eosSent = true;
                    eosReceived = sendEosAndWait(left.isNegative() ? Duration.ZERO : left);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Pipeline ''{0}'': end-of-stream failed: {1}", name, e.toString());
        } finally {
            try {
                reachedNull = stopToNull();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Pipeline ''{0}'': setting NULL failed: {1}", name, e.toString());
            } finally {
                disconnected = disconnectAll();
                disposed = disposeAll();
            }
        }
        Teardown t = new Teardown(eosSent, eosReceived, reachedNull, disconnected, disposed,
                Duration.ofNanos(System.nanoTime() - t0), true);
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "Pipeline ''{0}'' released: {1}", name, t);
        }
        return t;
    }

    /** The state once a pending change has completed (a live pipeline delivers frames before it says PLAYING). */
    private State settledState(Duration wait) {
        return pipeline.getState(Math.min(wait.toMillis(), 1000), TimeUnit.MILLISECONDS);
    }

    private boolean sendEosAndWait(Duration wait) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean eos = new AtomicBoolean();
        Bus.EOS eosListener = source -> {
            eos.set(true);
            done.countDown();
        };
        Bus.ERROR errorListener = (source, code, message) -> done.countDown();
        try {
            bus.connect(eosListener);
            bus.connect(errorListener);
            if (!pipeline.sendEvent(new EOSEvent())) {
                return false;
            }
            boolean arrived = done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (!arrived) {
                LOG.log(Level.INFO, "Pipeline ''{0}'': no end-of-stream within {1} ms; stopping anyway.", name,
                        wait.toMillis());
            }
            return eos.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            quietly("bus eos (release)", () -> bus.disconnect(eosListener));
            quietly("bus error (release)", () -> bus.disconnect(errorListener));
        }
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Pipeline ''{0}'': {1} failed: {2}", name, what, e.toString());
        }
    }

    private boolean stopToNull() {
        StateChangeReturn r = pipeline.setState(State.NULL);
        if (r == StateChangeReturn.FAILURE) {
            // one child failed its way down (a sink that cannot reopen its file when asked for PAUSED on the way):
            // stop each child by itself, then the pipeline; disposing a pipeline that is still PLAYING would keep
            // its sources' connections open
            LOG.log(Level.INFO, "Pipeline ''{0}'': one of its elements failed the change to NULL; stopping each "
                    + "element by itself.", name);
            // (locked, or the pipeline's own way down would ask each of them for PAUSED again)
            List<Element> children = pipeline.getElements();
            for (Element child : children) {
                child.setLockedState(true);
                child.setState(State.NULL);
            }
            r = pipeline.setState(State.NULL);
            for (Element child : children) {
                child.setLockedState(false);
            }
        }
        if (r == StateChangeReturn.FAILURE) {
            LOG.log(Level.WARNING, "Pipeline ''{0}'' refused to go to NULL.", name);
            return false;
        }
        State s = pipeline.getState(NULL_STATE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (s != State.NULL) {
            LOG.log(Level.WARNING, "Pipeline ''{0}'' is still {1} after being set to NULL.", name, s);
            return false;
        }
        return true;
    }

    private int disconnectAll() {
        List<Connection> all;
        synchronized (connections) {
            all = new ArrayList<>(connections);
            connections.clear();
        }
        int n = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).disconnectOnce()) {
                n++;
            }
        }
        return n;
    }

    private int disposeAll() {
        List<NativeObject> all;
        synchronized (proxies) {
            all = new ArrayList<>(proxies);
            proxies.clear();
        }
        int n = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (dispose(all.get(i))) {
                n++;
            }
        }
        // disposes the bus too (and with it the bus watch gst1-java-core added for the listeners)
        if (dispose(pipeline)) {
            n++;
        }
        return n;
    }

    private boolean dispose(NativeObject proxy) {
        try {
            proxy.dispose();
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Pipeline ''{0}'': disposing {1} failed: {2}", name, proxy.getClass().getSimpleName(),
                    e.toString());
            return false;
        }
    }

    @Override
    public String toString() {
        return "ManagedPipeline[" + name + (released.get() ? ", released]" : "]");
    }
}
