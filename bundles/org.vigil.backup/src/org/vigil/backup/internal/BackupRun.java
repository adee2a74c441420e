package org.vigil.backup.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.vigil.api.backup.BackupRefusedException;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobTask;
import org.vigil.backup.internal.BackupPlanner.Action;
import org.vigil.backup.internal.BackupPlanner.Planned;
import org.vigil.backup.internal.BackupPlanner.Step;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * One backup, as a job: checks, copy (with checksum) of every file not already there, verification of the new copies,
 * manifests. Progress counts bytes over the whole job (copy, then verification) so that throughput and time left
 * stay meaningful across both phases; the files counted are those of the current phase.
 */
final class BackupRun implements JobTask<BackupReport> {
    static final String PHASE_CHECKING = "checking";
    static final String PHASE_COPYING = "copying";
    static final String PHASE_VERIFYING = "verifying";
    private static final Logger LOG = System.getLogger(BackupRun.class.getName());

    private final BackupRequest request;
    private final Supplier<List<BackupItem>> selection;
    private final String selectionText;
    private final BackupPlanner planner;
    private final CacheBypass bypass;
    private final String who;
    private final String vigilVersion;
    private final BooleanSupplier stopping;

    private JobContext ctx;
    private long done;
    private long total;
    private String phase = PHASE_CHECKING;
    private int itemsDone;
    private int itemsTotal;
    /** The file in hand and how far it got, for the message when it is rolled back. */
    private volatile String inHand;
    private volatile long inHandDone;
    private volatile long inHandSize;

    BackupRun(BackupRequest request, Supplier<List<BackupItem>> selection, String selectionText, BackupPlanner planner,
            CacheBypass bypass, String who, String vigilVersion, BooleanSupplier stopping) {
        this.request = request;
        this.selection = selection;
        this.selectionText = selectionText;
        this.planner = planner;
        this.bypass = bypass;
        this.who = who;
        this.vigilVersion = vigilVersion;
        this.stopping = stopping;
    }

