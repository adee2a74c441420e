package org.vigil.storage.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.vigil.api.camera.Codec;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SegmentState;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.StorageSettings;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.NewSegment;

/**
 * Runs in a separate JVM (see {@link ChildJvm}) and stops in the middle of catalog work, printing {@code MIDWAY}, so
 * that the test can kill it there:
 * <ul>
 * <li>{@code insert DATA ROOT CAMERA N}: catalogues the camera's files in one transaction and stops inside it after
 * {@code N} rows;</li>
 * <li>{@code delete DATA ROOT CAMERA N}: runs a deletion job over the camera and stops after {@code N} files were
 * unlinked, before their folder is synced and their garbage rows are gone.</li>
 * </ul>
 * Not a test class.
 */
public final class CrashDrill {
    private CrashDrill() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[1]);
        Path root = Path.of(args[2]);
        String camera = args[3];
        int n = Integer.parseInt(args[4]);
        if (args[0].equals("insert")) {
            insert(data, root, camera, n);
        } else {
            delete(data, root, camera, n);
        }
    }

    private static void insert(Path data, Path root, String camera, int n) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve(camera))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        CatalogStore store = CatalogStore.open(data.resolve(CatalogStore.FILE_NAME), ZoneId.systemDefault(), root);
        long t = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        store.insert(new AbstractCollection<NewSegment>() {
            @Override
            public Iterator<NewSegment> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        if (i == n) {
                            System.out.println("MIDWAY");
                            System.out.flush();
                            park();
                        }
                        return i < files.size();
                    }

                    @Override
                    public NewSegment next() {
                        Path p = files.get(i++);
                        try {
                            return new NewSegment(camera, t + i * 4000L, t + i * 4000L + 4000, root.relativize(p)
                                    .toString(), Files.size(p), 100, Codec.H264, SegmentState.RECORDED);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                };
            }

            @Override
            public int size() {
                return files.size();
            }
        });
    }

    private static void delete(Path data, Path root, String camera, int n) throws Exception {
        DrillRuntime runtime = new DrillRuntime();
        StorageSettings settings = new StorageSettings(root, new RetentionSettings(0, 0, Duration.ofHours(1), 0, Duration.ofMinutes(10)),
                Duration.ofSeconds(5), ZoneId.systemDefault(), false);
        RecordingStore store = new RecordingStore(data, runtime, runtime, settings);
        store.addPlugin(new DelegatingPlugin() {
            @Override
            void beforeDelete(int count) {
                if (count == n) {
                    System.out.println("MIDWAY");
                    System.out.flush();
                    park();
                }
            }
        }, Map.of());
        store.refreshStatus();
        store.delete(new DeletionRequest(SegmentSelection.of(camera, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")),
                false)).await(Duration.ofMinutes(5));
        System.out.println("FINISHED");
    }

    private static void park() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // wait for the kill
            }
        }
    }
}
