package org.vigil.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.users.Role;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;
import org.vigil.web.api.WebEvents;

import com.google.gson.Gson;
import com.google.gson.JsonParser;

/**
 * {@code GET /api/events}: server-sent events ({@code text/event-stream}) and the {@link WebEvents} service that
 * feeds them. Each client has a bounded queue and a writer thread of its own (not one of Jetty's, which stay free
 * for requests): a publisher only offers to the queues and never waits; a client whose queue is full (it does not
 * read) is disconnected (its writer ends when its blocked write fails, at the latest at Jetty's idle timeout). A comment line every {@value #HEARTBEAT_SECONDS} s keeps proxies and the idle timeout from
 * closing a quiet stream and finds clients that went away. At most {@value #MAX_CLIENTS} clients at once (then 503).
 * Every event has an {@code id:} (increasing while the recorder runs), an {@code event:} type and one {@code data:}
 * line of JSON. Every role sees the recorder's events ({@code camera.state}, {@code segment.new}, {@code alert},
 * {@code job.*}); changes of users ({@code user.*}) only admins.
 */
@Component(service = { Servlet.class, WebEvents.class }, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/events",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class EventsServlet extends ApiServlet implements WebEvents {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EventsServlet.class.getName());
    static final int MAX_CLIENTS = 32;
    static final int QUEUE = 256;
    static final long HEARTBEAT_SECONDS = 15;
    private static final Gson COMPACT = new Gson();
    private static final String CLOSE = "";

    /** One connected client: its queue of frames (text ready to write), drained by its writer. */
    private final class Client implements Runnable, AsyncListener {
        final Role role;
        final String who;
        final AsyncContext async;
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        volatile boolean open = true;

        Client(Caller caller, AsyncContext async) {
            this.role = caller.role();
            this.who = caller.name() + " at " + caller.address();
            this.async = async;
        }

        boolean offer(String frame) {
            if (!open) {
                return false;
            }
            if (!queue.offer(frame)) {
                LOG.info("An event client (" + who + ") does not keep up; it is disconnected.");
                close();
                return false;
            }
            return true;
        }

        void close() {
            if (open) {
                open = false;
                clients.remove(this);
                queue.clear();
                queue.offer(CLOSE);
            }
        }

        @Override
        public void run() {
            try {
                OutputStream out = async.getResponse().getOutputStream();
                out.write((": connected; events follow\nretry: 5000\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (open && running) {
                    String frame = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                    if (frame == CLOSE || !open || !running) {
                        break;
                    }
                    out.write((frame == null ? ": heartbeat\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open = false;
                clients.remove(this);
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // already completed by the container (timeout, error)
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // nothing
        }
    }

    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger threadNumber = new AtomicInteger();
    /** One writer per client: as many core threads as clients can be (they end when idle). */
    private final transient ThreadPoolExecutor writers = new ThreadPoolExecutor(2 * MAX_CLIENTS, 2 * MAX_CLIENTS,
            30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "vigil-events-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    public EventsServlet() {
        writers.allowCoreThreadTimeOut(true);
    }
    private volatile boolean running = true;

    @Override
    protected void get(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.VIEWER);
        if (!running) {
            throw new ApiException(503, "The recorder is stopping; connect again in a moment.");
        }
        Client c;
        synchronized (clients) {
            if (clients.size() >= MAX_CLIENTS) {
                throw new ApiException(503, "The recorder already sends events to " + MAX_CLIENTS
                        + " clients, the most it serves; close one and connect again.");
            }
            r.response().setStatus(200);
            r.response().setContentType("text/event-stream;charset=utf-8");
            r.response().setHeader("Cache-Control", "no-store");
            r.response().setHeader("X-Accel-Buffering", "no");
            AsyncContext async = r.request().startAsync();
            async.setTimeout(0);
            c = new Client(caller, async);
            async.addListener(c);
            clients.add(c);
        }
        writers.execute(c);
    }

    @Override
    protected void head(ApiRequest r) {
        throw ApiException.methodNotAllowed("HEAD", r.path());
    }

    @Override
    public void publish(String type, Object data) {
        if (type == null || type.isBlank() || clients.isEmpty()) {
            return;
        }
        Role needed = type.startsWith("user.") || type.startsWith("audit.") ? Role.ADMIN : Role.VIEWER;
        String frame;
        try {
            String json = COMPACT.toJson(JsonParser.parseString(JsonOutput.write(plain(data))));
            frame = "id: " + ids.incrementAndGet() + "\nevent: " + type.replaceAll("[\\r\\n]", "") + "\ndata: " + json
                    + "\n\n";
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The event " + type + " could not be written as JSON; it is not sent.", e);
            return;
        }
        for (Client c : clients) {
            if (c.role.includes(needed)) {
                c.offer(frame);
            }
        }
    }

    /** How many clients are connected (for tests and status). */
    int clients() {
        return clients.size();
    }

    /** Records become maps (component names in snake_case), recursively; the rest is left to JsonOutput. */
    static Object plain(Object v) {
        if (v instanceof Record rec) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent rc : rec.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    m.put(snake(rc.getName()), plain(rc.getAccessor().invoke(rec)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    m.put(snake(rc.getName()), null);
                }
            }
            return m;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> m = map instanceof LinkedHashMap<?, ?> || map instanceof java.util.SortedMap<?, ?>
                    ? new LinkedHashMap<>() : new java.util.TreeMap<>();
            map.forEach((k, val) -> m.put(String.valueOf(k), plain(val)));
            return m;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> l = new ArrayList<>();
            it.forEach(x -> l.add(plain(x)));
            return l;
        }
        return v;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Deactivate
    void deactivate() {
        running = false;
        for (Client c : clients) {
            c.close();
        }
        writers.shutdown();
        try {
            if (!writers.awaitTermination(5, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
