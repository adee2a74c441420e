package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.vigil.api.backup.HashAlgorithm;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The manifests at a backup's root and the journal that makes a backup resumable.
 * <ul>
 * <li>{@code SHA256SUMS} / {@code MD5SUMS}: what {@code sha256sum -c} checks, on any machine.</li>
 * <li>{@code manifest.json}: per file camera, start, end, bytes, checksum, who copied it and when, when it was last
 * verified; per run who ran it, when, what was selected and what happened.</li>
 * <li>{@code .vigil-backup-journal}: one JSON line per file committed by the run in progress, synced each time. After
 * a crash or an unplugged drive the next run reads it, so nothing committed is copied again. It is folded into the
 * manifests and removed when a run ends.</li>
 * </ul>
 * Both manifests are replaced atomically (temporary file, sync, rename, folder sync).
 */
final class BackupManifest implements AutoCloseable {
    static final String MANIFEST = "manifest.json";
    static final String JOURNAL = ".vigil-backup-journal";
    static final String FORMAT = "vigil-backup/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    private final Path root;
    private final Optional<HashAlgorithm> algorithm;
    private final Map<String, ManifestEntry> entries = new TreeMap<>();
    /** Lines of an existing checksum list that the manifest does not describe (kept as they are). */
    private final Map<String, String> foreignSums = new TreeMap<>();
    private final Set<String> removed = new HashSet<>();
    private final JsonArray runs;
    private final Optional<Instant> created;
    private FileChannel journal;

    private BackupManifest(Path root, Optional<HashAlgorithm> algorithm, JsonArray runs, Optional<Instant> created) {
        this.root = root;
        this.algorithm = algorithm;
        this.runs = runs;
        this.created = created;
    }

    /** The names at a backup's root that belong to the backup itself, not to the files backed up. */
    static boolean isOwnFile(String relativePath) {
        return relativePath.equals(MANIFEST) || relativePath.equals(JOURNAL)
                || relativePath.equals(HashAlgorithm.SHA256.sumsFile())
                || relativePath.equals(HashAlgorithm.MD5.sumsFile())
                || (relativePath.startsWith(".") && relativePath.endsWith(".tmp") && relativePath.indexOf('/') < 0);
    }

