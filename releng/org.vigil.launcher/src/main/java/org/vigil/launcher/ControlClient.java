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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Client side of the control socket ({@code <data>/control.sock}). The protocol, spoken with the org.vigil.cli
 * bundle: the client sends the magic {@code VIGL}, version 1, the kind ({@code command} or {@code shell}), the
 * {@code --json} flag, the arguments and its working directory; the server answers with frames: {@code 'O'} or {@code 'E'} + length + bytes
 * for standard output and error, and {@code 'X'} + exit code at the end. In a shell session the client sends its
 * standard input as {@code 'I'} frames (length 0 for end of input).
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

    /** Connects to the instance serving {@code socket}, or empty when none answers. */
    static Optional<ControlClient> connect(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return Optional.of(new ControlClient(ch, socket));
            } catch (IOException e) {
                ch.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs one command in the instance; its output goes to our standard streams. Returns its exit code. */
    int command(List<String> args, boolean json, PrintStream stdout, PrintStream stderr) throws IOException {
        sendRequest("command", json, args);
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
            if (!answered && connect(socket).map(c -> {
                c.close();
                return false;
            }).orElse(true)) {
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

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
