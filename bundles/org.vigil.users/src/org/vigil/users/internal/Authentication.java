package org.vigil.users.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.users.Authenticator.Accepted;
import org.vigil.api.users.Authenticator.Refused;
import org.vigil.api.users.Authenticator.Result;
import org.vigil.api.users.Authenticator.Throttled;
import org.vigil.api.users.User;
import org.vigil.api.users.UsersException;

/**
 * The network side of a login: verified credentials kept for {@link #CACHE_FOR} (a keyed SHA-256 of the password
 * under a random key of this process, never the password), forgotten at once when any user changes; and at most
 * {@link #FAILURES} failed attempts per client address within {@link #WINDOW}, after which that address is answered
 * "try again later" without any check until the window has passed (a success does not reset the count: a valid
 * account must not let an address go on guessing another's password).
 */
final class Authentication {
    static final Duration CACHE_FOR = Duration.ofMinutes(2);
    static final int FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 1000;
    private static final int MAX_ADDRESSES = 10_000;

    interface Verifier {
        Optional<User> verify(String name, char[] password) throws UsersException;
    }

    private record Entry(byte[] digest, Instant until, long generation, User user) {
    }

    private final Verifier verifier;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>();
    private volatile long generation;

    Authentication(Verifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** Every user change: no credentials verified before it are taken any more. */
    void usersChanged() {
        generation++;
        synchronized (cache) {
            cache.clear();
        }
    }

    Result authenticate(String user, char[] password, String address) throws UsersException {
        try {
            Instant now = clock.instant();
            String from = address == null ? "" : address;
            Optional<Duration> wait = throttled(from, now);
            if (wait.isPresent()) {
                return new Throttled(wait.get());
            }
            if (user == null || password == null) {
                failed(from, now);
                return new Refused();
            }
            byte[] digest = digest(user, password);
            long gen = generation;
            synchronized (cache) {
                Entry e = cache.get(user);
                if (e != null && e.generation() == gen && now.isBefore(e.until())
                        && MessageDigest.isEqual(e.digest(), digest)) {
                    return new Accepted(e.user());
                }
            }
            Optional<User> u = verifier.verify(user, Arrays.copyOf(password, password.length));
            if (u.isEmpty()) {
                failed(from, now);
                return new Refused();
            }
            synchronized (cache) {
                if (gen == generation) {
                    cache.put(user, new Entry(digest, now.plus(CACHE_FOR), gen, u.get()));
                    while (cache.size() > MAX_CACHED) {
                        Iterator<String> oldest = cache.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                }
            }
            return new Accepted(u.get());
        } finally {
            PasswordHash.clear(password);
        }
    }

    private Optional<Duration> throttled(String address, Instant now) {
        synchronized (failures) {
            Deque<Instant> d = failures.get(address);
            if (d == null) {
                return Optional.empty();
            }
            while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
                d.pollFirst();
            }
            if (d.size() < FAILURES) {
                return Optional.empty();
            }
            Duration left = Duration.between(now, d.peekFirst().plus(WINDOW));
            return Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1)
                    : Duration.ofSeconds(Math.max(1, (left.toMillis() + 999) / 1000)));
        }
    }

    private void failed(String address, Instant now) {
        synchronized (failures) {
            failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(now);
            if (failures.size() > MAX_ADDRESSES) {
                failures.entrySet().removeIf(e -> e.getValue().isEmpty()
                        || !e.getValue().peekLast().plus(WINDOW).isAfter(now));
            }
        }
    }

    private byte[] digest(String user, char[] password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(key);
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            md.update(bytes);
            Arrays.fill(bytes, (byte) 0);
            if (b.hasArray()) {
                Arrays.fill(b.array(), (byte) 0);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
