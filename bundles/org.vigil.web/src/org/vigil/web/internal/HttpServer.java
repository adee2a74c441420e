package org.vigil.web.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.config.ApiSettings;
import org.vigil.api.config.SettingsService;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;

/**
 * Starts and configures the HTTPS server (Felix HTTP on Jetty 12) from the {@code api} settings: HTTPS with the
 * recorder's certificate on {@code api.listen} and {@code api.port}, plain HTTP only on loopback and only when
 * {@code api.httpPort} asks for it, bounded threads and timeouts. The framework starts Jetty with nothing enabled
 * ({@code conf/config.properties}); this component's configuration of the PID {@value #FELIX_PID} turns it on, so
 * nothing ever listens beyond loopback before the settings are read. Beyond loopback only while an admin user exists.
 */
@Component(immediate = true, configurationPid = ApiSettings.PID, service = HttpServer.class)
public final class HttpServer {
    static final String FELIX_PID = "org.apache.felix.http";
    private static final Logger LOG = Logger.getLogger(HttpServer.class.getName());
    /** Felix HTTP's logger (through slf4j to java.util.logging); held here so that its filter stays. */
    private static final Logger FELIX_HTTP_LOG = Logger.getLogger("org.apache.felix.http");
    private static final String DISABLED_AT_FIRST = "Jetty not started (HTTP and HTTPS disabled)";
    static final long ADMIN_CHECK_SECONDS = 2;
    static final String KEYSTORE_PASSWORD = "org.apache.felix.https.keystore.password";
    static final String KEY_PASSWORD = "org.apache.felix.https.keystore.key.password";

    private final ConfigurationAdmin configAdmin;
    private final DataDirectory data;
    private final UserService users;
    private volatile Certificates.Store store;
    private volatile String effectiveListen = "127.0.0.1";
    private volatile String refusal;
    private final boolean serves;
    private volatile int effectivePort;
    private int chosenPort;
    private ApiSettings settings;
    /** Whether an admin existed when the settings were last applied (beyond loopback depends on it). */
    private volatile boolean adminSeen;
    /** The periodic look at users and the port, on the instance's shared scheduler; null when not serving. */
    private final ScheduledFuture<?> watcher;
    /** Why the server cannot listen (a port another program holds), or null. */
    private volatile String bindProblem;
    private String boundListen;
    private int boundPort;
    private int boundHttpPort;

