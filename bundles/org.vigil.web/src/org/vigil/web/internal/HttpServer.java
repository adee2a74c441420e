package org.vigil.web.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
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

    private final ConfigurationAdmin configAdmin;
    private final DataDirectory data;
    private final UserService users;
    private volatile Certificates.Store store;
    private volatile String effectiveListen = "127.0.0.1";
    private volatile String refusal;
    private final boolean serves;
    private volatile int effectivePort;
    private int chosenPort;

    @Activate
    public HttpServer(@Reference ConfigurationAdmin configAdmin, @Reference DataDirectory data,
            @Reference UserService users, ApiSettings settings, BundleContext context) {
        this.configAdmin = configAdmin;
        this.data = data;
        this.users = users;
        // a one-shot command (or the demo camera alone) never serves the API: Jetty stays off
        this.serves = VigilMode.of(context.getProperty(VigilMode.PROPERTY)).records();
        // Felix HTTP first starts Jetty from the framework properties (nothing enabled, on purpose) and warns about
        // it, before Config Admin hands it this component's configuration: that one expected warning is dropped
        FELIX_HTTP_LOG.setFilter(r -> !DISABLED_AT_FIRST.equals(r.getMessage()));
        apply(settings);
    }

    @Deactivate
    void deactivate() {
        FELIX_HTTP_LOG.setFilter(null);
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

    private synchronized void apply(ApiSettings s) {
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
            if (!admin) {
                refusal = "The API listens on loopback only until an admin user exists: add one with"
                        + " 'vigil user add NAME --role admin', then it listens on " + listen + ".";
                LOG.warning(refusal);
                listen = "127.0.0.1";
            }
        }
        effectiveListen = listen;
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.host", listen);
        boolean plain = s.httpPort() > 0 && loopback(listen);
        p.put("org.apache.felix.http.enable", Boolean.toString(plain));
        p.put("org.osgi.service.http.port", Integer.toString(plain ? s.httpPort() : 0));
        p.put("org.apache.felix.https.enable", "true");
        int port = s.port();
        if (port == 0) {
            // a free port now (tests); kept while the setting stays 0, so the address does not move on each change
            port = chosenPort > 0 ? chosenPort : freePort(listen);
            chosenPort = port;
        }
        effectivePort = port;
        p.put("org.osgi.service.http.port.secure", Integer.toString(port));
        p.put("org.apache.felix.https.keystore", store.keyStore().toString());
        p.put("org.apache.felix.https.keystore.password", store.password());
        p.put("org.apache.felix.https.keystore.key.password", store.password());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
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
