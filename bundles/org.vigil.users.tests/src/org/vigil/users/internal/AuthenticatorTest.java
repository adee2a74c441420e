package org.vigil.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.users.Actor;
import org.vigil.api.users.Authenticator;
import org.vigil.api.users.Authenticator.Accepted;
import org.vigil.api.users.Authenticator.Refused;
import org.vigil.api.users.Authenticator.Throttled;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;

/** Logins from the network: the slow hash once per credentials and minutes, and a throttle per client address. */
class AuthenticatorTest {
    @TempDir
    Path tmp;

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static char[] pw(String s) {
        return s.toCharArray();
    }

    @Test
    void theSlowHashRunsOncePerCredentialsWithinTwoMinutes() throws Exception {
        Moving clock = new Moving();
        AtomicInteger slow = new AtomicInteger();
        User ann = new User("ann", Role.VIEWER, clock.now, clock.now);
        Authentication a = new Authentication((name, password) -> {
            slow.incrementAndGet();
            return name.equals("ann") && new String(password).equals("right password") ? Optional.of(ann)
                    : Optional.empty();
        }, clock);
        for (int i = 0; i < 50; i++) { // a player's range requests
            assertInstanceOf(Accepted.class, a.authenticate("ann", pw("right password"), "192.0.2.1"));
        }
        assertEquals(1, slow.get(), "one slow check for 50 requests");
        assertInstanceOf(Refused.class, a.authenticate("ann", pw("wrong password"), "192.0.2.1"));
        assertEquals(2, slow.get(), "a different password is checked, never taken from the cache");
        clock.now = clock.now.plus(Authentication.CACHE_FOR).plusSeconds(1);
        assertInstanceOf(Accepted.class, a.authenticate("ann", pw("right password"), "192.0.2.1"));
        assertEquals(3, slow.get(), "checked again once the cached answer is older than two minutes");
        a.usersChanged();
        assertInstanceOf(Accepted.class, a.authenticate("ann", pw("right password"), "192.0.2.1"));
        assertEquals(4, slow.get(), "and after any change of users");
    }

    @Test
    void fiveFailuresAMinuteTurnAnAddressAwayForTheRestOfTheMinute() throws Exception {
        Moving clock = new Moving();
        UserServiceImpl users = new UserServiceImpl(tmp.resolve("users.db"), clock);
        try {
            users.add("bob", Role.OPERATOR, pw("bob's password"), Actor.local("root"));
            for (int i = 0; i < Authentication.FAILURES; i++) {
                clock.now = clock.now.plusSeconds(5);
                assertInstanceOf(Refused.class, users.authenticate("bob", pw("guess " + i), "192.0.2.66"));
            }
            clock.now = clock.now.plusSeconds(5);
            Authenticator.Result r = users.authenticate("bob", pw("bob's password"), "192.0.2.66");
            Throttled t = assertInstanceOf(Throttled.class, r, "even the right password is not checked now");
            assertEquals(Duration.ofSeconds(35), t.retryAfter(), "until the first failure (25 s ago) is a minute old");
            assertInstanceOf(Accepted.class, users.authenticate("bob", pw("bob's password"), "192.0.2.7"),
                    "another address is not affected");
            clock.now = clock.now.plusSeconds(35);
            assertInstanceOf(Accepted.class, users.authenticate("bob", pw("bob's password"), "192.0.2.66"),
                    "the address may try again once its failures are older than a minute");
            assertInstanceOf(Refused.class, users.authenticate("nobody", pw("x"), null), "no address is an address");
        } finally {
            users.deactivate();
        }
    }

    @Test
    void aChangedPasswordOrARemovedUserIsNotTakenFromTheCache() throws Exception {
        Moving clock = new Moving();
        UserServiceImpl users = new UserServiceImpl(tmp.resolve("users.db"), clock);
        try {
            users.add("cy", Role.ADMIN, pw("first password"), Actor.local("root"));
            User cy = assertInstanceOf(Accepted.class, users.authenticate("cy", pw("first password"), "::1")).user();
            assertEquals(Role.ADMIN, cy.role());
            users.changePassword("cy", pw("second password"), Actor.local("root"));
            assertInstanceOf(Refused.class, users.authenticate("cy", pw("first password"), "::1"));
            assertInstanceOf(Accepted.class, users.authenticate("cy", pw("second password"), "::1"));
            users.remove("cy", Actor.local("root"));
            assertInstanceOf(Refused.class, users.authenticate("cy", pw("second password"), "::1"));
            char[] given = pw("third password");
            users.authenticate("cy", given, "::1");
            assertTrue(new String(given).chars().allMatch(c -> c == 0), "the caller's password is cleared");
        } finally {
            users.deactivate();
        }
    }
}
