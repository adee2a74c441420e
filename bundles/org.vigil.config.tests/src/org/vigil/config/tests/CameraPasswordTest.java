package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.ConfigStorage;
import org.vigil.testing.Invocation;

/** Camera passwords: given in a file instead of on the command line, and never shown, whatever they contain. */
class CameraPasswordTest {
    @InjectService(filter = "(component.name=org.vigil.config.internal.CameraCommand)", timeout = 10000)
    VigilCommand camera;

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @TempDir
    Path temp;

    /** Before too: the test framework's config.db outlives a run that crashed. */
    @BeforeEach
    @AfterEach
    void removeCameras() throws Exception {
        for (CameraConfig c : settings.cameras()) {
            settings.removeCamera(c.id());
        }
    }

    @Test
    void aPasswordFromAnOwnerOnlyFileIsStoredEncodedAndNeverShown() throws Exception {
        Path file = secret("pw", "Top@Se/cr:et%40\nsecond line ignored\n");
        Invocation add = run("add", "front", "rtsp://admin@127.0.0.1:8554/cam", "--password-file", file.toString());
        assertEquals("Added camera front (front): rtsp://admin:***@127.0.0.1:8554/cam, codec auto, recording on.\n",
                add.output());
        String stored = settings.camera("front").orElseThrow().url();
        assertEquals("rtsp://admin:Top%40Se%2Fcr%3Aet%2540@127.0.0.1:8554/cam", stored);
        assertEquals("admin:Top%40Se%2Fcr%3Aet%2540", new java.net.URI(stored).getRawUserInfo());
        assertEquals("Top@Se/cr:et%40", new java.net.URI(stored).getUserInfo().substring("admin:".length()),
                "the password decodes back to the file's first line");
        for (String out : List.of(run("list").output(), run("show", "front").output())) {
            assertTrue(out.contains("rtsp://admin:***@127.0.0.1:8554/cam"), out);
            assertFalse(out.contains("Top") || out.contains("cr") && out.contains("et%"), out);
        }

        Path next = secret("pw2", "n3w");
        assertEquals("Changed camera front: password.\n",
                run("set", "front", "--password-file", next.toString()).output());
        assertEquals("rtsp://admin:n3w@127.0.0.1:8554/cam", settings.camera("front").orElseThrow().url(),
                "the file replaces the stored password");
    }

    @Test
    void aPasswordFileOthersCanReadOrThatIsNotAFileIsRefused() throws Exception {
        Path open = secret("open", "pw");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), secret("target", "pw"));
        Path empty = secret("empty", "");
        Path good = secret("good", "pw");
        String[][] cases = {
                { "rtsp://admin@h/s", open.toString(), "The password file " + open + " can be read or changed by other"
                        + " users; make it yours only ('chmod 600 " + open + "') and try again. Nothing was changed." },
                { "rtsp://admin@h/s", link.toString(), "The password file " + link + " is not a regular file" },
                { "rtsp://admin@h/s", "/dev/zero", "The password file /dev/zero is not a regular file" },
                { "rtsp://admin@h/s", temp.resolve("none").toString(), "The password file " + temp.resolve("none")
                        + " does not exist; nothing was changed." },
                { "rtsp://admin@h/s", empty.toString(), "The password file " + empty + " is empty;" },
                { "rtsp://h/s", good.toString(), "--password-file needs the user name in the main URL, such as"
                        + " rtsp://admin@host/stream; nothing was changed." },
                { "rtsp://admin:pw@h/s", good.toString(), "The main URL already holds a password; give it either in"
                        + " the URL or with --password-file, not both." } };
        for (String[] c : cases) {
            try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
                CommandException e = assertThrows(CommandException.class, () -> camera.execute(Invocation.of("add",
                        "front", c[0], "--password-file", c[1])));
                assertTrue(e.getMessage().startsWith(c[2]), e.getMessage());
                assertEquals(0, writes.totalChanges(), "nothing was written");
            }
        }
        assertTrue(settings.cameras().isEmpty());
    }

    @Test
    void aPasswordIsMaskedWhateverItContains() {
        String[][] cases = {
                { "rtsp://admin:ss@w0rd@127.0.0.1:8554/x", "rtsp://admin:***@127.0.0.1:8554/x" },
                { "rtsp://admin:p/ss@h/x", "rtsp://admin:***@h/x" },
                { "rtsp://admin:a:b:c@h:554/x", "rtsp://admin:***@h:554/x" },
                { "rtsp://admin:p%40ss@h/x", "rtsp://admin:***@h/x" },
                { "rtsp://admin:@@@@h/x", "rtsp://admin:***@h/x" },
                { "rtsps://admin:x@y/z@h/x", "rtsps://admin:***@h/x" },
                { "rtsp://admin@h/x", "rtsp://admin@h/x" },
                { "rtsp://h:554/x", "rtsp://h:554/x" },
                { "rtsp://h/x?a=1", "rtsp://h/x?a=1" } };
        for (String[] c : cases) {
            assertEquals(c[1], CameraUrls.mask(c[0]), c[0]);
        }
    }

    @Test
    void aRefusedUrlNeverShowsItsPassword() throws Exception {
        for (String url : List.of("rtsp://admin:ss@w0rd@h:99999/x", "rtsp://admin:p/ss@h/x", "rtsp://admin:ss@w0rd@h/x")) {
            CommandException e = assertThrows(CommandException.class,
                    () -> camera.execute(Invocation.of("add", "front", url)));
            assertFalse(e.getMessage().contains("w0rd") || e.getMessage().contains("p/ss"), e.getMessage());
            assertTrue(e.getMessage().contains("rtsp://admin:***@h"), e.getMessage());
        }
        assertTrue(settings.cameras().isEmpty());
    }

    private Path secret(String name, String text) throws Exception {
        Path file = Files.createFile(temp.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
        return file;
    }

    private Invocation run(String... args) throws Exception {
        Invocation inv = Invocation.of(args);
        assertEquals(0, camera.execute(inv), inv.errors());
        return inv;
    }
}
