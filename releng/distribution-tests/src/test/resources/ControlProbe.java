import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for another local user in LocalUsersTest, run with Java's source launcher as that user (so it is a
 * plain file of the test resources, not compiled with the tests).
 * <ul>
 * <li>{@code client SOCKET ARGS...}: speaks the control protocol itself (bypassing bin/vigil's own checks), sends the
 * command ARGS and prints the answer: {@code E: text}, {@code O: text}, {@code X: code}.</li>
 * <li>{@code server SOCKET SECONDS}: a fake control socket: binds SOCKET, prints {@code listening}, then for every
 * connection {@code accepted} and, when the client closes, {@code closed after N bytes: TEXT} with everything it
 * received; it ends by itself after SECONDS.</li>
 * </ul>
 */
public class ControlProbe {
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[1]);
        if (args[0].equals("client")) {
            client(socket, java.util.Arrays.asList(args).subList(2, args.length));
        } else {
            server(socket, Integer.parseInt(args[2]));
        }
    }

    static void client(Path socket, java.util.List<String> command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            System.out.println("connected");
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            try {
                out.writeInt(0x5649474C);
                out.writeInt(1);
                out.writeUTF("command");
                out.writeBoolean(false);
                out.writeInt(command.size());
                for (String a : command) {
                    out.writeUTF(a);
                }
                out.writeUTF("/");
                out.flush();
            } catch (IOException e) {
                System.out.println("request not sent: " + e.getMessage()); // the answer may be there all the same
            }
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            while (true) {
                int type = in.readUnsignedByte();
                if (type == 'X') {
                    System.out.println("X: " + in.readInt());
                    return;
                }
                byte[] data = in.readNBytes(in.readInt());
                System.out.println((char) type + ": " + new String(data, StandardCharsets.UTF_8).strip());
            }
        }
    }

    static void server(Path socket, int seconds) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        Thread end = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                // ending anyway
            }
            System.out.println("time is up");
            System.exit(0);
        });
        end.setDaemon(true);
        end.start();
        System.out.println("listening");
        while (true) {
            SocketChannel ch = server.accept();
            System.out.println("accepted");
            Thread reader = new Thread(() -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try (ch) {
                    while (ch.read(buf.clear()) > 0) {
                        got.write(buf.array(), 0, buf.position());
                    }
                } catch (IOException e) {
                    // closed
                }
                System.out.println("closed after " + got.size() + " bytes: "
                        + new String(got.toByteArray(), StandardCharsets.ISO_8859_1));
            });
            reader.setDaemon(true);
            reader.start();
        }
    }
}
