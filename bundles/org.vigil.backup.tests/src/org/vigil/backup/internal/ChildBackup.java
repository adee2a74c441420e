package org.vigil.backup.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.job.JobContext;

/**
 * A backup in a process of its own, for the test that kills it with SIGKILL mid-file: the same engine (planner,
 * copier, manifests) the service runs, without a framework. Arguments: a file listing the recordings (one per line:
 * camera, start, end, relative path, source, bytes; tab-separated), the destination, the recordings root.
 * Prints "copying <bytes>" lines as it goes and "done" at the end.
 */
public final class ChildBackup {
    private ChildBackup() {
    }

    public static void main(String[] args) throws Exception {
        List<BackupItem> items = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            items.add(new BackupItem(f[0], Instant.parse(f[1]), Instant.parse(f[2]), f[3], Path.of(f[4]),
                    Long.parseLong(f[5])));
        }
        BackupRequest request = BackupRequest.everything(Path.of(args[1]));
        BackupRun run = new BackupRun(request, () -> items, "the listed recordings",
                new BackupPlanner(Path.of(args[2]), BackupPlanner.FileSystemProbe.SYSTEM), CacheBypass.DIRECT,
                Identity.who(), "child", () -> false);
        BackupReport r = run.run(new JobContext() {
            private long last = -1;

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void progress(String phase, long done, long total, String unit, long itemsDone, long itemsTotal) {
                if (done >> 24 != last) { // every 16 MiB
                    last = done >> 24;
                    System.out.println(phase + " " + done + " " + itemsDone);
                    System.out.flush();
                }
            }

            @Override
            public void message(String message) {
                System.out.println("file " + message);
                System.out.flush();
            }
        });
        System.out.println("done " + r.filesCopied());
    }
}
