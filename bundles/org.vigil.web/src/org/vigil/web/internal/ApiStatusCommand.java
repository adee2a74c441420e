package org.vigil.web.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;

/**
 * {@code vigil api status}: where the recorder's HTTPS API answers (the addresses Jetty actually listens on, so a
 * port chosen by the system is shown too) and the certificate's SHA-256 fingerprint a client confirms at its first
 * connection.
 */
@Component(service = VigilCommand.class)
public final class ApiStatusCommand implements VigilCommand {
    private final HttpServer server;
    private volatile Map<String, Object> runtime;

    @Activate
    public ApiStatusCommand(@Reference HttpServer server) {
        this.server = server;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedRuntime")
    void bindRuntime(HttpServiceRuntime r, Map<String, Object> props) {
        runtime = props;
    }

    void updatedRuntime(HttpServiceRuntime r, Map<String, Object> props) {
        runtime = props;
    }

    void unbindRuntime(HttpServiceRuntime r, Map<String, Object> props) {
        if (runtime == props) {
            runtime = null;
        }
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String summary() {
        return "the HTTPS API: where it answers and its certificate's fingerprint";
    }

    @Override
    public String help() {
        return """
                Usage: vigil api status [--json]

                Where the recorder's HTTPS API answers and the SHA-256 fingerprint of its certificate, which
                a client (the workbench, a browser) shows at its first connection: compare the two before you
                accept it. The API listens on loopback until 'vigil config set api.listen=ADDRESS' says
                otherwise, and beyond loopback only while an admin user exists ('vigil user add').
                Settings: api.listen, api.port (0 picks a free port), api.httpPort (plain HTTP on loopback).

                Examples:
                  vigil api status
                  curl --cacert ... -u USER https://127.0.0.1:8443/api/me
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("api", inv.args(), Set.of(), Set.of("json"));
        if (a.positional().isEmpty() || !a.positional().get(0).equals("status") || a.positional().size() > 1) {
            throw CommandException.usage("Write 'vigil api status'; see 'vigil api --help'.");
        }
        if (!server.serves()) {
            throw new CommandException("No recorder is running on this data directory, so the API does not answer;"
                    + " start one with 'vigil run --headless' (or the service).");
        }
        List<String> urls = endpoints();
        Certificates.Store store = server.store();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listening", !urls.isEmpty());
        m.put("urls", urls);
        m.put("listen", server.listen());
        m.put("fingerprint_sha256", store == null ? null : store.fingerprint());
        m.put("certificate_expires", store == null ? null : store.notAfter());
        m.put("problem", server.refusal());
        PrintWriter o = inv.out();
        if (inv.json() || a.flag("json")) {
            o.println(JsonOutput.write(m));
        } else {
            if (urls.isEmpty()) {
                o.println("The API does not answer yet (its server is starting, or could not listen: see the log).");
            } else {
                for (String u : urls) {
                    o.println("API:          " + u);
                }
            }
            if (store != null) {
                o.println("Certificate:  SHA-256 " + store.fingerprint());
            }
            if (server.refusal() != null) {
                o.println(server.refusal());
            }
        }
        o.flush();
        return 0;
    }

    /** The https URL of the API when its server accepts connections (and its server runs at all). */
    private List<String> endpoints() {
        List<String> urls = new ArrayList<>();
        if (runtime == null || server.port() <= 0) {
            return urls;
        }
        String host = server.listen();
        String connect = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(connect, server.port()), 2000);
        } catch (java.io.IOException e) {
            return urls;
        }
        String shown = connect.contains(":") ? "[" + connect + "]" : connect;
        urls.add("https://" + shown + ":" + server.port() + "/api/");
        return urls;
    }
}
