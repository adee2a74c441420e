package org.vigil.storage.internal;

import java.io.IOException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.vigil.api.camera.CameraId;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * Discovery of the recordings tree {@code <camera>/<YYYYMMDD>/<file>}: folder listings only (names, as {@code readdir}
 * gives them), never a read or a stat per file; the layout says which entries are folders.
 */
public final class TreeListing {
    private TreeListing() {
    }

    /** The recordings of one day folder ({@code camera/YYYYMMDD}), as names in directory order. */
    public record DayListing(String folder, List<String> names) {
    }

    /**
     * One camera's folder: its recordings by day, empty day folders, temporary files, what was ignored. Paths are not
     * built per file here (a cold JVM pays for every string): {@link #files()} does it when someone needs them.
     */
    public record CameraListing(String camera, List<DayListing> days, List<String> emptyDays, List<String> temporary,
            List<String> ignored) {
        public int fileCount() {
            int n = 0;
            for (DayListing d : days) {
                n += d.names().size();
            }
            return n;
        }

        /** Relative paths of every recording. */
        public List<String> files() {
            List<String> files = new ArrayList<>(fileCount());
            for (DayListing d : days) {
                String prefix = d.folder() + "/";
                for (String n : d.names()) {
                    files.add(prefix.concat(n));
                }
            }
            return files;
        }
    }

    /** Camera folders in the root (sorted); anything else that is not hidden goes to {@code ignored}. */
    public static List<String> cameras(StoragePlugin plugin, Path root, List<String> ignored) throws IOException {
        List<String> cameras = new ArrayList<>();
        for (String name : plugin.list(root, "")) {
            if (name.startsWith(".")) {
                continue;
            }
            if (CameraId.isValid(name)) {
                cameras.add(name);
            } else {
                ignored.add("ignored '" + name + "' in the recordings root: not a camera folder (camera ids use a-z,"
                        + " 0-9, '_' and '-')");
            }
        }
        Collections.sort(cameras);
        return cameras;
    }

    public static CameraListing camera(StoragePlugin plugin, Path root, String camera) throws IOException {
        List<DayListing> listed = new ArrayList<>();
        List<String> emptyDays = new ArrayList<>();
        List<String> temporary = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<String> days;
        try {
            days = new ArrayList<>(plugin.list(root, camera));
        } catch (NotDirectoryException e) {
            ignored.add("ignored '" + camera + "' in the recordings root: a file, not a camera folder");
            days = List.of();
        }
        Collections.sort(days);
        for (String day : days) {
            String dayPath = camera + "/" + day;
            if (!SegmentPaths.isDayFolder(day)) {
                ignored.add("ignored " + dayPath + ": not a day folder (YYYYMMDD)");
                continue;
            }
            List<String> names;
            try {
                names = plugin.list(root, dayPath);
            } catch (NotDirectoryException e) {
                ignored.add("ignored " + dayPath + ": a file, not a day folder");
                continue;
            }
            if (names.isEmpty()) {
                emptyDays.add(dayPath);
                continue;
            }
            List<String> recordings = new ArrayList<>(names.size());
            for (String n : names) {
                if (SegmentPaths.isSegmentName(n)) {
                    recordings.add(n);
                } else if (n.equals(SegmentPaths.PROTECTED_LIST)) {
                    continue; // read by the check when it restores protections
                } else if (SegmentPaths.isTemporary(n)) {
                    temporary.add(dayPath + "/" + n);
                } else {
                    ignored.add("ignored " + dayPath + "/" + n + ": not a recording");
                }
            }
            listed.add(new DayListing(dayPath, recordings));
        }
        return new CameraListing(camera, listed, emptyDays, temporary, ignored);
    }
}
