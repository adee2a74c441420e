package org.vigil.backup.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.camera.CameraId;
import org.vigil.api.command.Bytes;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JobAwait;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.storage.RecordingCatalog;

/** {@code vigil backup}: copies recordings to a folder with checksums, verifies them, writes the manifests. */
@Component(service = VigilCommand.class)
public final class BackupCommand implements VigilCommand {
    private final BackupService backups;
    private final RecordingCatalog catalog;

    @Activate
    public BackupCommand(@Reference BackupService backups, @Reference RecordingCatalog catalog) {
        this.backups = backups;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public String summary() {
        return "copy recordings to a drive or share with checksums (SHA256SUMS, manifest.json) and verify them";
    }

    @Override
    public String help() {
        return """
                Usage: vigil backup --dest DIR [--camera ID]... [--from T] [--to T] [--protected]
                                    [--hash sha256|md5] [--no-verify] [--dry-run] [--json]

                Copies recordings to DIR (a mounted USB drive, a network share) as <camera>/<YYYYMMDD>/<file>,
                computing each file's checksum while copying it. Each copy is written as <file>.part, synced and
                renamed: a file under its final name is always complete. Unless --no-verify, every new copy is then
                read back from the drive and compared. DIR gets SHA256SUMS (check it anywhere with
                'cd DIR && sha256sum -c SHA256SUMS') and manifest.json (camera, start, end, size, checksum of each
                file; who made the backup and when).

                The backup is incremental and resumable: files already in DIR with a matching checksum are skipped,
                so after a cancel (Ctrl-C), a crash or an unplugged drive the same command continues.
                Before copying it checks that DIR exists and is writable, is not inside the recordings, has room for
                the selection, and can hold the largest file (FAT32: 4 GiB).

                Options:
                  --dest DIR      where the backup goes (default: the configured backup destination)
                  --camera ID     only this camera (repeatable); default every camera
                  --from T        recordings from this time: 2025-03-01T14:30, '2025-03-01 14:30', 2025-03-01
                                  (midnight), 2025-03-01T14:30:00Z, -2h, -30m, -1d, now, today or yesterday
                                  (local time unless an offset or Z is given; the same times as every vigil command)
                  --to T          recordings up to this time (a date is its midnight: --to today ends last night)
                  --protected     only protected recordings (vigil recordings protect)
                  --hash NAME     sha256 (default) or md5 (for old tools; not for new backups)
                  --no-verify     do not read the copies back
                  --dry-run       only check and say what would be copied
                  --json          the result as JSON (progress still goes to standard error)

                Progress (files, speed, time left) goes to standard error once a second.
                Exit code: 0 done, 1 refused or failed (the reason is said), 2 wrong usage.

                Examples:
                  vigil backup --dest /media/usb
                  vigil backup --dest /mnt/share --camera front --from yesterday --to today
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("backup", inv.args(), Set.of("dest", "camera", "from", "to", "hash"),
                Set.of("no-verify", "dry-run", "protected", "json"));
        if (!a.positional().isEmpty()) {
            throw CommandException.usage("Unexpected argument '" + a.positional().get(0) + "'; give the destination"
                    + " with --dest DIR (see 'vigil backup --help').");
        }
        boolean json = inv.json() || a.flag("json");
        Path dest = a.option("dest").map(Path::of).or(backups::defaultDestination).orElseThrow(() -> CommandException
                .usage("Give the destination with --dest DIR; no default backup destination is configured."));
        BackupRequest request = backups.request(dest.toAbsolutePath().normalize());
        Set<String> cameras = new LinkedHashSet<>();
        for (String c : a.options("camera")) {
            if (!CameraId.isValid(c)) {
                throw CommandException.usage("'" + c + "' is not a camera id (" + CameraId.RULE + ").");
            }
            cameras.add(c);
        }
        ZoneId zone = catalog.zone();
        Instant now = Instant.now();
        Optional<Instant> from = a.option("from").isPresent()
                ? Optional.of(TimeArgs.parse("from", a.option("from").get(), now, zone)) : Optional.empty();
        Optional<Instant> to = a.option("to").isPresent()
                ? Optional.of(TimeArgs.parse("to", a.option("to").get(), now, zone)) : Optional.empty();
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw CommandException.usage("--from must be before --to.");
        }
        request = request.withCameras(cameras).withRange(from, to).withProtectedOnly(a.flag("protected"));
        if (a.option("hash").isPresent()) {
            String h = a.option("hash").get();
            request = request.withHash(HashAlgorithm.parse(h).orElseThrow(() -> CommandException
                    .usage("--hash takes sha256 or md5, not '" + h + "'.")));
        }
        if (a.flag("no-verify")) {
            request = request.withVerify(false);
        }
        if (a.flag("dry-run")) {
            return dryRun(backups.plan(request), json, inv.out());
        }
        BackupReport r = JobAwait.await(backups.backup(request), inv, new ProgressLine()::line,
                () -> "The backup was cancelled; the file being copied was rolled back. Run the same command again to"
                        + " continue.");
        print(r, json, inv.out());
        return 0;
    }

    private static int dryRun(BackupPlan p, boolean json, PrintWriter out) {
        if (json) {
            out.println(JsonOutput.write(BackupJson.plan(p)));
        } else {
            out.printf("%s selected (%s); %s already in %s; %s to copy (%s)%s.%n", Units.files(p.files()),
                    Bytes.text(p.bytes()), Units.files(p.filesPresent()), p.destination(), Units.files(p.filesToCopy()),
                    Bytes.text(p.bytesToCopy()), p.freeBytes() >= 0 ? ", " + Bytes.text(p.freeBytes()) + " free" : "");
            p.problems().forEach(out::println);
            if (p.ok()) {
                out.println("The backup can start.");
            }
        }
        return p.ok() ? 0 : 1;
    }

    private static void print(BackupReport r, boolean json, PrintWriter out) {
        if (json) {
            out.println(JsonOutput.write(BackupJson.report(r)));
            return;
        }
        out.printf("Backed up %s (%s) to %s: %s copied (%s in %s, %s), %s already there.%n", Units.files(r.files()),
                Bytes.text(r.bytes()), r.destination(), Units.files(r.filesCopied()), Bytes.text(r.bytesCopied()),
                Units.duration(r.copyTime()), Bytes.rate(r.copyBytesPerSecond()), Units.files(r.filesSkipped()));
        if (r.filesVerified() > 0) {
            out.printf("Verified %s (%s) by reading them back from the drive (%s, %s).%n",
                    Units.files(r.filesVerified()), Bytes.text(r.bytesVerified()), r.cacheBypass(),
                    Bytes.rate(r.verifyBytesPerSecond()));
        }
        out.printf("Check it anywhere with: cd %s && %s -c %s%n", r.destination(), r.hash().id() + "sum",
                r.hash().sumsFile());
    }
}
