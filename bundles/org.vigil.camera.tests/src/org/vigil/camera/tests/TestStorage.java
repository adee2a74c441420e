package org.vigil.camera.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.vigil.api.codec.Container;
import org.vigil.api.job.Job;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageStatus;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.api.storage.WriteCheck;

/**
 * A storage service for the recorder's tests: the recordings tree {@code <root>/<camera>/<YYYYMMDD>/<HHMMSS>.ext}
 * in a test folder, a state a test can change, and a log of every segment announced.
 */
final class TestStorage implements StorageService, SegmentListener {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    record Abandoned(String cameraId, Path path, String reason) {
    }

    private final Path root;
    private final Set<Path> reserved = new HashSet<>();
    private final List<Consumer<StorageStatus>> watchers = new CopyOnWriteArrayList<>();
    final List<ClosedSegment> closed = new CopyOnWriteArrayList<>();
    final List<Abandoned> abandoned = new CopyOnWriteArrayList<>();
    private volatile StorageState state = StorageState.READY;
    private volatile String reason = "";

    TestStorage(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    void setState(StorageState s, String why) {
        state = s;
        reason = why;
        StorageStatus st = status();
        for (Consumer<StorageStatus> w : watchers) {
            w.accept(st);
        }
    }

    List<ClosedSegment> closed(String cameraId) {
        List<ClosedSegment> l = new ArrayList<>();
        for (ClosedSegment c : closed) {
            if (c.cameraId().equals(cameraId)) {
                l.add(c);
            }
        }
        return l;
    }

    @Override
    public Path recordingsRoot() {
        return root;
    }

    @Override
    public StorageStatus status() {
        return new StorageStatus(state, reason.isEmpty() ? Optional.empty() : Optional.of(reason), root,
                Optional.empty(), new SpaceInfo(1L << 40, 1L << 39), 0, Instant.now());
    }

    @Override
    public Registration onStatusChange(Consumer<StorageStatus> listener) {
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    int watchers() {
        return watchers.size();
    }

    @Override
    public WriteCheck checkWrite(String cameraId) {
        return new WriteCheck(state.canRecord(), state, reason.isEmpty() ? Optional.empty() : Optional.of(reason),
                1L << 39, Optional.empty());
    }

    @Override
    public synchronized SegmentReservation reserveSegment(String cameraId, Instant start, Container container)
            throws StorageUnavailableException {
        if (!state.canRecord()) {
            throw new StorageUnavailableException(state, reason);
        }
        LocalDateTime t = LocalDateTime.ofInstant(start, ZoneId.systemDefault());
        Path dir = root.resolve(cameraId).resolve(t.format(DAY));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageUnavailableException(StorageState.FAILED, e.getMessage());
        }
        for (int i = 0;; i++) {
            Path p = dir.resolve(t.format(TIME) + (i == 0 ? "" : "-" + i) + "." + container.extension());
            if (!Files.exists(p) && reserved.add(p)) {
                return new SegmentReservation(cameraId, p, root.relativize(p).toString());
            }
        }
    }

    @Override
    public void segmentClosed(ClosedSegment segment) {
        closed.add(segment);
    }

    @Override
    public void segmentAbandoned(String cameraId, Path path, String why) {
        abandoned.add(new Abandoned(cameraId, path, why));
    }

    @Override
    public Job<CheckReport> check(boolean repair) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job<CheckReport> importTree(Path source, boolean move) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job<DeletionReport> delete(DeletionRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int setProtected(SegmentSelection selection, boolean protect) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Job<CheckReport> adoptVolume() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CheckReport> lastCheck() {
        return Optional.empty();
    }
}
