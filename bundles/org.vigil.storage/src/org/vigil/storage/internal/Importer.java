package org.vigil.storage.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vigil.api.camera.CameraId;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.JobContext;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * Brings a tree in the old application's layout {@code <camera_id>/<YYYYMMDD>/*.mp4} into the catalog. A tree under the
 * recordings root is catalogued in place (a check that marks what it finds as imported); any other tree is copied
 * (or moved) in file by file, each one probed first, synced under a temporary name, renamed, and catalogued. A
 * cancelled or failed import keeps what it finished catalogued and leaves no temporary file behind.
 */
final class Importer {
    private static final int INSERT_BATCH = 200;

    private final StorageCore core;
    private final Reconciler reconciler;
    private final long reserveBytes;

    Importer(StorageCore core, Reconciler reconciler, long reserveBytes) {
        this.core = core;
        this.reconciler = reconciler;
        this.reserveBytes = reserveBytes;
    }

    CheckReport run(Path sourceDir, boolean move, JobContext ctx) throws Exception {
        if (!Files.isDirectory(sourceDir)) {
            throw new IOException("The folder " + sourceDir + " does not exist or is not a folder; give the folder"
                    + " that holds the camera folders.");
        }
        Path source = sourceDir.toRealPath();
        Path root = core.root().toAbsolutePath().normalize();
        if (Files.isDirectory(root) && source.startsWith(root.toRealPath())) {
            return reconciler.run(true, false, SegmentState.IMPORTED, ctx);
        }
        StoragePlugin plugin = core.plugin();
        ReportBuilder rb = new ReportBuilder(true);
        List<NewSegment> batch = new ArrayList<>();
        try {
            for (Path camDir : sorted(source)) {
                String camera = camDir.getFileName().toString();
                if (!Files.isDirectory(camDir)) {
                    rb.skip("ignored " + camDir + ": not a camera folder");
                    continue;
                }
                if (!CameraId.isValid(camera)) {
                    rb.skip("ignored " + camDir + ": '" + camera + "' is not a valid camera id (use a-z, 0-9, '_' and"
                            + " '-'); rename the folder to import it");
                    continue;
                }
                for (Path dayDir : sorted(camDir)) {
                    String day = dayDir.getFileName().toString();
                    if (!Files.isDirectory(dayDir) || !SegmentPaths.isDayFolder(day)) {
                        rb.skip("ignored " + dayDir + ": not a day folder (YYYYMMDD)");
                        continue;
                    }
                    for (Path file : sorted(dayDir)) {
                        ctx.checkCancelled();
                        importOne(plugin, file, camera + "/" + day + "/" + file.getFileName(), move, rb, batch, ctx);
                        if (batch.size() >= INSERT_BATCH) {
                            flush(batch);
                        }
                    }
                }
            }
        } finally {
            flush(batch);
        }
        return rb.build();
    }

    private void importOne(StoragePlugin plugin, Path file, String rel, boolean move, ReportBuilder rb,
            List<NewSegment> batch, JobContext ctx) throws Exception {
        String name = file.getFileName().toString();
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile() || !SegmentPaths.isSegmentName(name)) {
            rb.skip("ignored " + file + ": not a recording");
            return;
        }
        rb.filesSeen++;
        Optional<SegmentPaths.Parsed> where = SegmentPaths.parse(rel);
        if (where.isEmpty()) {
            rb.skip("ignored " + file + ": its name does not fit the recordings layout");
            return;
        }
        Path root = core.root();
        if (core.store.rowByPath(rel).isPresent() || plugin.stat(root, rel).isPresent() || core.busy(rel)) {
            rb.skip("skipped " + file + ": " + rel + " is already in the recordings");
            return;
        }
        Recovery.Found found;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            found = Recovery.probe(ch, where.get(), rel, attrs.size(), attrs.lastModifiedTime().toInstant(),
                    core.zone, SegmentState.IMPORTED);
        }
        if (found.row().isEmpty()) {
            rb.unplayable++;
            rb.detail("not imported " + file + ": " + found.probe().problem());
            return;
        }
        SpaceInfo space = plugin.space(root);
        if (space.freeBytes() - attrs.size() < reserveBytes) {
            throw new IOException("The recordings disk is too full to import more (" + Bytes.text(space.freeBytes())
                    + " free); " + rb.catalogued + " files were imported. Free some space and import again: what is"
                    + " already imported is skipped.");
        }
        core.reservations.reserve(rel);
        try {
            plugin.importFile(file, root, rel, move, ctx::isCancelled);
        } catch (IOException | RuntimeException e) {
            core.reservations.release(rel);
            throw e;
        }
        batch.add(found.row().get());
        rb.catalogued++;
        rb.detail((move ? "moved in " : "copied in ") + rel);
        ctx.progress("importing", rb.catalogued, -1, "files", rb.filesSeen, -1);
    }

    private void flush(List<NewSegment> batch) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        try {
            var done = core.store.insert(batch, false);
            core.changed(done.cameras(), done.added(), 0, done.changed());
        } finally {
            for (NewSegment n : batch) {
                core.reservations.release(n.path());
            }
            batch.clear();
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    result.add(p);
                }
            }
        }
        result.sort(null);
        return result;
    }
}