    @Override
    public BackupReport run(JobContext context) throws Exception {
        this.ctx = context;
        Instant started = Instant.now();
        ctx.progress(PHASE_CHECKING, 0, -1, "bytes", 0, -1);
        ctx.message("checking the selection and the destination");
        Planned planned = planner.plan(request, selection.get(), selectionText);
        if (!planned.plan().ok()) {
            throw new BackupRefusedException(planned.plan().problems());
        }
        ctx.checkCancelled();
        Path dest = planned.plan().destination();
        HashAlgorithm alg = request.hash();
        List<Step> steps = planned.steps();
        List<String> failures = new ArrayList<>();
        List<Step> copiedNow = new ArrayList<>();
        List<Step> toVerifyOld = new ArrayList<>();
        int skipped = 0;
        long bytesCopied = 0;
        int filesVerified = 0;
        long bytesVerified = 0;
        String usedBypass = "none";
        String outcome = "failed";
        long copyNanos = 0;
        long verifyNanos = 0;
        FileCopier copier = new FileCopier(bypass);
        DestinationWatch watch = new DestinationWatch(dest);
        try (BackupManifest manifest = planned.manifest().orElseThrow()) {
            try {
                removeStaleParts(dest, steps);
                long verifyEstimate = 0;
                for (Step s : steps) {
                    total += s.workBytes();
                    if (request.verify() && (s.action() == Action.COPY || s.action() == Action.CHECK_SOURCE
                            || s.action() == Action.SKIP && s.entry().map(e -> e.verified().isEmpty()).orElse(false))) {
                        verifyEstimate += s.sourceBytes();
                    }
                }
                total += verifyEstimate;
                itemsTotal = (int) steps.stream().filter(s -> s.action() != Action.SKIP).count();
                phase = PHASE_COPYING;
                report();
                long t0 = System.nanoTime();
                for (Step step : steps) {
                    inHand = null;
                    ctx.checkCancelled();
                    String rel = step.item().relativePath();
                    switch (step.action()) {
                        case SKIP -> {
                            skipped++;
                            if (request.verify() && step.entry().get().verified().isEmpty()) {
                                toVerifyOld.add(step);
                            }
                            continue;
                        }
                        case SOURCE_MISSING -> {
                            failures.add(rel + " (the recording is catalogued but not on disk)");
                            itemsDone++;
                            continue;
                        }
                        default -> {
                        }
                    }
                    ctx.message(rel);
                    try {
                        if (step.action() == Action.CHECK_SOURCE) {
                            FileCopier.Hashed h = copier.hash(step.item().source(), alg, false, control(watch, null,
                                    step.sourceBytes()));
                            ManifestEntry old = step.entry().get();
                            if (h.hash().equals(old.hash())) {
                                manifest.record(new ManifestEntry(old.path(), old.camera(), old.start(), old.end(),
                                        old.bytes(), old.hash(), step.sourceModified(), old.copied(), old.copiedBy(),
                                        old.verified()), alg);
                                skipped++;
                                total -= verifyBytes(step); // nothing new to read back
                                itemsDone++;
                                continue;
                            }
                        } else if (step.action() == Action.CHECK_BOTH) {
                            FileCopier.Hashed hs = copier.hash(step.item().source(), alg, false,
                                    control(watch, null, step.sourceBytes()));
                            FileCopier.Hashed hd = copier.hash(step.target(), alg, true,
                                    control(watch, null, step.sourceBytes()));
                            if (hs.hash().equals(hd.hash())) {
                                manifest.record(entry(step, hs.hash(), Optional.of(Instant.now())), alg);
                                skipped++;
                                itemsDone++;
                                continue;
                            }
                            total -= step.sourceBytes(); // the copy below counts it again
                        }
                        Folders.create(dest, step.target().getParent());
                        FileCopier.Hashed h = copier.copy(step.item().source(), step.target(), alg,
                                control(watch, rel, step.sourceBytes()));
                        manifest.record(entry(step, h.hash(), Optional.empty()), alg);
                        copiedNow.add(step);
                        bytesCopied += h.bytes();
                    } catch (CancellationException | DestinationGoneException e) {
                        throw e;
                    } catch (IOException e) {
                        IOException fatal = destinationFailure(e, watch, dest, step);
                        if (fatal != null) {
                            throw fatal;
                        }
                        failures.add(rel + " (" + e.getMessage() + ")");
                        LOG.log(Level.WARNING, "The recording {0} was not backed up: {1}", rel, e.toString());
                    }
                    inHand = null;
                    itemsDone++;
                    report();
                }
                copyNanos = System.nanoTime() - t0;
                if (request.verify()) {
                    List<Step> toVerify = new ArrayList<>(copiedNow);
                    toVerify.addAll(toVerifyOld);
                    phase = PHASE_VERIFYING;
                    itemsDone = 0;
                    itemsTotal = toVerify.size();
                    total = done + toVerify.stream().mapToLong(Step::sourceBytes).sum();
                    report();
                    long t1 = System.nanoTime();
                    for (Step step : toVerify) {
                        ctx.checkCancelled();
                        String rel = step.item().relativePath();
                        ctx.message(rel);
                        ManifestEntry e = manifest.entry(rel).orElseThrow();
                        FileCopier.Hashed h;
                        try {
                            h = copier.hash(step.target(), alg, true, control(watch, null, e.bytes()));
                        } catch (NoSuchFileException gone) {
                            watch.checkNow();
                            h = new FileCopier.Hashed("", 0, CacheBypass.NONE);
                        }
                        usedBypass = h.bypass().label();
                        if (h.hash().equals(e.hash()) && h.bytes() == e.bytes()) {
                            manifest.record(e.withVerified(Instant.now()), alg);
                            filesVerified++;
                            bytesVerified += h.bytes();
                        } else {
                            LOG.log(Level.ERROR, "The copy {0} read back differs from the recording ({1} instead of"
                                    + " {2}); it is removed.", step.target(), h.hash(), e.hash());
                            FileCopier.rollBack(step.target());
                            Folders.sync(step.target().getParent());
                            manifest.forget(rel);
                            failures.add(rel + " (the copy read back differs from the recording)");
                        }
                        itemsDone++;
                        report();
                    }
                    verifyNanos = System.nanoTime() - t1;
                }
                outcome = failures.isEmpty() ? "completed" : "completed with errors";
            } catch (CancellationException e) {
                outcome = stopping.getAsBoolean() ? "stopped (Vigil was stopping)" : "cancelled";
                logRollBack(dest, copiedNow.size() + skipped, steps.size());
                throw e;
            } catch (DestinationGoneException e) {
                outcome = "destination gone";
                throw e;
            } finally {
                if (!outcome.equals("destination gone")) {
                    writeManifests(manifest, alg, started, outcome, copiedNow.size(), bytesCopied, skipped,
                            filesVerified, failures);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException(failureSentence(dest, failures));
        }
        return new BackupReport(dest, alg, steps.size(), planned.plan().bytes(), copiedNow.size(), bytesCopied, skipped,
                filesVerified, bytesVerified, Duration.ofNanos(copyNanos), Duration.ofNanos(verifyNanos), usedBypass,
                dest.resolve(BackupManifest.MANIFEST), dest.resolve(alg.sumsFile()));
    }

    private long verifyBytes(Step s) {
        return request.verify() ? s.sourceBytes() : 0;
    }

    private ManifestEntry entry(Step step, String hash, Optional<Instant> verified) {
        BackupItem i = step.item();
        return new ManifestEntry(i.relativePath(), i.cameraId(), i.start(), i.end(), step.sourceBytes(), hash,
                step.sourceModified(), Instant.now(), who, verified);
    }

    /** @param rel the file being copied (rolled back on cancel), null when only reading */
    private CopyControl control(DestinationWatch watch, String rel, long size) {
        inHand = rel;
        inHandDone = 0;
        inHandSize = size;
        return new CopyControl() {
            @Override
            public boolean cancelled() {
                return ctx.isCancelled();
            }

            @Override
            public void progress(long bytes) {
                done += bytes;
                inHandDone += bytes;
                report();
            }

            @Override
            public void checkDestination() throws IOException {
                watch.check();
            }
        };
    }

    private void report() {
        ctx.progress(phase, done, Math.max(total, done), "bytes", itemsDone, itemsTotal);
    }

    /** A write error that ends the whole backup (the drive is gone or full), or null for one file's trouble. */
    private static IOException destinationFailure(IOException e, DestinationWatch watch, Path dest, Step step) {
        try {
            watch.checkNow();
        } catch (DestinationGoneException gone) {
            return gone;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left") || m.contains("Disk quota")) {
            return new IOException("The destination " + dest + " is full: " + step.item().relativePath()
                    + " did not fit (the unfinished copy was removed). Free space on it or use a larger drive, then"
                    + " run the same backup again: it continues where it stopped.");
        }
        if (!Files.isReadable(step.item().source())) {
            return null; // the recording's trouble, not the destination's
        }
        if (m.contains("Input/output error") || m.contains("Read-only file system")) {
            return new IOException("Writing to the destination " + dest + " failed (" + m + ") while copying "
                    + step.item().relativePath() + "; the drive may be failing or was removed. The unfinished copy"
                    + " was abandoned and the recordings are untouched.");
        }
        return null;
    }

    private void logRollBack(Path dest, int complete, int all) {
        String file = inHand;
        String what = file == null ? "no file was in hand"
                : "the unfinished copy of " + file + " (" + Bytes.text(inHandDone) + " of " + Bytes.text(inHandSize)
                        + ") was rolled back";
        if (stopping.getAsBoolean()) {
            LOG.log(Level.WARNING, "Vigil is stopping: the backup to {0} was stopped and {1}; {2} of {3} files are"
                    + " complete there. Run the same backup again to continue.", dest, what, complete, all);
        } else {
            LOG.log(Level.INFO, "The backup to {0} was cancelled and {1}; {2} of {3} files are complete there. Run"
                    + " the same backup again to continue.", dest, what, complete, all);
        }
    }

    private void writeManifests(BackupManifest manifest, HashAlgorithm alg, Instant started, String outcome,
            int filesCopied, long bytesCopied, int skipped, int verified, List<String> failures) {
        JsonObject run = new JsonObject();
        run.addProperty("started", started.toString());
        run.addProperty("finished", Instant.now().toString());
        run.addProperty("by", who);
        run.addProperty("vigil", vigilVersion);
        run.addProperty("outcome", outcome);
        JsonObject sel = new JsonObject();
        JsonArray cams = new JsonArray();
        request.cameras().stream().sorted().forEach(cams::add);
        sel.add("cameras", cams);
        request.from().ifPresent(f -> sel.addProperty("from", f.toString()));
        request.to().ifPresent(t -> sel.addProperty("to", t.toString()));
        sel.addProperty("protected_only", request.protectedOnly());
        run.add("selection", sel);
        run.addProperty("files_copied", filesCopied);
        run.addProperty("bytes_copied", bytesCopied);
        run.addProperty("files_skipped", skipped);
        run.addProperty("files_verified", verified);
        if (!failures.isEmpty()) {
            JsonArray f = new JsonArray();
            failures.forEach(f::add);
            run.add("failures", f);
        }
        try {
            manifest.write(alg, run, Instant.now());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "The manifests of the backup could not be written ({0}); the journal keeps what"
                    + " was copied and the next run writes them.", e.toString());
        }
    }

    /** Removes {@code .part} files a killed run left, where this backup puts its files (and at their dates). */
    private static void removeStaleParts(Path dest, List<Step> steps) throws IOException {
        java.util.Set<Path> folders = new java.util.HashSet<>();
        for (Step s : steps) {
            folders.add(s.target().getParent());
        }
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            boolean removed = false;
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "*" + FileCopier.PART_SUFFIX)) {
                for (Path p : parts) {
                    Files.deleteIfExists(p);
                    removed = true;
                }
            }
            if (removed) {
                Folders.sync(folder);
            }
        }
    }

    static String failureSentence(Path dest, List<String> failures) {
        int n = failures.size();
        String list = String.join("; ", failures.subList(0, Math.min(5, n))) + (n > 5 ? "; and " + (n - 5) + " more" : "");
        return (n == 1 ? "1 recording was" : n + " recordings were") + " not backed up to " + dest + ": " + list
                + ". The rest of the backup is complete; run the same backup again to retry.";
    }
}
