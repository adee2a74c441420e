package org.vigil.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.storage.StoragePlugin;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * Protection kept on the recordings volume too: each day folder with protected recordings holds
 * {@value SegmentPaths#PROTECTED_LIST}, their file names one a line, rewritten atomically whenever protection in that
 * folder changes (and removed when nothing there is protected). A plain file in the folder survives a copy of the
 * tree, a move of the disk and the loss of the catalog; a repair reads it back.
 */
final class ProtectionLists {
    /** A list longer than this is not read (it is not ours): 20 bytes a name, a day of 1-second segments. */
    static final long MAX_BYTES = 4L << 20;

    private ProtectionLists() {
    }

    static void write(StoragePlugin plugin, Path root, String folder, List<String> names) throws IOException {
        String rel = folder + "/" + SegmentPaths.PROTECTED_LIST;
        if (names.isEmpty()) {
            if (plugin.delete(root, rel)) {
                plugin.syncFolder(root, folder);
            }
            return;
        }
        StringBuilder b = new StringBuilder("# Vigil: the recordings of this folder that are protected from retention"
                + " and deletion ('vigil recordings protect').\n# A repair of the catalog reads this list back;"
                + " do not edit it.\n");
        for (String n : names) {
            b.append(n).append('\n');
        }
        plugin.writeAtomically(root, rel, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The relative paths listed in a day folder's list (recording names only); empty when there is none. */
    static List<String> read(StoragePlugin plugin, Path root, String folder) throws IOException {
        String rel = folder + "/" + SegmentPaths.PROTECTED_LIST;
        var stat = plugin.stat(root, rel);
        if (stat.isEmpty() || stat.get().directory() || stat.get().size() > MAX_BYTES) {
            return List.of();
        }
        String text;
        try (FileChannel ch = plugin.openRead(root, rel); InputStream in = Channels.newInputStream(ch)) {
            text = new String(in.readNBytes((int) MAX_BYTES), StandardCharsets.UTF_8);
        }
        List<String> paths = new ArrayList<>();
        for (String line : text.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#") && SegmentPaths.isSegmentName(name)) {
                paths.add(folder + "/" + name);
            }
        }
        return paths;
    }
}
