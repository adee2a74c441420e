package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.command.Bytes;

/**
 * The checks before a backup starts and what it will do with each file. Nothing is written except a probe file that
 * proves the destination is writable (removed at once).
 */
final class BackupPlanner {
    /** Room kept free beyond the files: manifests and folder entries. */
    static final long MARGIN_BYTES = 1L << 20;
    private static final long FAT_MAX_FILE = (4L << 30) - 1;

    /** What happens to one selected file. */
    enum Action {
        /** At the destination with a matching checksum (manifest, same size, source unchanged). */
        SKIP,
        /** In the manifest, but the source's time changed: its checksum decides between skip and copy. */
        CHECK_SOURCE,
        /** A file of that name and size is there but not in the manifest (a run killed right after a rename):
         * checksums of both decide. */
        CHECK_BOTH,
        COPY,
        /** Catalogued but not on disk (or unreadable): reported, the rest goes on. */
        SOURCE_MISSING
    }

    record Step(BackupItem item, Path target, Action action, long sourceBytes, long sourceModified,
            Optional<ManifestEntry> entry) {
        /** Bytes this step reads while copying or checking. */
        long workBytes() {
            return switch (action) {
                case SKIP, SOURCE_MISSING -> 0;
                case CHECK_BOTH -> 2 * sourceBytes;
                default -> sourceBytes;
            };
        }
    }

    /** The plan as reported, the steps, and the destination's manifests (when they could be read). */
    record Planned(BackupPlan plan, List<Step> steps, Optional<BackupManifest> manifest) {
    }

    /** How the destination's file system is looked at (a test gives other answers). */
    interface FileSystemProbe {
        /** The file system's type as the system names it: ext4, vfat, exfat, nfs, tmpfs ... */
        String type(Path dir) throws IOException;

        /** Bytes this process may still write there. */
        long usableSpace(Path dir) throws IOException;

        FileSystemProbe SYSTEM = new FileSystemProbe() {
            @Override
            public String type(Path dir) throws IOException {
                return Files.getFileStore(dir).type();
            }

            @Override
            public long usableSpace(Path dir) throws IOException {
                FileStore s = Files.getFileStore(dir);
                return s.getUsableSpace();
            }
        };
    }

    private final Path recordingsRoot;
    private final FileSystemProbe fileSystem;

    BackupPlanner(Path recordingsRoot, FileSystemProbe fileSystem) {
        this.recordingsRoot = recordingsRoot;
        this.fileSystem = fileSystem;
    }

    /** The largest file a file system type can hold, when it has a limit that matters for recordings. */
    static OptionalLong maxFileSize(String fsType) {
        return switch (fsType == null ? "" : fsType.toLowerCase(Locale.ROOT)) {
            case "vfat", "msdos", "fat", "fat32", "umsdos" -> OptionalLong.of(FAT_MAX_FILE);
            default -> OptionalLong.empty();
        };
    }

    Planned plan(BackupRequest request, List<BackupItem> items, String selectionText) {
        Path dest = request.destination().toAbsolutePath().normalize();
        HashAlgorithm alg = request.hash();
        List<String> problems = new ArrayList<>();
        long selectedBytes = items.stream().mapToLong(BackupItem::bytes).sum();
        if (items.isEmpty()) {
            problems.add("Nothing to back up: no recordings match " + selectionText + ".");
        }
        if (!Files.isDirectory(dest)) {
            problems.add(Files.exists(dest) ? "The destination " + dest + " is not a folder; choose a folder."
                    : "The destination " + dest + " does not exist; plug in and mount the drive, or create the"
                            + " folder, then try again.");
            return refused(request, dest, items, selectedBytes, problems);
        }
        if (insideRecordings(dest)) {
            problems.add("The destination " + dest + " is inside the recordings folder " + recordingsRoot
                    + "; a backup must go to another drive or folder.");
            return refused(request, dest, items, selectedBytes, problems);
        }
        String writeProblem = probeWritable(dest);
        if (writeProblem != null) {
            problems.add(writeProblem);
        }
        BackupManifest manifest;
        try {
            manifest = BackupManifest.load(dest);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return refused(request, dest, items, selectedBytes, problems);
        }
        if (manifest.algorithm().isPresent() && manifest.algorithm().get() != alg) {
            HashAlgorithm existing = manifest.algorithm().get();
            problems.add("The destination " + dest + " already holds a backup with " + existing.javaName()
                    + " checksums (" + existing.sumsFile() + "); use --hash " + existing.id()
                    + " to add to it, or choose an empty folder.");
        }
        List<Step> steps = new ArrayList<>(items.size());
        int present = 0;
        int toCopy = 0;
        long bytesToCopy = 0;
        long largest = 0;
        String largestPath = null;
        int tooLarge = 0;
        OptionalLong limit = OptionalLong.empty();
        String fsType = "";
        try {
            fsType = fileSystem.type(dest);
            limit = maxFileSize(fsType);
        } catch (IOException e) {
            // unknown: no limit assumed
        }
        for (BackupItem item : items) {
            Step step;
            try {
                step = classify(item, dest, manifest);
            } catch (IOException e) {
                problems.add("The recording " + item.relativePath() + " cannot be placed in the backup: "
                        + e.getMessage());
                continue;
            }
            steps.add(step);
            if (step.action() == Action.SKIP) {
                present++;
            } else if (step.action() != Action.SOURCE_MISSING) {
                toCopy++;
                bytesToCopy += step.sourceBytes();
                if (limit.isPresent() && step.sourceBytes() > limit.getAsLong()) {
                    tooLarge++;
                    if (step.sourceBytes() > largest) {
                        largest = step.sourceBytes();
                        largestPath = item.relativePath();
                    }
                }
            }
        }
        if (tooLarge > 0) {
            problems.add((tooLarge == 1 ? "1 recording is" : tooLarge + " recordings are") + " larger than the 4 GiB"
                    + " a FAT32 (" + fsType + ") drive can hold in one file (the largest: " + largestPath + ", "
                    + Bytes.text(largest) + "); format the drive as exFAT or ext4, or leave "
                    + (tooLarge == 1 ? "it" : "them") + " out.");
        }
        long free = -1;
        try {
            free = fileSystem.usableSpace(dest);
        } catch (IOException e) {
            // unknown: the copy itself will say when the drive is full
        }
        long needed = bytesToCopy + (toCopy > 0 ? MARGIN_BYTES + 512L * (manifest.size() + items.size()) : 0);
        if (free >= 0 && needed > free) {
            problems.add("The destination " + dest + " has " + Bytes.text(free) + " free but the backup needs "
                    + Bytes.text(needed) + " for " + Units.files(toCopy) + " (" + Bytes.text(bytesToCopy)
                    + " of recordings" + (present > 0 ? "; " + Units.files(present) + " already there" : "")
                    + "); free space on it or use a larger drive.");
        }
        BackupPlan plan = new BackupPlan(dest, alg, items.size(), selectedBytes, present, toCopy, bytesToCopy, free,
                problems);
        if (!problems.isEmpty()) {
            manifest.close();
            return new Planned(plan, steps, Optional.empty());
        }
        return new Planned(plan, steps, Optional.of(manifest));
    }

