package org.vigil.monitor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The kernel-file fixtures of this test fragment ({@code fixtures/NAME/proc/stat}, ...) copied to a folder, so that
 * the readers, which take a root path, can read them and a test can change them.
 */
final class Fixtures {
    private Fixtures() {
    }

    static Path copy(String name, Path dir) throws IOException {
        Bundle bundle = FrameworkUtil.getBundle(Fixtures.class);
        String prefix = "/fixtures/" + name + "/";
        Enumeration<URL> entries = bundle.findEntries("fixtures/" + name, "*", true);
        if (entries == null) {
            throw new IOException("No fixture " + name + " in " + bundle.getSymbolicName());
        }
        Path root = dir.resolve(name);
        Files.createDirectories(root);
        while (entries.hasMoreElements()) {
            URL url = entries.nextElement();
            String path = URLDecoder.decode(url.getPath(), StandardCharsets.UTF_8);
            int at = path.indexOf(prefix);
            if (at < 0 || path.endsWith("/")) {
                continue;
            }
            Path target = root.resolve(path.substring(at + prefix.length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = url.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return root;
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
