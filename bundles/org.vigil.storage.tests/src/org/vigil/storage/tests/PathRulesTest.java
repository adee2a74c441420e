package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.storage.internal.disk.LocalDiskPlugin;
import org.vigil.storage.internal.disk.SegmentPaths;

/** The local-disk plugin's path rules and file operations, and the layout's names. */
class PathRulesTest {
    private final LocalDiskPlugin plugin = new LocalDiskPlugin();

    @Test
    void hostileCameraIdsAndPathsLeadingOutOfTheRootAreRefused() throws Exception {
        Path root = Files.createDirectories(TestDirs.fresh("paths").resolve("recordings"));
        for (String bad : List.of("../etc/passwd", "/etc/passwd", "cam1/../../x.mp4", "cam1/./x.mp4", "cam1//x.mp4",
                "Cam 1/20261126/x.mp4", "CAM/20261126/x.mp4", "cam1/20261126/x\0.mp4", "cam1\\..\\x.mp4", "..", "")) {
            IOException e = assertThrows(IOException.class, () -> plugin.prepare(root, bad), bad);
            assertFalse(e.getMessage().isBlank());
            assertThrows(IOException.class, () -> plugin.delete(root, bad), bad);
            assertThrows(IOException.class, () -> plugin.resolve(root, bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SegmentPaths.segment("../../etc",
                LocalDateTime.now(), Container.MP4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClosedSegment("a/b", root.resolve("x"),
                Instant.now(), Instant.now(), 0, 0, org.vigil.api.camera.Codec.H264));
        assertFalse(Files.exists(root.getParent().resolve("etc")));
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsNotFollowedForChanges() throws Exception {
        Path base = TestDirs.fresh("paths");
        Path root = Files.createDirectories(base.resolve("recordings"));
        Path outside = Files.createDirectories(base.resolve("outside/20261126"));
        Path victim = Files.writeString(outside.resolve("keep.mp4"), "precious");
        Files.createSymbolicLink(root.resolve("cam1"), base.resolve("outside"));
        IOException e = assertThrows(IOException.class, () -> plugin.delete(root, "cam1/20261126/keep.mp4"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertThrows(IOException.class, () -> plugin.prepare(root, "cam1/20261126/new.mp4"));
        assertTrue(Files.exists(victim), "nothing outside the root was touched");
        TestDirs.deleteTree(base);
    }

    @Test
    void filesAreWrittenDurablyAndFoldersTidied() throws Exception {
        Path base = TestDirs.fresh("paths");
        Path root = base.resolve("recordings");
        Path p = plugin.prepare(root, "cam1/20261126/101500.mp4");
        assertEquals(root.resolve("cam1/20261126/101500.mp4"), p);
        assertTrue(Files.isDirectory(p.getParent()) && !Files.exists(p));
        Files.write(p, new byte[1234]);
        plugin.sync(root, "cam1/20261126/101500.mp4");
        assertEquals(1234, plugin.stat(root, "cam1/20261126/101500.mp4").orElseThrow().size());
        assertEquals(List.of("101500.mp4"), plugin.list(root, "cam1/20261126"));
        assertEquals(List.of(), plugin.list(root, "cam2"));
        plugin.writeAtomically(root, ".vigil-volume", "id=x\n".getBytes());
        assertEquals("id=x\n", Files.readString(root.resolve(".vigil-volume")));
        assertFalse(plugin.deleteFolderIfEmpty(root, "cam1/20261126"), "not empty");
        assertTrue(plugin.delete(root, "cam1/20261126/101500.mp4"));
        assertFalse(plugin.delete(root, "cam1/20261126/101500.mp4"), "already gone");
        assertTrue(plugin.deleteFolderIfEmpty(root, "cam1/20261126"));
        SpaceInfo space = plugin.space(root);
        assertTrue(space.totalBytes() > 0 && space.freeBytes() > 0 && space.freePercent() <= 100);
        assertThrows(IOException.class, () -> plugin.space(base.resolve("missing")));
        TestDirs.deleteTree(base);
    }

    @Test
    void theRecordingsTreeIsForItsOwnerAndGroupOnly() throws Exception {
        Path base = TestDirs.fresh("modes");
        Path root = base.resolve("custom/recordings");
        Path p = plugin.prepare(root, "cam1/20261126/101500.mp4");
        for (Path folder : List.of(base.resolve("custom"), root, root.resolve("cam1"), p.getParent())) {
            assertOwnerAndGroupOnly(folder, "rwx");
        }
        plugin.writeAtomically(root, "cam1/.vigil-protected", "x\n".getBytes());
        assertOwnerAndGroupOnly(root.resolve("cam1/.vigil-protected"), "rw-");
        Path source = Files.writeString(base.resolve("old.mp4"), "old");
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-rw-rw-"));
        plugin.importFile(source, root, "cam2/20261126/090000.mp4", false, () -> false);
        assertOwnerAndGroupOnly(root.resolve("cam2/20261126/090000.mp4"), "rw-");
        assertOwnerAndGroupOnly(root.resolve("cam2/20261126"), "rwx");
        TestDirs.deleteTree(base);
    }

    /**
     * The owner has {@code owner}, other users nothing, the group at most read (and enter): 0750 / 0640 as created,
     * less whatever a stricter umask takes away.
     */
    static void assertOwnerAndGroupOnly(Path p, String owner) throws IOException {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        assertEquals(owner, mode.substring(0, 3), p + " is " + mode);
        assertEquals('-', mode.charAt(4), p + " is " + mode + ": the group must not write");
        assertEquals("---", mode.substring(6), p + " is " + mode + ": other users must have no access");
    }

    @Test
    void namesFollowTheLayoutAndOldNamesAreUnderstood() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 26, 10, 15, 0);
        assertEquals("front/20261126/101500.mp4", SegmentPaths.segment("front", t, Container.MP4, 0));
        assertEquals("front/20261126/101500-2.mkv", SegmentPaths.segment("front", t, Container.MATROSKA, 2));
        SegmentPaths.Parsed p = SegmentPaths.parse("front/20261126/101500-2.mkv").orElseThrow();
        assertEquals(LocalDate.of(2026, 11, 26), p.day());
        assertEquals(Optional.of(t), SegmentPaths.timeFromName(p.day(), p.name()));
        LocalDate d = LocalDate.of(2026, 11, 26);
        assertEquals(Optional.of(t), SegmentPaths.timeFromName(d, "cam1_20261126_101500.mp4"));
        assertEquals(Optional.of(t), SegmentPaths.timeFromName(d, "rec-10-15-00.mp4"));
        assertEquals(Optional.of(LocalDateTime.of(2026, 11, 25, 23, 59, 59)),
                SegmentPaths.timeFromName(d, "2026-11-25_23-59-59.mp4"), "the name's own date wins");
        assertEquals(Optional.empty(), SegmentPaths.timeFromName(d, "clip.mp4"));
        assertTrue(SegmentPaths.parse("front/2026112/101500.mp4").isEmpty());
        assertTrue(SegmentPaths.parse("front/20261126/.101500.mp4.partial").isEmpty());
        assertTrue(SegmentPaths.isTemporary(".101500.mp4.partial"));
        assertTrue(SegmentPaths.parse("front/20261399/101500.mp4").isEmpty(), "no 13th month");
    }
}
