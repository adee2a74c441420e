package org.vigil.config.tests;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A Vigil-like Felix framework in a child JVM, driven line by line on standard input, so that a test can stop the
 * framework, stop or update the configuration bundle, or kill the whole process with SIGKILL while it writes, and
 * look at the process's open files from outside. It uses Configuration Admin by reflection only: this class runs on
 * the plain class path, outside the framework.
 * <p>
 * Arguments: the data directory, the framework storage directory, then every bundle jar to install and start.
 * Commands: {@code add <id>}, {@code write <count>} (0 = until killed), {@code list}, {@code stop-bundle <bsn>},
 * {@code start-bundle <bsn>}, {@code update-bundle <bsn>}, {@code stop}, {@code exit}. Answers: {@code ready},
 * {@code committed <id> <n>} after each completed update, {@code camera <id> <name>}, {@code ok <command>},
 * {@code error <message>}.
 */
public final class ChildFramework {
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            true, StandardCharsets.UTF_8);

    private ChildFramework() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, args[1]);
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.cm.pm", "vigil.sqlite");
        props.put("vigil.data", args[0]);
        props.put("vigil.mode", "test");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            installed.add(context.installBundle(java.nio.file.Path.of(args[i]).toUri().toString()));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    b.start();
                } catch (Exception e) {
                    OUT.println("warning " + b.getSymbolicName() + " did not start: " + e.getMessage());
                }
            }
        }
        awaitAdmin(context);
        OUT.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            try {
                switch (w[0]) {
                    case "add" -> update(context, w[1], "Camera " + w[1]);
                    case "write" -> {
                        long count = Long.parseLong(w[1]);
                        for (long n = 1; count == 0 || n <= count; n++) {
                            String id = "cam" + (n % 5);
                            update(context, id, "Camera " + n);
                            OUT.println("committed " + id + " " + n);
                        }
                    }
                    case "list" -> list(context);
                    case "stop-bundle" -> bundle(context, w[1]).stop();
                    case "start-bundle" -> {
                        bundle(context, w[1]).start();
                        awaitAdmin(context);
                    }
                    case "update-bundle" -> {
                        bundle(context, w[1]).update();
                        awaitAdmin(context);
                    }
                    case "stop" -> {
                        framework.stop();
                        framework.waitForStop(60_000);
                    }
                    case "exit" -> System.exit(0);
                    default -> throw new IllegalArgumentException("unknown command " + w[0]);
                }
                OUT.println("ok " + w[0]);
            } catch (Exception e) {
                Throwable t = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                OUT.println("error " + t);
            }
        }
    }

    private static Bundle bundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle " + bsn);
    }

    private static void awaitAdmin(BundleContext context) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin") == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Configuration Admin did not start");
            }
            Thread.sleep(10);
        }
    }

    /** Creates or changes the camera {@code id} through Configuration Admin, as the camera command does. */
    private static void update(BundleContext context, String id, String name) throws Exception {
        ServiceReference<?> ref = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Method get = adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class);
            Object configuration = get.invoke(admin, "org.vigil.camera", id, "?");
            Dictionary<String, Object> d = new Hashtable<>();
            d.put("id", id);
            d.put("name", name);
            d.put("url", "rtsp://viewer:secret@127.0.0.1:8554/" + id);
            configType.getMethod("update", Dictionary.class).invoke(configuration, d);
        } finally {
            context.ungetService(ref);
        }
    }

    private static void list(BundleContext context) throws Exception {
        ServiceReference<?> ref = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object[] all = (Object[]) adminType.getMethod("listConfigurations", String.class).invoke(admin,
                    "(service.factoryPid=org.vigil.camera)");
            for (Object c : all == null ? new Object[0] : all) {
                Dictionary<?, ?> p = (Dictionary<?, ?>) configType.getMethod("getProperties").invoke(c);
                OUT.println("camera " + p.get("id") + " " + p.get("name"));
            }
        } finally {
            context.ungetService(ref);
        }
    }
}
