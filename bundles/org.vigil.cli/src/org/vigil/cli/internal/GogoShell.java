package org.vigil.cli.internal;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code vigil shell}: a Gogo session of this instance over the control socket. Line-oriented (no terminal
 * editing): each line is executed and its result printed; {@code exit} or end of input ends the session.
 */
@Component(service = GogoShell.class)
public final class GogoShell {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CommandProcessor processor;

    /**
     * Runs a session reading 'I' frames from {@code frames} until {@code exit} or end of input.
     *
     * @return the exit code for the client
     */
    int session(DataInputStream frames, OutputStream out, OutputStream err) throws IOException {
        PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandProcessor cp = processor;
        if (cp == null) {
            perr.println("The Gogo shell is not installed in this instance (bundle org.apache.felix.gogo.runtime).");
            return 1;
        }
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(feed, 64 * 1024);
        Thread feeder = new Thread(() -> forward(frames, feed), "vigil-shell-input");
        feeder.start();
        try (CommandSession session = cp.createSession(input, pout, perr)) {
            session.put("prompt", "vigil> ");
            BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            pout.println("Vigil shell: 'help' lists the commands (Vigil's are 'vigil:<name>'), 'exit' leaves.");
            while (true) {
                pout.print("vigil> ");
                pout.flush();
                String line = lines.readLine();
                if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Object result = session.execute(line);
                    if (result != null) {
                        pout.println(session.format(result, Converter.INSPECT));
                    }
                } catch (Exception e) {
                    perr.println(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        } finally {
            input.close(); // the feeder ends when the client closes the connection, right after this
        }
        return 0;
    }

    private static void forward(DataInputStream frames, PipedOutputStream feed) {
        try (feed) {
            while (true) {
                int type = frames.readUnsignedByte();
                int len = frames.readInt();
                if (type != 'I' || len <= 0) {
                    return;
                }
                byte[] data = frames.readNBytes(len);
                feed.write(data);
                feed.flush();
            }
        } catch (IOException e) {
            // the client left or the session ended
        }
    }

}
