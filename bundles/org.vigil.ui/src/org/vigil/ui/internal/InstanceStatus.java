package org.vigil.ui.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.VigilMode;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;

/**
 * The instance's state in the status bar: running since when, and the jobs in progress with their progress (a backup
 * at 42 %). The camera engine will add its own item for recording state.
 */
@Component(service = StatusSource.class)
public final class InstanceStatus implements StatusSource {
    private final JobRunner jobs;
    private final String detail;

    @Activate
    public InstanceStatus(BundleContext context, @Reference JobRunner jobs) {
        this.jobs = jobs;
        String data = context.getProperty("vigil.data");
        this.detail = "Mode " + VigilMode.of(context.getProperty(VigilMode.PROPERTY)).name().toLowerCase(Locale.ROOT)
                + " · PID " + ProcessHandle.current().pid() + (data == null ? "" : " · data " + data);
    }

    @Override
    public String id() {
        return "instance";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public StatusReading read() {
        String up = "running for " + duration(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
        List<Job<?>> active = jobs.active();
        if (active.isEmpty()) {
            return new StatusReading("Running · no jobs", "Vigil is " + up + ". " + detail, StatusReading.Level.GOOD);
        }
        String text;
        if (active.size() == 1) {
            Job<?> j = active.get(0);
            text = j.name() + j.progress().fraction().map(f -> String.format(Locale.ROOT, " · %d %%", Math.round(f * 100)))
                    .orElse(" · " + j.progress().phase());
        } else {
            text = active.size() + " jobs running";
        }
        return new StatusReading(text, "Vigil is " + up + ". " + Workbench.describe(active) + ". " + detail,
                StatusReading.Level.NORMAL);
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + " s";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = d.toHours();
        if (hours < 48) {
            return hours + " h " + (minutes % 60) + " min";
        }
        return d.toDays() + " days";
    }
}
