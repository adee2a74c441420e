package org.vigil.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.command.CommandException;
import org.vigil.api.users.Role;
import org.vigil.testing.Invocation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code vigil user} and {@code vigil audit} over a real users file. */
class UserCommandTest {
    @TempDir
    Path tmp;

    private UserServiceImpl service;
    private UserCommand user;
    private AuditCommand audit;

    @BeforeEach
    void open() {
        service = new UserServiceImpl(tmp.resolve("users.db"), Clock.systemUTC());
        user = new UserCommand(service);
        audit = new AuditCommand(service);
    }

    @AfterEach
    void close() {
        service.deactivate();
    }

    private Path passwordFile(String password, String mode) throws Exception {
        Path f = tmp.resolve("pw-" + mode);
        Files.writeString(f, password + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private Invocation run(String... args) throws CommandException {
        return Invocation.run(user, false, args);
    }

    @Test
    void addListAndRemoveWithAPasswordFromAnOwnerOnlyFile() throws Exception {
        Path pw = passwordFile("a long passphrase", "rw-------");
        Invocation add = run("add", "kim", "--role", "admin", "--password-file", pw.toString());
        assertEquals(0, add.exitCode);
        assertEquals("Added admin 'kim'.", add.output().strip());
        assertTrue(service.verify("kim", "a long passphrase".toCharArray()).isPresent(), "the first line is the"
                + " password, without its newline");

        Invocation list = run("list");
        assertTrue(list.output().startsWith("kim  admin"), list.output());
        JsonObject json = JsonParser.parseString(Invocation.run(user, true, "list").output()).getAsJsonObject();
        JsonObject kim = json.getAsJsonArray("users").get(0).getAsJsonObject();
        assertEquals("kim", kim.get("name").getAsString());
        assertEquals("admin", kim.get("role").getAsString());
        assertFalse(json.toString().contains("pbkdf2"), "no hash in the list: " + json);

        assertEquals(0, run("remove", "kim").exitCode);
        assertTrue(run("list").output().startsWith("No users yet"), "empty again");
        String log = Invocation.run(audit, false, "--since", "-1h").output();
        assertTrue(log.contains("user.add kim  role admin"), log);
        assertTrue(log.contains("user.remove kim  was admin"), log);
        assertFalse(log.contains("passphrase"), log);
    }

    @Test
    void aPasswordOthersCanReadOrOnTheCommandLineIsRefused() throws Exception {
        Path open = passwordFile("a long passphrase", "rw-r--r--");
        CommandException e = assertThrows(CommandException.class, () -> run("add", "lee", "--role", "viewer",
                "--password-file", open.toString()));
        assertTrue(e.getMessage().contains("can be read or changed by other users"), e.getMessage());
        CommandException missing = assertThrows(CommandException.class, () -> run("add", "lee", "--role",
                "viewer"));
        assertTrue(missing.getMessage().contains("--password-stdin"), missing.getMessage());
        CommandException onLine = assertThrows(CommandException.class, () -> run("add", "lee", "--role", "viewer",
                "--password", "secret123"));
        assertEquals(CommandException.USAGE, onLine.exitCode());
        CommandException role = assertThrows(CommandException.class, () -> run("add", "lee", "--role", "boss",
                "--password-file", passwordFile("a long passphrase", "rw-------").toString()));
        assertEquals("There is no role 'boss'; the roles are admin, operator and viewer.", role.getMessage());
        assertTrue(service.list().isEmpty(), "nothing was added");
    }

    @Test
    void passwdAndRoleChangeTheUser() throws Exception {
        run("add", "max", "--role", "viewer", "--password-file", passwordFile("first password", "rw-------")
                .toString());
        Path second = tmp.resolve("second");
        Files.writeString(second, "second password");
        Files.setPosixFilePermissions(second, PosixFilePermissions.fromString("r--------"));
        assertEquals(0, run("passwd", "max", "--password-file", second.toString()).exitCode);
        assertTrue(service.verify("max", "second password".toCharArray()).isPresent());
        assertTrue(service.verify("max", "first password".toCharArray()).isEmpty());
        assertEquals("'max' is an operator.",
                run("role", "max", "operator").output().strip());
        assertEquals(Role.OPERATOR, service.find("max").orElseThrow().role());
    }

    @Test
    void auditRefusesABadTimeOrLimit() {
        CommandException time = assertThrows(CommandException.class, () -> Invocation.run(audit, false, "--since",
                "whenever"));
        assertTrue(time.getMessage().contains("--since"), time.getMessage());
        CommandException limit = assertThrows(CommandException.class, () -> Invocation.run(audit, false, "--limit",
                "0"));
        assertEquals("--limit takes a whole number from 1 to 100000.", limit.getMessage());
    }
}