    private Planned refused(BackupRequest request, Path dest, List<BackupItem> items, long bytes, List<String> problems) {
        BackupPlan plan = new BackupPlan(dest, request.hash(), items.size(), bytes, 0, 0, 0, -1, problems);
        return new Planned(plan, List.of(), Optional.empty());
    }

    private boolean insideRecordings(Path dest) {
        try {
            Path realDest = dest.toRealPath();
            Path realRoot = Files.exists(recordingsRoot) ? recordingsRoot.toRealPath()
                    : recordingsRoot.toAbsolutePath().normalize();
            return realDest.startsWith(realRoot);
        } catch (IOException e) {
            return dest.startsWith(recordingsRoot.toAbsolutePath().normalize());
        }
    }

    private static String probeWritable(Path dest) {
        Path probe = dest.resolve(".vigil-write-test-" + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(probe, new byte[] { 1 });
            Files.delete(probe);
            return null;
        } catch (IOException e) {
            FileCopier.rollBack(probe);
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getMessage() != null && e.getMessage().contains("Read-only") ? "read-only file system"
                            : String.valueOf(e.getMessage());
            return "The destination " + dest + " is not writable (" + why + "); mount the drive writable or choose"
                    + " another folder.";
        }
    }

    /** Where a recording goes under the destination: the same relative path, refused if it would leave it. */
    static Path targetOf(Path dest, String relativePath) throws IOException {
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.contains("\\")) {
            throw new IOException("its path '" + relativePath + "' is not a relative path.");
        }
        for (String part : relativePath.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IOException("its path '" + relativePath + "' has an empty, '.' or '..' part.");
            }
        }
        Path t = dest.resolve(relativePath).normalize();
        if (!t.startsWith(dest) || t.equals(dest) || BackupManifest.isOwnFile(relativePath)) {
            throw new IOException("its path '" + relativePath + "' leads outside the backup folder.");
        }
        return t;
    }

    private static Step classify(BackupItem item, Path dest, BackupManifest manifest) throws IOException {
        Path target = targetOf(dest, item.relativePath());
        BasicFileAttributes src;
        try {
            src = Files.readAttributes(item.source(), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Step(item, target, Action.SOURCE_MISSING, item.bytes(), -1, Optional.empty());
        } catch (IOException e) {
            return new Step(item, target, Action.SOURCE_MISSING, item.bytes(), -1, Optional.empty());
        }
        long size = src.size();
        long modified = src.lastModifiedTime().toMillis();
        Optional<ManifestEntry> entry = manifest.entry(item.relativePath());
        long destSize = -1;
        try {
            BasicFileAttributes d = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            destSize = d.isRegularFile() ? d.size() : -1;
        } catch (IOException absent) {
            // not there
        }
        Action action;
        if (entry.isPresent() && destSize == entry.get().bytes()) {
            if (entry.get().bytes() != size) {
                action = Action.COPY;
            } else if (entry.get().sourceModified() == modified) {
                action = Action.SKIP;
            } else {
                action = Action.CHECK_SOURCE;
            }
        } else if (destSize == size) {
            action = Action.CHECK_BOTH;
        } else {
            action = Action.COPY;
        }
        return new Step(item, target, action, size, modified, entry);
    }
}
