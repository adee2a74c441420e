package org.vigil.cli.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.platform.DataDirectory;

/**
 * The control socket {@code <data>/control.sock} (owner-only) through which {@code vigil <command>} reaches this
 * instance. A one-shot framework serves a private socket instead, the path the launcher gives in the framework
 * property {@value #SOCKET_PATH_PROPERTY}, so that no other client joins a framework that is about to stop.
 * Protocol (see the launcher's ControlClient): request = magic "VIGL", version 1, kind ("command" or "shell"), --json
 * flag, arguments, the client's working directory; answer = 'O'/'E' frames of output and an 'X' frame with the exit
 * code. A client of another protocol version gets one 'E' frame naming both versions and what to do, and 'X' 1
 * (that answer is the same in every version). A process of another user than the one this instance runs as (or
 * root) gets one 'E' frame saying so and 'X' 1 before anything is read from it (its peer credentials, SO_PEERCRED).
 * <p>
 * While a command runs, a watcher reads the connection: the client sends nothing more, so the end of the stream
 * means that it went away (Ctrl-C, killed), and what the command registered with
 * {@code CommandInvocation.onClientGone} runs (its job is cancelled).
 * <p>
 * Once listening it registers a marker service with the property {@value #SOCKET_PROPERTY}: the launcher waits for it
 * to know that the instance is ready. The server owns one accepting thread, at most {@value #MAX_CLIENTS} client
 * threads and as many watcher threads (blocking socket I/O does not belong on the shared scheduler); all are stopped
 * on deactivation.
 */
@Component(immediate = true, service = {})
public final class ControlSocketServer {
    public static final String SOCKET_PROPERTY = "control.socket";
    /** Framework property: the socket to serve instead of {@code <data>/control.sock} (one-shot frameworks). */
    public static final String SOCKET_PATH_PROPERTY = "vigil.control.socket";
    static final int MAGIC = 0x5649474C;
    static final int VERSION = 1;
    static final int MAX_CLIENTS = 8;
    private static final Logger LOG = System.getLogger(ControlSocketServer.class.getName());

    private final CommandDispatcher dispatcher;
    private final GogoShell shell;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ThreadPoolExecutor clients;
    private final ThreadPoolExecutor watchers;
    private final String instance;
    /** The user this instance runs as, and root (uid 0): the only users whose commands it takes. */
    private final UserPrincipal owner;
    private final UserPrincipal root;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ServiceRegistration<ControlSocketServer> marker;
    private volatile boolean stopping;