    @Activate
    public HttpServer(@Reference ConfigurationAdmin configAdmin, @Reference DataDirectory data,
            @Reference UserService users, @Reference Scheduler scheduler, ApiSettings settings,
            BundleContext context) {
        this.configAdmin = configAdmin;
        this.data = data;
        this.users = users;
        // a one-shot command (or the demo camera alone) never serves the API: Jetty stays off
        this.serves = VigilMode.of(context.getProperty(VigilMode.PROPERTY)).records();
        // Felix HTTP first starts Jetty from the framework properties (nothing enabled, on purpose) and warns about
        // it, before Config Admin hands it this component's configuration: that one expected warning is dropped
        FELIX_HTTP_LOG.setFilter(r -> !DISABLED_AT_FIRST.equals(r.getMessage()));
        apply(settings);
        // users also change outside the API ('vigil user add' on the recorder's machine): while api.listen is
        // beyond loopback, whether an admin exists is read again every few seconds and followed live
        watcher = serves ? scheduler.scheduleAtFixedRate("API: admin and port watch", this::usersChanged,
                Duration.ofSeconds(ADMIN_CHECK_SECONDS), Duration.ofSeconds(ADMIN_CHECK_SECONDS)) : null;
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.cancel(false);
        }
        FELIX_HTTP_LOG.setFilter(null);
    }

    /**
     * The users changed (or may have; also called every {@value #ADMIN_CHECK_SECONDS} s): a port that was taken is
     * tried again, and when {@code api.listen} is beyond loopback and whether an admin exists is
     * no longer what it was, the server follows (listens beyond loopback once an admin exists, falls back to
     * loopback when none is left).
     */
    void usersChanged() {
        ApiSettings s;
        synchronized (this) {
            s = settings;
        }
        if (s == null) {
            return;
        }
        if (bindProblem != null) {
            apply(s); // try the port again
            return;
        }
        if (loopback(s.listen())) {
            return;
        }
        boolean admin;
        try {
            admin = users.anyAdmin();
        } catch (UsersException e) {
            admin = false;
        }
        if (admin != adminSeen) {
            apply(s);
        }
    }

    /** Whether this framework serves the API at all (a recorder or the workbench; not a one-shot command). */
    boolean serves() {
        return serves;
    }

    @Modified
    void modified(ApiSettings settings) {
        apply(settings);
    }

    /** The key store, once made; null when it could not be. */
    Certificates.Store store() {
        return store;
    }

    /** The address actually listened on (loopback when the setting was refused). */
    String listen() {
        return effectiveListen;
    }

    /** The HTTPS port configured (the one chosen when {@code api.port} is 0). */
    int port() {
        return effectivePort;
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getByName(host))) {
            return ss.getLocalPort();
        } catch (IOException e) {
            return 8443;
        }
    }

    /** Why {@code api.listen} is not followed, or null. */
    String refusal() {
        return refusal;
    }

    /** Why the server cannot listen at all (its port is taken), or null. */
    String bindProblem() {
        return bindProblem;
    }

    /** A sentence when another program already listens on {@code host:port}; null when it is free. */
    static String taken(String host, int port) {
        try (java.net.ServerSocket ss = new java.net.ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port), 1);
            return null;
        } catch (IOException e) {
            return "The API cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): another program"
                    + " uses that port; stop it or choose another port with 'vigil config set api.port=N'"
                    + " (it is tried again every few seconds; the recorder keeps recording).";
        }
    }

    private synchronized void apply(ApiSettings s) {
        settings = s;
        if (!serves) {
            return;
        }
        try {
            if (store == null) {
                store = Certificates.loadOrCreate(data.resolve("web"));
                LOG.info("The API's HTTPS certificate has the SHA-256 fingerprint " + store.fingerprint());
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.log(Level.SEVERE, "The API cannot serve HTTPS: its certificate in " + data.resolve("web")
                    + " could not be made or read (" + e.getMessage() + "). Remove that folder to make a new one.", e);
            return;
        }
        String listen = s.listen();
        refusal = null;
        if (!loopback(listen)) {
            boolean admin;
            try {
                admin = users.anyAdmin();
            } catch (UsersException e) {
                admin = false;
            }
            adminSeen = admin;
            if (!admin) {
                refusal = "The API listens on loopback only until an admin user exists: add one with"
                        + " 'vigil user add NAME --role admin', then it listens on " + listen + ".";
                LOG.warning(refusal);
                listen = "127.0.0.1";
            } else {
                LOG.info("An admin user exists: the API listens on " + listen + ".");
            }
        }
        effectiveListen = listen;
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.host", listen);
        int port = s.port();
        if (port == 0) {
            // a free port now (tests); kept while the setting stays 0, so the address does not move on each change
            port = chosenPort > 0 ? chosenPort : freePort(listen);
            chosenPort = port;
        }
        // a port another program holds: one sentence here and in 'vigil api status' instead of Jetty's stack
        // traces; the watcher tries again every few seconds, so the API comes up once the port is free
        String taken = listen.equals(boundListen) && port == boundPort ? null : taken(listen, port);
        boolean plain = s.httpPort() > 0 && loopback(listen);
        String plainTaken = plain && (!listen.equals(boundListen) || s.httpPort() != boundHttpPort)
                ? taken(listen, s.httpPort()) : null;
        plain = plain && plainTaken == null;
        String problem = taken != null ? taken : plainTaken;
        if (problem != null && !problem.equals(bindProblem)) {
            LOG.warning(problem);
        }
        bindProblem = problem;
        effectivePort = taken == null ? port : 0;
        boundListen = taken == null ? listen : null;
        boundPort = taken == null ? port : 0;
        boundHttpPort = plain ? s.httpPort() : 0;
        p.put("org.apache.felix.http.enable", Boolean.toString(plain && taken == null));
        p.put("org.osgi.service.http.port", Integer.toString(plain ? s.httpPort() : 0));
        p.put("org.apache.felix.https.enable", Boolean.toString(taken == null));
        p.put("org.osgi.service.http.port.secure", Integer.toString(port));
        p.put("org.apache.felix.https.keystore", store.keyStore().toString());
        // the key store's password is not put in Config Admin, which keeps its dictionaries in config.db (and the
        // copies made before migrations): Felix HTTP reads a key missing from its configuration as a framework
        // property, and Felix's framework properties fall back to the system properties of this process
        System.setProperty(KEYSTORE_PASSWORD, store.password());
        System.setProperty(KEY_PASSWORD, store.password());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        // TLS 1.2 and 1.3 only
        p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        p.put("org.apache.felix.https.jetty.protocols.excluded", "SSLv3,TLSv1,TLSv1.1");
        // bounded resources: a Pi serves a few desks, not the internet
        p.put("org.apache.felix.http.jetty.threadpool.max", "48");
        p.put("org.apache.felix.http.jetty.acceptors", "1");
        p.put("org.apache.felix.http.jetty.selectors", "1");
        p.put("org.apache.felix.http.timeout", "30000");
        p.put("org.apache.felix.http.jetty.headerBufferSize", "16384");
        p.put("org.apache.felix.http.jetty.requestBufferSize", "16384");
        p.put("org.apache.felix.http.jetty.maxFormSize", Integer.toString(1 << 20));
        p.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        p.put("org.apache.felix.http.name", "Vigil");
        try {
            Configuration c = configAdmin.getConfiguration(FELIX_PID, SettingsService.LOCATION);
            Dictionary<String, Object> old = c.getProperties();
            if (old == null || !same(old, p)) {
                c.update(p);
            }
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "The API's server settings could not be saved: " + e.getMessage(), e);
        }
    }

    private static boolean same(Dictionary<String, Object> old, Dictionary<String, Object> now) {
        for (java.util.Enumeration<String> k = old.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            if (now.get(key) == null && !key.startsWith("service.") && !key.startsWith("felix.")) {
                return false; // a key no longer set (the key store password of older versions)
            }
        }
        for (java.util.Enumeration<String> k = now.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            if (!Objects.equals(String.valueOf(old.get(key)), String.valueOf(now.get(key)))) {
                return false;
            }
        }
        return true;
    }

    static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
