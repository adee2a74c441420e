package org.vigil.backup.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.backup.VerifyReport;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobTask;

/**
 * Checks a backup folder against its {@code SHA256SUMS} or {@code MD5SUMS}: every listed file is read (bypassing the
 * page cache where possible) and compared; files the list does not name are reported as extra. Changes nothing.
 */
final class VerifyRun implements JobTask<VerifyReport> {
    static final String PHASE = "verifying";
    private static final Logger LOG = System.getLogger(VerifyRun.class.getName());

    private final Path directory;
    private final CacheBypass bypass;

    VerifyRun(Path directory, CacheBypass bypass) {
        this.directory = directory.toAbsolutePath().normalize();
        this.bypass = bypass;
    }

    @Override
    public VerifyReport run(JobContext ctx) throws Exception {
        long t0 = System.nanoTime();
        Path dir = directory;
        if (!Files.isDirectory(dir)) {
            throw new IOException("The folder " + dir + " does not exist; plug in and mount the backup drive, then"
                    + " try again.");
        }
        HashAlgorithm alg;
        if (Files.isRegularFile(dir.resolve(HashAlgorithm.SHA256.sumsFile()))) {
            alg = HashAlgorithm.SHA256;
        } else if (Files.isRegularFile(dir.resolve(HashAlgorithm.MD5.sumsFile()))) {
            alg = HashAlgorithm.MD5;
        } else {
            throw new IOException("The folder " + dir + " has no SHA256SUMS or MD5SUMS; it is not a backup made by"
                    + " Vigil (or sha256sum): give the folder that holds those files.");
        }
        Path sumsFile = dir.resolve(alg.sumsFile());
        SumsFile.Parsed sums = SumsFile.read(sumsFile, alg);
        if (sums.badLines() > 0) {
            throw new IOException("The list " + sumsFile + " holds " + sums.badLines() + (sums.badLines() == 1
                    ? " line that is not a checksum line" : " lines that are not checksum lines") + " (the first is line "
                    + sums.firstBadLine() + "); it was altered or damaged: compare it with " + BackupManifest.MANIFEST
                    + " or make the backup again.");
        }
        // what the backup must hold: every listed file, and every file its manifest records (a line lost together
        // with its file would otherwise go unnoticed); a disagreement between the two means the list was altered
        Map<String, String> listed = new LinkedHashMap<>(sums.hashByPath());
        List<String> altered = new ArrayList<>();
        for (ManifestEntry m : manifestEntries(dir, alg, altered)) {
            String hash = listed.putIfAbsent(m.path(), m.hash());
            if ((hash == null || !hash.equals(m.hash())) && !altered.contains(alg.sumsFile())) {
                altered.add(alg.sumsFile());
            }
        }
        if (listed.isEmpty()) {
            throw new IOException("The list " + sumsFile + " names no file" + (Files.isRegularFile(dir.resolve(
                    BackupManifest.MANIFEST)) ? " and neither does " + BackupManifest.MANIFEST : "")
                    + "; a backup lists every file it holds, so this one was emptied or is not a backup.");
        }
        long total = 0;
        for (String p : listed.keySet()) {
            Path f = inside(dir, p);
            if (f != null && Files.isRegularFile(f)) {
                total += Files.size(f);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        FileCopier reader = new FileCopier(bypass);
        DestinationWatch watch = new DestinationWatch(dir);
        long[] done = { 0 };
        int files = 0;
        final long totalBytes = total;
        ctx.progress(PHASE, 0, totalBytes, "bytes", 0, listed.size());
        for (Map.Entry<String, String> e : listed.entrySet()) {
            ctx.checkCancelled();
            String rel = e.getKey();
            Path f = inside(dir, rel);
            final int filesDone = files;
            if (f == null || !Files.isRegularFile(f)) {
                watch.checkNow();
                missing.add(rel);
            } else {
                ctx.message(rel);
                try {
                    FileCopier.Hashed h = reader.hash(f, alg, true, new CopyControl() {
                        @Override
                        public boolean cancelled() {
                            return ctx.isCancelled();
                        }

                        @Override
                        public void progress(long bytes) {
                            done[0] += bytes;
                            ctx.progress(PHASE, done[0], Math.max(totalBytes, done[0]), "bytes", filesDone,
                                    listed.size());
                        }

                        @Override
                        public void checkDestination() throws IOException {
                            watch.check();
                        }
                    });
                    if (!h.hash().equals(e.getValue())) {
                        altered.add(rel);
                    }
                } catch (NoSuchFileException gone) {
                    watch.checkNow();
                    missing.add(rel);
                } catch (DestinationGoneException gone) {
                    throw gone;
                } catch (IOException io) {
                    watch.checkNow();
                    LOG.log(Level.WARNING, "The backup file {0} could not be read: {1}", f, io.toString());
                    unreadable.add(rel);
                }
            }
            files++;
            ctx.progress(PHASE, done[0], Math.max(totalBytes, done[0]), "bytes", files, listed.size());
        }
        List<String> extra = extras(dir, listed.keySet());
        return new VerifyReport(dir, alg, listed.size(), done[0], missing, altered, unreadable, extra,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * The files {@code manifest.json} records, when it is there and uses the list's checksum kind; a manifest that
     * cannot be read is reported as altered (the files are still checked against the list).
     */
    private static java.util.Collection<ManifestEntry> manifestEntries(Path dir, HashAlgorithm alg,
            List<String> altered) {
        if (!Files.isRegularFile(dir.resolve(BackupManifest.MANIFEST))) {
            return List.of();
        }
        try (BackupManifest m = BackupManifest.load(dir)) {
            if (m.algorithm().isPresent() && m.algorithm().get() != alg) {
                altered.add(BackupManifest.MANIFEST);
                return List.of();
            }
            return List.copyOf(m.entries());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "The backup manifest in {0} cannot be read: {1}", dir, e.getMessage());
            altered.add(BackupManifest.MANIFEST);
            return List.of();
        }
    }

    /** The file a listed path names, or null when the path would lead outside the folder. */
    private static Path inside(Path dir, String rel) {
        if (rel.startsWith("/")) {
            return null;
        }
        String clean = rel.startsWith("./") ? rel.substring(2) : rel;
        Path p = dir.resolve(clean).normalize();
        return p.startsWith(dir) && !p.equals(dir) ? p : null;
    }

    private static List<String> extras(Path dir, Set<String> listed) throws IOException {
        Set<String> normalized = new java.util.HashSet<>();
        for (String l : listed) {
            normalized.add(l.startsWith("./") ? l.substring(2) : l);
        }
        List<String> extra = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (!normalized.contains(rel) && !BackupManifest.isOwnFile(rel)) {
                    extra.add(rel);
                }
            });
        }
        Collections.sort(extra);
        return extra;
    }
}
