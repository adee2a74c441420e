package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.platform.DataDirectory;
import org.vigil.core.internal.DataDirectoryException;
import org.vigil.core.internal.DataDirectoryLock;
import org.vigil.core.internal.LockedDataDirectory;

class DataDirectoryTest {

    @InjectService(timeout = 5000)
    DataDirectory running;

    @TempDir
    Path temp;

    @Test
    void theRunningInstanceHoldsItsDirectory() {
        assertTrue(Files.isDirectory(running.root()));
        assertEquals(ProcessHandle.current().pid(), running.lockOwnerPid());
    }

    @Test
    void aSecondUserOfTheSameDirectoryIsRefusedWithTheOwnersPid() {
        DataDirectoryException e = assertThrows(DataDirectoryException.class,
                () -> new LockedDataDirectory(running.root()));
        assertTrue(e.getMessage().contains("in use by another Vigil (PID " + ProcessHandle.current().pid() + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--data"), "says what to do: " + e.getMessage());
    }

    @Test
    void createsAMissingDirectoryOwnerOnlyAndReleasesItsLock() throws Exception {
        Path dir = temp.resolve("nested/vigil");
        LockedDataDirectory first = new LockedDataDirectory(dir);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        assertEquals(PosixFilePermissions.fromString("rwx------"), perms);
        assertTrue(Files.isDirectory(dir.resolve("logs")));
        first.release();
        first.release(); // idempotent
        LockedDataDirectory second = new LockedDataDirectory(dir);
        second.release();
    }

    @Test
    void anUnwritableDirectoryIsRefusedWithASentence() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            // root can write anywhere: a file in place of the directory is the failure to exercise
            Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
            DataDirectoryException e = assertThrows(DataDirectoryException.class, () -> new LockedDataDirectory(file));
            assertTrue(e.getMessage().contains("not a directory") || e.getMessage().contains("cannot"), e.getMessage());
            return;
        }
        Path dir = Files.createDirectory(temp.resolve("ro"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        DataDirectoryException e = assertThrows(DataDirectoryException.class, () -> new LockedDataDirectory(dir));
        assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
    }

    @Test
    void aDirectoryWhoseLockTheLauncherHoldsIsUsedWithoutTouchingTheLock() throws Exception {
        Path dir = temp.resolve("held");
        // the launcher's lock (another class, the same kind of OS lock): held by this process
        DataDirectoryLock launcher = DataDirectoryLock.acquire(dir);
        try {
            long inode = (Long) Files.getAttribute(dir.resolve("lock"), "unix:ino");
            assertTrue(heldInProcLocks(inode), "the lock is held before: " + Files.readString(Path.of("/proc/locks")));
            LockedDataDirectory core = new LockedDataDirectory(dir, true);
            assertEquals(dir, core.root());
            assertEquals(ProcessHandle.current().pid(), core.lockOwnerPid());
            assertTrue(Files.isDirectory(dir.resolve("logs")));
            core.release();
            core.release();
            // closing any channel on the lock file would have dropped the process's POSIX lock: the OS still has it
            assertTrue(heldInProcLocks(inode), "the launcher's lock survives the component: "
                    + Files.readString(Path.of("/proc/locks")));
        } finally {
            launcher.close();
        }
    }

    /** Whether the kernel lists a POSIX lock of this process on the file with {@code inode}. */
    private static boolean heldInProcLocks(long inode) throws java.io.IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] f = line.trim().split("\\s+");
            // 1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF
            if (f.length >= 6 && f[1].equals("POSIX") && f[4].equals(pid) && f[5].endsWith(":" + inode)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void locationFollowsOptionThenEnvironmentThenDefault() {
        assertEquals(Path.of("/srv/a"), LockedDataDirectory.locate("/srv/a", "/srv/b"));
        assertEquals(Path.of("/srv/b"), LockedDataDirectory.locate(null, "/srv/b"));
        assertTrue(LockedDataDirectory.locate(" ", null).endsWith(Path.of("vigil")));
    }
}
