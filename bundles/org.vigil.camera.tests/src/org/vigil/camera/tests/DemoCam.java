package org.vigil.camera.tests;

import java.time.Duration;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.democam.DemoCamera;
import org.vigil.testing.Await;

/**
 * The demo camera of the test framework, set once to what these tests need: 640x360 at 25 fps with a keyframe
 * every second (so that 4 s segments are cut every 4 s), 1 Mbit/s. The setting is kept for the framework's life.
 */
final class DemoCam {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int GOP = 25;
    private static boolean configured;

    private DemoCam() {
    }

    /** The demo camera's service reference (URLs in its properties), once it serves with the tests' settings. */
    static synchronized ServiceReference<DemoCamera> get(BundleContext context) throws Exception {
        if (!configured) {
            ConfigurationAdmin admin = Harness.service(context, ConfigurationAdmin.class);
            Configuration c = admin.getConfiguration("org.vigil.democam", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("width", WIDTH);
            p.put("height", HEIGHT);
            p.put("framerate", 25);
            p.put("keyframe.interval", GOP);
            p.put("bitrate.kbps", 1000);
            c.update(p);
            configured = true;
        }
        java.util.concurrent.atomic.AtomicReference<ServiceReference<DemoCamera>> ref =
                new java.util.concurrent.atomic.AtomicReference<>();
        boolean ok = Await.until(Duration.ofSeconds(30), () -> {
            ServiceReference<DemoCamera> r = context.getServiceReference(DemoCamera.class);
            if (r != null && Integer.valueOf(WIDTH).equals(r.getProperty("width"))) {
                ref.set(r);
                return true;
            }
            return false;
        });
        if (!ok) {
            throw new AssertionError("the demo camera does not serve 640x360 within 30 s");
        }
        return ref.get();
    }

    static String url(BundleContext context, String property) throws Exception {
        Object url = get(context).getProperty(property);
        if (url == null) {
            throw new AssertionError("the demo camera has no " + property);
        }
        return (String) url;
    }
}
