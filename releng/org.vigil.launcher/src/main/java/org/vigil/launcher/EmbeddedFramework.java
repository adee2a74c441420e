package org.vigil.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.felix.framework.FrameworkFactory;
import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/** The Felix framework of one launcher process, configured from {@code conf/config.properties}. */
final class EmbeddedFramework {
    private static final Logger LOG = Logger.getLogger(EmbeddedFramework.class.getName());

    private final Framework framework;
    private final java.util.concurrent.CountDownLatch started;

    private EmbeddedFramework(Framework framework, java.util.concurrent.CountDownLatch started) {
        this.framework = framework;
        this.started = started;
    }

    /** The start level of the network servers (Jetty), which only a recorder or the workbench starts. */
    static final String SERVERS_LEVEL = "vigil.startlevel.servers";

    /** Starts a framework with every bundle of {@code bundle/} (and FileInstall watching {@code plugins/}). */
    static EmbeddedFramework start(Path home, Path dataDir, String mode, Map<String, String> extra)
            throws UsageException {
        Map<String, String> config = new HashMap<>();
        Properties file = new Properties();
        Path confFile = home.resolve("conf/config.properties");
        try (InputStream in = Files.newInputStream(confFile)) {
            file.load(in);
        } catch (IOException e) {
            throw new UsageException(1, "The Vigil installation in " + home + " is incomplete (" + confFile
                    + " cannot be read); reinstall or rebuild it.");
        }
        for (String key : file.stringPropertyNames()) {
            config.put(key, file.getProperty(key).replace("${vigil.home}", home.toString())
                    .replace("${vigil.data}", dataDir.toString()));
        }
        config.put("org.osgi.framework.storage", dataDir.resolve("cache").resolve("felix-" + mode).toString());
        config.put("felix.auto.deploy.dir", home.resolve("bundle").toString());
        config.put("felix.fileinstall.dir", home.resolve("plugins").toString());
        config.put("vigil.home", home.toString());
        config.put("vigil.data", dataDir.toString());
        config.put("vigil.mode", mode);
        if (!mode.equals("recorder") && !mode.equals("workbench") && config.containsKey(SERVERS_LEVEL)) {
            // a one-shot command or the demo camera alone: the network servers (the level above) never start
            int servers = Integer.parseInt(config.get(SERVERS_LEVEL).trim());
            config.put("org.osgi.framework.startlevel.beginning", Integer.toString(servers - 1));
        }
        config.put("vigil.version", Main.version());
        config.putAll(extra);
        Map<String, Object> frameworkConfig = new HashMap<>(config);
        frameworkConfig.put("felix.log.logger", new FelixLogBridge());
        Framework fw = new FrameworkFactory().newFramework(frameworkConfig);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        try {
            fw.init();
            fw.getBundleContext().addFrameworkListener(e -> {
                if (e.getType() == org.osgi.framework.FrameworkEvent.STARTED) {
                    started.countDown();
                }
            });
            AutoProcessor.process(config, fw.getBundleContext());
            fw.start();
        } catch (BundleException | RuntimeException e) {
            LogSetup.toFile("The OSGi framework could not start", e);
            throw new UsageException(1, "The OSGi framework could not start (" + e.getMessage() + "); see "
                    + dataDir.resolve(LogSetup.CURRENT) + ".");
        }
        return new EmbeddedFramework(fw, started);
    }

    /**
     * Waits until every bundle of the start level has been started; true when that happened in time. Returns false
     * at once when the framework stops meanwhile (a component that cannot run stopped it).
     */
    boolean awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (started.await(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!isRunning()) {
                return false;
            }
        }
        return started.getCount() == 0;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** Waits for a service matching {@code filter}; returns its reference or null after {@code timeout}. */
    ServiceReference<?> awaitService(String filter, Duration timeout) throws InterruptedException {
        Filter f;
        try {
            f = context().createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context(), f, null);
        tracker.open(true);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                ServiceReference<Object> ref = tracker.getServiceReference();
                if (ref != null) {
                    return ref;
                }
                if (framework.getState() != Bundle.ACTIVE && framework.getState() != Bundle.STARTING) {
                    return null;
                }
                Thread.sleep(20);
            }
            return null;
        } finally {
            tracker.close();
        }
    }

    /** The string property {@code key} of every service matching {@code filter}, for messages. */
    java.util.List<String> serviceProperties(String filter, String key) {
        java.util.List<String> values = new java.util.ArrayList<>();
        try {
            ServiceReference<?>[] refs = context().getAllServiceReferences(null, filter);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    values.add(String.valueOf(r.getProperty(key)));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return values;
    }

    /** Bundles that did not start (fragments excluded), for the start-up report. */
    java.util.List<String> bundlesNotActive() {
        java.util.List<String> result = new java.util.ArrayList<>();
        for (Bundle b : context().getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                result.add(b.getSymbolicName());
            }
        }
        return result;
    }

    boolean isRunning() {
        int s = framework.getState();
        return s == Bundle.ACTIVE || s == Bundle.STARTING;
    }

    /** Waits until the framework stops by itself (from the shell, say); true when it did within {@code timeout}. */
    boolean waitForStop(Duration timeout) throws InterruptedException {
        return framework.waitForStop(timeout.toMillis()).getType() != org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT;
    }

    /** Stops the framework: every component is deactivated. True when it stopped within {@code timeout}. */
    boolean stop(Duration timeout) {
        try {
            framework.stop();
            return framework.waitForStop(timeout.toMillis()).getType() != org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "Stopping the framework failed: " + e.getMessage(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Routes Felix's own messages (bundle errors, resolution failures) to the log. */
    static final class FelixLogBridge extends org.apache.felix.framework.Logger {
        private static final Logger FELIX = Logger.getLogger("org.apache.felix.framework");

        @Override
        protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
                Throwable throwable) {
            Level l = switch (level) {
                case LOG_ERROR -> Level.SEVERE;
                case LOG_WARNING -> Level.WARNING;
                case LOG_INFO -> Level.INFO;
                default -> Level.FINE;
            };
            String where = bundle == null ? "" : " (" + bundle.getSymbolicName() + ")";
            FELIX.log(l, msg + where, throwable);
        }
    }
}
