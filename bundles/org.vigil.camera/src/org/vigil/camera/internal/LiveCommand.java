package org.vigil.camera.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.VigilMode;

/**
 * {@code vigil camera live <id> [--size WxH] [--seconds N]}: watches a camera's live view for a while, headless,
 * and says how many pictures arrived: a check for technicians (does the live view work?) and what the benchmark uses
 * to measure the cost of a live view.
 */
@Component(service = CameraSubcommand.class)
public final class LiveCommand implements CameraSubcommand {
    static final int MAX_SECONDS = 3600;

    private final LiveFeed live;
    private final CameraService cameras;
    private final VigilMode mode;

    @Activate
    public LiveCommand(BundleContext context, @Reference LiveFeed live, @Reference CameraService cameras) {
        this.live = live;
        this.cameras = cameras;
        this.mode = VigilMode.of(context.getProperty(VigilMode.PROPERTY));
    }

    @Override
    public String name() {
        return "live";
    }

    @Override
    public String summary() {
        return "watch a camera's live view for a while and count its pictures";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil camera live <id> [--size WxH] [--seconds N] [--main] [--json]

                Decodes the camera's live view (its sub-stream when it has one; with --main the main stream, the
                one recorded) at WxH (default 640x360) for N seconds (default 10, at most 3600) and reports the
                pictures received; nothing is shown.
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera live", inv.args(), Set.of("size", "seconds"),
                Set.of("json", "main"));
        LiveFeed.Stream stream = a.flag("main") ? LiveFeed.Stream.MAIN : LiveFeed.Stream.PREVIEW;
        String id = a.require(0, "the camera id", "camera live");
        if (!mode.records()) {
            throw new CommandException(CameraStatusCommand.NOT_RUNNING);
        }
        if (cameras.status(id).isEmpty()) {
            throw new CommandException("No camera '" + id + "' is configured; see 'vigil camera list'.");
        }
        int[] size = size(a.option("size").orElse("640x360"));
        int seconds = seconds(a.option("seconds").orElse("10"));
        AtomicLong frames = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicReference<VideoFrame> last = new AtomicReference<>();
        long t0 = System.nanoTime();
        CountDownLatch interrupted = new CountDownLatch(1);
        Registration r;
        try {
            r = live.subscribe(id, size[0], size[1], stream, f -> {
                if (frames.incrementAndGet() == 1) {
                    firstNanos.set(System.nanoTime() - t0);
                }
                last.set(f);
            });
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
        try {
            interrupted.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            r.close();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        long n = frames.get();
        if (inv.json() || a.flag("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", id);
            m.put("width", size[0]);
            m.put("height", size[1]);
            m.put("stream", stream.name().toLowerCase(Locale.ROOT));
            m.put("seconds", JsonOutput.round(took, 2));
            m.put("frames", n);
            m.put("fps", JsonOutput.round(n / took, 2));
            m.put("firstFrameMillis", n == 0 ? null : firstNanos.get() / 1_000_000);
            inv.out().println(JsonOutput.write(m));
        } else if (n == 0) {
            inv.out().println("Camera " + id + ": no picture in " + seconds + " s (state "
                    + cameras.status(id).map(s -> s.state().name()).orElse("?") + ").");
        } else {
            inv.out().println(String.format(Locale.ROOT, "Camera %s: %d pictures of %dx%d from its %s in %.1f s"
                    + " (%.1f per second), the first after %.2f s.", id, n, size[0], size[1],
                    stream == LiveFeed.Stream.MAIN ? "main stream" : "live view stream", took, n / took,
                    firstNanos.get() / 1e9));
        }
        return n == 0 ? 1 : 0;
    }

    private static int[] size(String s) throws CommandException {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                return new int[] { Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()) };
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage("The size '" + s + "' is not WIDTHxHEIGHT such as 640x360.");
    }

    private static int seconds(String s) throws CommandException {
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 1 && n <= MAX_SECONDS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage("--seconds takes 1 to " + MAX_SECONDS + ", not '" + s + "'.");
    }
}
