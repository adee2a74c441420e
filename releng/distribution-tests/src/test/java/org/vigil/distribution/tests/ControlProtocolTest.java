package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launcher and a running instance of different control-protocol versions say so, in one sentence. */
class ControlProtocolTest {
    @TempDir
    Path temp;

    @Test
    void anInstanceAnswersAClientOfAnotherVersionNamingBothVersions() throws Exception {
        Path data = temp.resolve("data");
        Path log = temp.resolve("vigil.out");
        Process vigil = Vigil.start(log, "run", "--headless", "--data", data.toString());
        try {
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(log).contains(" is ready in ")),
                    "not ready: " + Vigil.read(log));
            StringBuilder err = new StringBuilder();
            int exit;
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(data.resolve("control.sock")));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                out.writeInt(0x5649474C);
                out.writeInt(99); // a future launcher
                out.writeUTF("command");
                out.writeBoolean(false);
                out.writeInt(1);
                out.writeUTF("status");
                out.writeUTF("/");
                out.flush();
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                while (true) {
                    int type = in.readUnsignedByte();
                    if (type == 'X') {
                        exit = in.readInt();
                        break;
                    }
                    assertTrue(type == 'E', "only standard error: " + (char) type);
                    err.append(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
                }
            }
            assertEquals(1, exit);
            String sentence = err.toString().strip();
            assertEquals(1, sentence.lines().count(), sentence);
            assertTrue(sentence.contains("control protocol version 99") && sentence.contains("speaks version 1"),
                    sentence);
            assertTrue(sentence.contains("(PID " + vigil.pid() + ","), "names the instance: " + sentence);
            assertTrue(sentence.contains("bin/vigil"), "says what to do: " + sentence);
            assertTrue(vigil.isAlive());
            Vigil.Result status = Vigil.run("status", "--data", data.toString());
            assertEquals(0, status.exit(), "the instance still answers its own version: " + status.all());
        } finally {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.destroyForcibly();
            }
        }
    }

    @Test
    void theLauncherSaysSoWhenAnInstanceClosesWithoutAnAnswer() throws Exception {
        // an instance of an older Vigil, which closed the connection on a version it did not know
        Path data = Files.createDirectories(temp.resolve("data"));
        Path socket = data.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread old = new Thread(() -> {
                try (SocketChannel ch = server.accept()) {
                    DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                    in.readInt();
                    in.readInt();
                } catch (EOFException e) {
                    // fine
                } catch (Exception e) {
                    // the test fails below
                }
            }, "old-instance");
            old.start();
            Vigil.Result r = Vigil.run("camera", "list", "--data", data.toString());
            old.join(10_000);
            assertEquals(1, r.exit(), r.all());
            LauncherTest.assertOneCleanSentence(r);
            assertTrue(r.err().contains("another version of Vigil") && r.err().contains("bin/vigil"), r.err());
        }
    }
}
