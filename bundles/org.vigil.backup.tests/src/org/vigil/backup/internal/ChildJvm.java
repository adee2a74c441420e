package org.vigil.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;

/**
 * Starts {@link ChildBackup} in a JVM of its own. Its class path is made from the classes of the bundles it needs
 * (this one with its test fragment, the API, Gson, JNA with its native library), copied out of the framework.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static Path classPath(Path dir) throws IOException {
        if (Files.exists(dir.resolve("org/vigil/backup/internal/ChildBackup.class"))) {
            return dir;
        }
        for (String name : List.of("org.vigil.backup", "org.vigil.backup.tests", "org.vigil.api", "com.google.gson",
                "com.sun.jna")) {
            Bundle b = TestSupport.bundle(name);
            Enumeration<URL> entries = b.findEntries("/", "*", true);
            while (entries != null && entries.hasMoreElements()) {
                URL u = entries.nextElement();
                String path = u.getPath();
                if (path.endsWith("/") || path.startsWith("/META-INF")) {
                    continue;
                }
                Path target = dir.resolve(path.substring(1));
                Files.createDirectories(target.getParent());
                try (InputStream in = u.openStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    static Process start(Path classPath, Path list, Path dest, Path recordingsRoot) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classPath.toString(),
                ChildBackup.class.getName(), list.toString(), dest.toString(), recordingsRoot.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