    @Activate
    public ControlSocketServer(@Reference DataDirectory data, @Reference CommandDispatcher dispatcher,
            @Reference GogoShell shell, BundleContext context) throws IOException {
        this.dispatcher = dispatcher;
        this.shell = shell;
        String own = context.getProperty(SOCKET_PATH_PROPERTY);
        this.socketPath = own != null && !own.isBlank() ? Path.of(own) : data.resolve("control.sock");
        this.instance = "the Vigil instance on " + data.root() + " (PID " + ProcessHandle.current().pid() + ", Vigil "
                + java.util.Objects.requireNonNullElse(context.getProperty("vigil.version"), "development") + ")";
        // a stale socket of a crashed instance: safe to remove, this process holds the data directory's lock
        Files.deleteIfExists(socketPath);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        // bind made the socket file, so its owner is the user this instance runs as
        this.owner = Files.getOwner(socketPath, LinkOption.NOFOLLOW_LINKS);
        this.root = socketPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("0");
        AtomicInteger n = new AtomicInteger();
        this.clients = new ThreadPoolExecutor(0, MAX_CLIENTS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-control-client-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        });
        AtomicInteger w = new AtomicInteger();
        this.watchers = new ThreadPoolExecutor(0, MAX_CLIENTS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-control-watch-" + w.incrementAndGet());
            t.setDaemon(false);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "vigil-control");
        acceptor.start();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SOCKET_PROPERTY, socketPath.toString());
        this.marker = context.registerService(ControlSocketServer.class, this, props);
        LOG.log(Level.DEBUG, "Control socket listening on {0}", socketPath);
    }

    public Path socketPath() {
        return socketPath;
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!stopping) {
                    LOG.log(Level.WARNING, "The control socket failed to accept a connection: {0}", e.getMessage());
                }
                continue;
            }
            open.add(ch);
            String refusal = refusalFor(ch);
            if (refusal != null) {
                refuse(ch, refusal);
                continue;
            }
            try {
                clients.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                refuse(ch, "Vigil is busy with " + MAX_CLIENTS + " commands at once; try again in a moment.");
            }
        }
    }

    /**
     * Null when the process that connected runs as the user this instance runs as, or as root; else the one sentence
     * it is answered with before anything is read from it (issue 22, item 11: the socket is owner-only, this is the
     * second line of defence should its mode or its directory's ever be opened up).
     */
    private String refusalFor(SocketChannel ch) {
        UserPrincipal peer;
        try {
            peer = peerUser(ch);
            if (peer.equals(owner) || peer.equals(root)) {
                return null;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "A connection to the control socket was refused: its user cannot be told ({0}).",
                    e.getMessage());
            return "Vigil cannot tell which user you are (" + e.getMessage() + "), so " + instance + " takes no command"
                    + " from you.";
        }
        String allowed = owner.equals(root) ? "root" : owner.getName() + " and root";
        LOG.log(Level.WARNING, "A process of user {0} connected to the control socket and was refused; only {1} may"
                + " use it.", peer.getName(), allowed);
        return "T" + instance.substring(1) + " runs as user " + owner.getName() + " and takes commands only from "
                + allowed + ", not from " + peer.getName() + "; run vigil as " + owner.getName() + " (or with sudo -u "
                + owner.getName() + ").";
    }

    /**
     * The user of the process at the other end ({@code SO_PEERCRED}). The option is looked up by name and its value
     * ({@code jdk.net.UnixDomainPrincipal}) read reflectively, so that this bundle needs no import of {@code jdk.net},
     * which the framework need not export.
     */
    static UserPrincipal peerUser(SocketChannel ch) throws IOException {
        for (SocketOption<?> option : ch.supportedOptions()) {
            if (option.name().equals("SO_PEERCRED")) {
                Object credentials = ch.getOption(option);
                try {
                    return (UserPrincipal) credentials.getClass().getMethod("user").invoke(credentials);
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new IOException("its credentials cannot be read: " + e, e);
                }
            }
        }
        throw new IOException("this Java offers no SO_PEERCRED");
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(ChannelStreams.in(ch)));
            DataOutputStream out = new DataOutputStream(ChannelStreams.out(ch));
            if (in.readInt() != MAGIC) {
                return; // not a Vigil client
            }
            int version = in.readInt();
            if (version != VERSION) {
                LOG.log(Level.WARNING, "A vigil command of control protocol version {0} connected; this instance speaks"
                        + " version {1}. It was told to use the matching bin/vigil.", version, VERSION);
                answerOnly(out, "This vigil command speaks control protocol version " + version + ", but " + instance
                        + " speaks version " + VERSION + "; run the bin/vigil of the installation that runs it, or"
                        + " restart it with this installation's bin/vigil.");
                return;
            }
            String kind = in.readUTF();
            boolean json = in.readBoolean();
            int argc = in.readInt();
            if (argc < 0 || argc > 10_000) {
                return;
            }
            List<String> args = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                args.add(in.readUTF());
            }
            java.nio.file.Path cwd = java.nio.file.Paths.get(in.readUTF());
            FrameStream stdout = new FrameStream(out, 'O');
            FrameStream stderr = new FrameStream(out, 'E');
            PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
            PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
            int code;
            if (kind.equals("shell")) {
                code = shell.session(in, stdout, stderr);
            } else {
                ClientLink link = new ClientLink(args.isEmpty() ? "help" : args.get(0));
                watch(in, link);
                try {
                    code = dispatcher.run(args, json, o, e, cwd, link);
                } finally {
                    link.finished();
                }
            }
            o.flush();
            e.flush();
            synchronized (out) {
                out.writeByte('X');
                out.writeInt(code);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away (Ctrl-C): nothing to answer
        } finally {
            open.remove(ch);
        }
    }

    /**
     * Reads the rest of the connection while a command runs: the client sends nothing after its request, so the end
     * of the stream (or a broken connection) means that it went away.
     */
    private void watch(DataInputStream in, ClientLink link) {
        try {
            watchers.execute(() -> {
                try {
                    while (in.read() >= 0) {
                        // nothing is expected; ignore it
                    }
                } catch (IOException e) {
                    // broken or closed: the same as the end of the stream
                }
                link.gone(); // harmless once the command has finished
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "No watcher thread free; this command is not cancelled if its client goes away.");
        }
    }

    /** Answers a request with one sentence on standard error and exit code 1, in the format of every version. */
    private static void answerOnly(DataOutputStream out, String message) throws IOException {
        byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.writeByte('E');
            out.writeInt(b.length);
            out.write(b);
            out.writeByte('X');
            out.writeInt(1);
            out.flush();
        }
    }

    private void refuse(SocketChannel ch, String message) {
        try (ch) {
            DataOutputStream out = new DataOutputStream(ChannelStreams.out(ch));
            byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
            out.writeByte('E');
            out.writeInt(b.length);
            out.write(b);
            out.writeByte('X');
            out.writeInt(1);
            out.flush();
        } catch (IOException e) {
            // gone
        } finally {
            open.remove(ch);
        }
    }

    @Deactivate
    void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            marker.unregister();
        } catch (IllegalStateException e) {
            // already gone
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        clients.shutdown();
        watchers.shutdown();
        try {
            acceptor.join(5_000);
            if (!clients.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "A command on the control socket did not end within 5 s of the stop; interrupting it.");
                clients.shutdownNow();
                clients.awaitTermination(2, TimeUnit.SECONDS);
            }
            if (!watchers.awaitTermination(2, TimeUnit.SECONDS)) {
                watchers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            // the next start removes it
        }
    }

    /** Output sent to the client as frames of one type; each write is one frame. */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final int type;

        FrameStream(DataOutputStream out, int type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            synchronized (out) {
                out.writeByte(type);
                out.writeInt(len);
                out.write(b, off, len);
                out.flush();
            }
        }
    }
}