    /**
     * Reads what a destination holds: {@code manifest.json}, the journal of an interrupted run, and the checksum
     * list (lines the manifest does not describe are kept).
     *
     * @throws IOException when a manifest cannot be read, or the destination mixes checksum kinds
     */
    static BackupManifest load(Path root) throws IOException {
        Path manifestFile = root.resolve(MANIFEST);
        Optional<HashAlgorithm> alg = Optional.empty();
        JsonArray runs = new JsonArray();
        Optional<Instant> created = Optional.empty();
        List<JsonObject> files = new ArrayList<>();
        if (Files.isRegularFile(manifestFile)) {
            JsonObject m;
            try {
                m = JsonParser.parseString(Files.readString(manifestFile, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw new IOException("The backup manifest " + manifestFile + " is damaged (" + e.getMessage()
                        + "); move it away to start a new backup in this folder, or choose another folder.");
            }
            alg = HashAlgorithm.parse(string(m, "hash"));
            if (m.has("runs") && m.get("runs").isJsonArray()) {
                runs = m.getAsJsonArray("runs");
            }
            created = Optional.ofNullable(string(m, "created")).map(Instant::parse);
            if (m.has("files") && m.get("files").isJsonArray()) {
                for (JsonElement f : m.getAsJsonArray("files")) {
                    files.add(f.getAsJsonObject());
                }
            }
        }
        boolean sha = Files.exists(root.resolve(HashAlgorithm.SHA256.sumsFile()));
        boolean md5 = Files.exists(root.resolve(HashAlgorithm.MD5.sumsFile()));
        if (alg.isEmpty() && sha != md5) {
            alg = Optional.of(sha ? HashAlgorithm.SHA256 : HashAlgorithm.MD5);
        }
        if (sha && md5) {
            throw new IOException("The folder " + root + " holds both SHA256SUMS and MD5SUMS; Vigil keeps one"
                    + " checksum kind per backup: choose another folder.");
        }
        List<JsonObject> journalLines = new ArrayList<>();
        Path journalFile = root.resolve(JOURNAL);
        if (Files.isRegularFile(journalFile)) {
            for (String line : Files.readAllLines(journalFile, StandardCharsets.UTF_8)) {
                try {
                    journalLines.add(JsonParser.parseString(line).getAsJsonObject());
                } catch (RuntimeException torn) {
                    // the last line of a run that was killed while writing it: that file is checked again
                }
            }
        }
        if (alg.isEmpty() && !journalLines.isEmpty()) {
            alg = HashAlgorithm.parse(string(journalLines.get(0), "alg"));
        }
        BackupManifest result = new BackupManifest(root, alg, runs, created);
        for (JsonObject f : files) {
            result.add(f);
        }
        for (JsonObject f : journalLines) {
            if (alg.map(a -> a.id().equals(string(f, "alg"))).orElse(false)) {
                result.add(f);
            }
        }
        if (result.algorithm.isPresent()) {
            Path sums = root.resolve(result.algorithm.get().sumsFile());
            if (Files.isRegularFile(sums)) {
                for (Map.Entry<String, String> e : SumsFile.read(sums, result.algorithm.get()).hashByPath()
                        .entrySet()) {
                    if (!result.entries.containsKey(e.getKey())) {
                        result.foreignSums.put(e.getKey(), e.getValue());
                    }
                }
            }
        }
        return result;
    }

    private void add(JsonObject f) {
        try {
            ManifestEntry e = entryOf(f);
            entries.put(e.path(), e);
        } catch (RuntimeException incomplete) {
            // an entry without its fields: the file is checked again as if unknown
        }
    }

    /** The checksum kind of an existing backup; empty for a new one. */
    Optional<HashAlgorithm> algorithm() {
        return algorithm;
    }

    Optional<ManifestEntry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /** A checksum the list holds for a path the manifest does not describe. */
    Optional<String> foreignHash(String path) {
        return Optional.ofNullable(foreignSums.get(path));
    }

    Collection<ManifestEntry> entries() {
        return entries.values();
    }

    int size() {
        return entries.size() + foreignSums.size();
    }

    /** Records a committed (or re-verified) file, durably: one synced line of the journal. */
    void record(ManifestEntry entry, HashAlgorithm alg) throws IOException {
        entries.put(entry.path(), entry);
        removed.remove(entry.path());
        foreignSums.remove(entry.path());
        if (journal == null) {
            journal = FileChannel.open(root.resolve(JOURNAL), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            Folders.sync(root);
        }
        JsonObject o = json(entry, alg);
        o.addProperty("alg", alg.id());
        ByteBuffer line = ByteBuffer.wrap((LINE.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            journal.write(line);
        }
        journal.force(false);
    }

    /** Forgets a file (a copy that failed verification and was removed). */
    void forget(String path) {
        entries.remove(path);
        foreignSums.remove(path);
        removed.add(path);
    }

    /**
     * Writes both manifests atomically with this run added, then removes the journal.
     *
     * @param run the run's record (who, when, selection, outcome)
     */
    void write(HashAlgorithm alg, JsonObject run, Instant now) throws IOException {
        closeJournal();
        Map<String, String> sums = new LinkedHashMap<>(foreignSums);
        removed.forEach(sums::remove);
        JsonArray files = new JsonArray();
        for (ManifestEntry e : entries.values()) {
            sums.put(e.path(), e.hash());
            files.add(json(e, alg));
        }
        writeAtomically(alg.sumsFile(), SumsFile.render(sums));
        JsonObject m = new JsonObject();
        m.addProperty("format", FORMAT);
        m.addProperty("hash", alg.id());
        m.addProperty("sums", alg.sumsFile());
        m.addProperty("created", created.orElse(now).toString());
        m.addProperty("updated", now.toString());
        m.addProperty("files_count", entries.size());
        m.addProperty("bytes", entries.values().stream().mapToLong(ManifestEntry::bytes).sum());
        JsonArray allRuns = runs.deepCopy();
        allRuns.add(run);
        m.add("runs", allRuns);
        m.add("files", files);
        writeAtomically(MANIFEST, (GSON.toJson(m) + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            Files.deleteIfExists(root.resolve(JOURNAL));
            Folders.sync(root);
        } catch (NoSuchFileException gone) {
            // nothing to remove
        }
    }

    private void writeAtomically(String name, byte[] content) throws IOException {
        Path tmp = root.resolve("." + name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            FileCopier.rollBack(tmp);
            throw e;
        }
        Files.move(tmp, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Folders.sync(root);
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // the lines written were synced one by one
            }
            journal = null;
        }
    }

    @Override
    public void close() {
        closeJournal();
    }

    private static JsonObject json(ManifestEntry e, HashAlgorithm alg) {
        JsonObject o = new JsonObject();
        o.addProperty("path", e.path());
        o.addProperty("camera", e.camera());
        o.addProperty("start", e.start().toString());
        o.addProperty("end", e.end().toString());
        o.addProperty("bytes", e.bytes());
        o.addProperty(alg.id(), e.hash());
        o.addProperty("copied", e.copied().toString());
        o.addProperty("copied_by", e.copiedBy());
        e.verified().ifPresent(v -> o.addProperty("verified", v.toString()));
        o.addProperty("source_modified_ms", e.sourceModified());
        return o;
    }

    private ManifestEntry entryOf(JsonObject f) {
        String hashKey = algorithm.map(HashAlgorithm::id).orElse(HashAlgorithm.SHA256.id());
        return new ManifestEntry(f.get("path").getAsString(), f.get("camera").getAsString(),
                Instant.parse(f.get("start").getAsString()), Instant.parse(f.get("end").getAsString()),
                f.get("bytes").getAsLong(), f.get(hashKey).getAsString(),
                f.has("source_modified_ms") ? f.get("source_modified_ms").getAsLong() : -1,
                Instant.parse(f.get("copied").getAsString()), string(f, "copied_by") == null ? "" : string(f, "copied_by"),
                Optional.ofNullable(string(f, "verified")).map(Instant::parse));
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
