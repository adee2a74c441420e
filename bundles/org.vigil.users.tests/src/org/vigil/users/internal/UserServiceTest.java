package org.vigil.users.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.users.Actor;
import org.vigil.api.users.AuditEntry;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;

/** The users file as the recorder has it: real SQLite files, real PBKDF2 hashes, the DS service of this framework. */
class UserServiceTest {
    private static final Actor ROOT = Actor.local("root");

    @InjectService(timeout = 5000)
    UserService service;

    @InjectService(timeout = 5000)
    AuditLog audit;

    @InjectService(timeout = 5000)
    DataDirectory data;

    @TempDir
    Path tmp;

    private static char[] pw(String s) {
        return s.toCharArray();
    }

    @Test
    void theServiceKeepsUsersInAnOwnerOnlyFileApartFromTheSettings() throws Exception {
        Path file = data.root().resolve("users.db");
        service.add("svc-alice", Role.OPERATOR, pw("correct horse"), ROOT);
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Role.OPERATOR, service.verify("svc-alice", pw("correct horse")).orElseThrow().role());
        assertTrue(audit.since(Instant.EPOCH, 1000).stream().anyMatch(e -> e.action().equals("user.add")
                && e.target().equals("svc-alice")));
        service.remove("svc-alice", ROOT);
    }

    @Test
    void aPasswordIsKeptOnlyAsASaltedSlowHash() throws Exception {
        Path file = tmp.resolve("users.db");
        UserServiceImpl s = new UserServiceImpl(file, Clock.systemUTC());
        try {
            char[] given = pw("same password");
            s.add("ann", Role.ADMIN, given, ROOT);
            assertArrayEquals(new char[given.length], given, "the caller's password is cleared once hashed");
            s.add("ben", Role.VIEWER, pw("same password"), ROOT);
        } finally {
            s.deactivate();
        }
        List<String> hashes = new ArrayList<>();
        try (Connection c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT hash FROM users ORDER BY name")) {
            while (r.next()) {
                hashes.add(r.getString(1));
            }
        }
        assertEquals(2, hashes.size());
        for (String h : hashes) {
            assertTrue(h.startsWith("pbkdf2-sha256$"), h);
            assertTrue(PasswordHash.iterations(h) >= 310_000, h);
            assertFalse(h.contains("same password"), h);
        }
        assertNotEquals(hashes.get(0), hashes.get(1), "each password has its own salt");
        byte[] bytes = Files.readAllBytes(file);
        assertFalse(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("same password"),
                "the password is nowhere in the file");
    }

    @Test
    void verifyTakesTheRightPasswordOnly() throws Exception {
        UserServiceImpl s = new UserServiceImpl(tmp.resolve("users.db"), Clock.systemUTC());
        try {
            s.add("carol", Role.OPERATOR, pw("tr0ub4dor&3"), ROOT);
            assertEquals("carol", s.verify("carol", pw("tr0ub4dor&3")).orElseThrow().name());
            assertTrue(s.verify("carol", pw("tr0ub4dor&4")).isEmpty(), "a wrong password");
            assertTrue(s.verify("carol", pw("")).isEmpty(), "an empty password");
            assertTrue(s.verify("nobody", pw("tr0ub4dor&3")).isEmpty(), "an unknown user");
            assertTrue(s.verify(null, null).isEmpty());

            s.changePassword("carol", pw("a new passphrase"), Actor.local("carol"));
            assertTrue(s.verify("carol", pw("tr0ub4dor&3")).isEmpty(), "the old password no longer works");
            assertTrue(s.verify("carol", pw("a new passphrase")).isPresent());
        } finally {
            s.deactivate();
        }
    }

    @Test
    void badNamesRolesAndPasswordsAreRefusedWithASentence() throws Exception {
        UserServiceImpl s = new UserServiceImpl(tmp.resolve("users.db"), Clock.systemUTC());
        try {
            for (String bad : new String[] { "", "../etc", "Alice", "a b", "x".repeat(33), "-dash", "a\u001b[0m" }) {
                UsersException e = assertThrows(UsersException.class, () -> s.add(bad, Role.VIEWER,
                        pw("long enough"), ROOT), bad);
                assertTrue(e.getMessage().startsWith("A user name is 1 to 32 characters"), e.getMessage());
            }
            UsersException shortPw = assertThrows(UsersException.class, () -> s.add("dan", Role.VIEWER, pw("short"),
                    ROOT));
            assertEquals("A password needs at least 8 characters; nothing was changed.", shortPw.getMessage());
            s.add("dan", Role.VIEWER, pw("long enough"), ROOT);
            UsersException taken = assertThrows(UsersException.class, () -> s.add("dan", Role.ADMIN,
                    pw("other password"), ROOT));
            assertTrue(taken.getMessage().startsWith("There is already a user 'dan'"), taken.getMessage());
            assertEquals(Role.VIEWER, s.find("dan").orElseThrow().role(), "unchanged");
            UsersException none = assertThrows(UsersException.class, () -> s.remove("erin", ROOT));
            assertTrue(none.getMessage().startsWith("There is no user 'erin'"), none.getMessage());
        } finally {
            s.deactivate();
        }
    }

    @Test
    void theLastAdminStaysWhileOthersExist() throws Exception {
        UserServiceImpl s = new UserServiceImpl(tmp.resolve("users.db"), Clock.systemUTC());
        try {
            s.add("root-admin", Role.ADMIN, pw("admin password"), ROOT);
            s.add("viewer1", Role.VIEWER, pw("viewer password"), ROOT);
            assertTrue(s.anyAdmin());
            UsersException demote = assertThrows(UsersException.class, () -> s.changeRole("root-admin",
                    Role.OPERATOR, ROOT));
            assertTrue(demote.getMessage().contains("only admin"), demote.getMessage());
            assertThrows(UsersException.class, () -> s.remove("root-admin", ROOT));
            s.changeRole("viewer1", Role.ADMIN, ROOT);
            s.changeRole("root-admin", Role.VIEWER, ROOT);
            assertEquals(Role.VIEWER, s.find("root-admin").orElseThrow().role());
            s.remove("root-admin", ROOT);
            s.remove("viewer1", ROOT); // the last user of all may go
            assertFalse(s.anyAdmin());
            assertTrue(s.list().isEmpty());
        } finally {
            s.deactivate();
        }
    }

    @Test
    void everyChangeIsInTheAuditLogWithWhoAndFromWhere() throws Exception {
        Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
        UserServiceImpl s = new UserServiceImpl(tmp.resolve("users.db"), Clock.fixed(t0, java.time.ZoneOffset.UTC));
        try {
            Actor api = new Actor("fran", "192.0.2.7");
            s.add("gus", Role.VIEWER, pw("gus password"), ROOT);
            s.changePassword("gus", pw("new gus password"), api);
            s.changeRole("gus", Role.OPERATOR, api);
            s.remove("gus", ROOT);
            assertThrows(UsersException.class, () -> s.add("gus", Role.VIEWER, pw("x"), ROOT));
            s.record(api, "camera.set", "front", "record=off");
            List<AuditEntry> log = s.since(Instant.EPOCH, 100);
            assertEquals(List.of("user.add", "user.passwd", "user.role", "user.remove", "camera.set"),
                    log.stream().map(AuditEntry::action).toList(), "refused changes are not logged");
            assertEquals("root", log.get(0).actor());
            assertEquals("local", log.get(0).from());
            assertEquals("fran", log.get(1).actor());
            assertEquals("192.0.2.7", log.get(1).from());
            assertEquals("viewer -> operator", log.get(2).detail());
            assertEquals(t0, log.get(3).time());
            assertTrue(log.stream().noneMatch(e -> e.detail().contains("password")), "no password in the log");
            assertTrue(s.since(t0.plusSeconds(1), 100).isEmpty());
        } finally {
            s.deactivate();
        }
    }

    @Test
    void aDamagedFileIsLeftAsItIsAndEveryCallSaysWhy() throws Exception {
        Path file = tmp.resolve("users.db");
        UserServiceImpl first = new UserServiceImpl(file, Clock.systemUTC());
        first.add("hal", Role.ADMIN, pw("hal password"), ROOT);
        first.deactivate();
        byte[] content = Files.readAllBytes(file);
        Arrays.fill(content, 0, 100, (byte) 0x55); // the header overwritten
        Files.write(file, content);
        String before = sha256(file);
        UserServiceImpl s = new UserServiceImpl(file, Clock.systemUTC());
        try {
            UsersException e = assertThrows(UsersException.class, s::list);
            assertTrue(e.getMessage().startsWith("The users file " + file), e.getMessage());
            assertTrue(e.getMessage().endsWith("It was left unchanged."), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertThrows(UsersException.class, () -> s.add("ian", Role.ADMIN, pw("ian password"), ROOT));
            assertTrue(assertThrows(UsersException.class, () -> s.verify("hal", pw("hal password"))).getMessage()
                    .startsWith("The users file"), "no one gets in through a damaged file");
        } finally {
            s.deactivate();
        }
        assertEquals(before, sha256(file), "the damaged file is never replaced");
    }

    @Test
    void aFileFromANewerVigilIsRefusedAndKept() throws Exception {
        Path file = tmp.resolve("users.db");
        new UserServiceImpl(file, Clock.systemUTC()).deactivate();
        try (Connection c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        String before = sha256(file);
        UserServiceImpl s = new UserServiceImpl(file, Clock.systemUTC());
        try {
            UsersException e = assertThrows(UsersException.class, s::list);
            assertTrue(e.getMessage().contains("schema version 99, newer than this Vigil understands"),
                    e.getMessage());
        } finally {
            s.deactivate();
        }
        assertEquals(before, sha256(file));
    }

    @Test
    void verifiedUsersCarryTheirRole() throws Exception {
        UserServiceImpl s = new UserServiceImpl(tmp.resolve("users.db"), Clock.systemUTC());
        try {
            s.add("jo", Role.OPERATOR, pw("jo password"), ROOT);
            User u = s.verify("jo", pw("jo password")).orElseThrow();
            assertTrue(u.role().includes(Role.VIEWER));
            assertTrue(u.role().includes(Role.OPERATOR));
            assertFalse(u.role().includes(Role.ADMIN));
        } finally {
            s.deactivate();
        }
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
