package org.vigil.camera.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Something on 127.0.0.1 that is not a camera: {@link Mode#GARBAGE} answers every connection with random bytes,
 * {@link Mode#SILENT} accepts and never says anything. Closing stops it and closes every connection.
 */
final class FakeServer implements AutoCloseable {
    enum Mode {
        GARBAGE, SILENT
    }

    private final ServerSocket server;
    private final Mode mode;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    FakeServer(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "fake-" + mode.name().toLowerCase() + "-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "rtsp://127.0.0.1:" + port() + "/stream";
    }

    /** Connections accepted so far. */
    int clients() {
        return clients.size();
    }

    private void accept() {
        Random random = new Random(7);
        while (!closed) {
            try {
                Socket s = server.accept();
                clients.add(s);
                if (mode == Mode.GARBAGE) {
                    byte[] junk = new byte[4096];
                    random.nextBytes(junk);
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(junk);
                        out.flush();
                    } catch (IOException e) {
                        // the client went away
                    }
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        server.close();
        for (Socket s : clients) {
            s.close();
        }
        acceptor.join(5000);
    }
}
