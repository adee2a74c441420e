package org.vigil.launcher;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jdk.net.ExtendedSocketOptions;

/**
 * Client side of the control socket ({@code <data>/control.sock}). The protocol, spoken with the org.vigil.cli
 * bundle: the client sends the magic {@code VIGL}, version 1, the kind ({@code command} or {@code shell}), the
 * {@code --json} flag, the arguments and its working directory; the server answers with frames: {@code 'O'} or {@code 'E'} + length + bytes
 * for standard output and error, and {@code 'X'} + exit code at the end. In a shell session the client sends its
 * standard input as {@code 'I'} frames (length 0 for end of input). A server that refuses this client's user
 * answers with one {@code 'E'} frame and {@code 'X'} 1 before reading anything.
 */
final class ControlClient implements AutoCloseable {
    static final int MAGIC = 0x5649474C;
    static final int VERSION = 1;

    private final SocketChannel channel;
    private final Path socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private ControlClient(SocketChannel channel, Path socket) {
        this.channel = channel;
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(ChannelStreams.in(channel)));
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(ChannelStreams.out(channel)));
    }

    /**
     * Connects to the instance serving {@code socket}, or empty when none answers. Nothing is sent to a socket that
     * another user could have put there: the file must be a socket owned by this user or root, and the process that
     * accepted the connection (its peer credentials) must run as this user or root; otherwise one sentence naming
     * the socket and its user, and the connection is closed before a byte went out (issue 22, item 11).
     */
    static Optional<ControlClient> connect(Path socket) throws UsageException {
        if (!trustedSocketFile(socket)) {
            return Optional.empty();
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            closeQuietly(ch);
            return Optional.empty();
        }
        UserPrincipal peer;
        try {
            peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
            if (LocalUser.trusts(peer)) {
                return Optional.of(new ControlClient(ch, socket));
            }
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(ch);
            throw new UsageException(1, "The control socket " + socket + " does not say which user serves it ("
                    + e.getMessage() + "); Vigil sent nothing to it.");
        }
        closeQuietly(ch);
        String user = peer.getName();
        throw new UsageException(1, "The process behind the control socket " + socket + " runs as user " + user
                + ", not as you (" + LocalUser.name() + "); Vigil sent nothing to it: run vigil as " + user
                + " (or with sudo -u " + user + ") if that is your recorder, else remove the socket.");
    }

    /**
     * Whether {@code socket} is there and may be connected to: false when it does not exist; a refusal when it is no
     * socket (a file or link someone left) or belongs to another user than this one or root.
     */
    private static boolean trustedSocketFile(Path socket) throws UsageException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(socket, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw new UsageException(1, "The control socket " + socket + " cannot be read by you (permission denied);"
                    + " run vigil as the user who owns its data directory.");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        int uid = (Integer) attributes.get("uid");
        int type = (Integer) attributes.get("mode") & DataDirectoryCheck.S_IFMT;
        if (type != DataDirectoryCheck.S_IFSOCK) {
            String what = type == DataDirectoryCheck.S_IFLNK ? "a symbolic link"
                    : type == DataDirectoryCheck.S_IFREG ? "a regular file" : "no socket";
            throw new UsageException(1, "The control socket " + socket + " is " + what + ", not a socket that Vigil"
                    + " made; Vigil sent nothing to it: remove it and try again.");
        }
        if (!LocalUser.trusts(uid)) {
            String owner = DataDirectoryCheck.ownerName(socket, uid);
            throw new UsageException(1, "The control socket " + socket + " belongs to user " + owner + ", not to you ("
                    + LocalUser.name() + "); Vigil sent nothing to it: run vigil as " + owner + " (or with sudo -u "
                    + owner + ") if that is your recorder, else remove the socket.");
        }
        return true;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was sent
        }
    }

    /** Runs one command in the instance; its output goes to our standard streams. Returns its exit code. */
    int command(List<String> args, boolean json, PrintStream stdout, PrintStream stderr) throws IOException {
        try {
            sendRequest("command", json, args);
        } catch (IOException e) {
            // closed before the request was through: an instance that refused this user answers before reading
            if (!channel.isOpen()) {
                throw e;
            }
        }
        return pump(stdout, stderr);
    }

    /** Opens the instance's Gogo shell on our standard input and output until either side ends it. */
    int shell(InputStream stdin, PrintStream stdout, PrintStream stderr) throws IOException {
        sendRequest("shell", false, List.of());
        Thread feeder = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = stdin.read(buf)) > 0) {
                    synchronized (out) {
                        out.writeByte('I');
                        out.writeInt(n);
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
                synchronized (out) {
                    out.writeByte('I');
                    out.writeInt(0);
                    out.flush();
                }
            } catch (IOException e) {
                // the session ended
            }
        }, "vigil-shell-input");
        feeder.setDaemon(true); // only forwards keystrokes; ends with the process
        feeder.start();
        return pump(stdout, stderr);
    }

    private void sendRequest(String kind, boolean json, List<String> args) throws IOException {
        synchronized (out) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            out.writeBoolean(json);
            out.writeInt(args.size());
            for (String a : args) {
                out.writeUTF(a);
            }
            out.writeUTF(System.getProperty("user.dir"));
            out.flush();
        }
    }

    private int pump(PrintStream stdout, PrintStream stderr) throws IOException {
        boolean answered = false;
        try {
            while (true) {
                int type = in.readUnsignedByte();
                answered = true;
                switch (type) {
                    case 'O', 'E' -> {
                        int len = in.readInt();
                        byte[] data = in.readNBytes(len);
                        PrintStream target = type == 'O' ? stdout : stderr;
                        target.write(data);
                        target.flush();
                    }
                    case 'X' -> {
                        return in.readInt();
                    }
                    default -> throw new IOException("unexpected frame " + type);
                }
            }
        } catch (IOException e) {
            if (!channel.isOpen()) {
                throw e; // closed on our side (Ctrl-C): the caller says so
            }
            if (!answered && !stillServed()) {
                stderr.println("The Vigil instance went away before it answered; check its log and whether it still runs"
                        + " with 'vigil status'.");
                return 1;
            }
            if (!answered) {
                // still there, but closed (or reset) without a word: an instance of another protocol version that does not say so
                // (before version 1 answered that with a sentence)
                stderr.println("The Vigil instance closed the connection without an answer; it may run another version"
                        + " of Vigil (this bin/vigil speaks control protocol version " + VERSION + "): run the bin/vigil"
                        + " of the installation that runs it, or restart it with this one.");
                return 1;
            }
            if (e instanceof EOFException) {
                stderr.println("The Vigil instance closed the connection before the command finished; see its log.");
                return 1;
            }
            throw e;
        }
    }

    /** Whether an instance still answers on this client's socket (after it closed a connection without a word). */
    private boolean stillServed() {
        try {
            return connect(socket).map(c -> {
                c.close();
                return true;
            }).orElse(false);
        } catch (UsageException e) {
            return true; // something answers there, but not one to talk to
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
