package org.vigil.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.vigil.api.config.ApiSettings;
import org.vigil.api.users.User;

/**
 * The API's tokens ({@code POST /api/login}): 256 random bits each, given to the client once and kept here only as
 * their SHA-256 (a memory dump or a log never holds one that works), valid for {@code api.tokenMinutes}. A token
 * remembers the user's role and password time when it was issued; {@link VigilContext} compares them with the user
 * as it is now on every request, so a token ends as soon as its user is removed, the password changes or the role
 * changes, whoever made the change (the API or {@code vigil user} on the recorder's machine). Tokens live only in
 * memory: a restart ends them all.
 */
@Component(service = Tokens.class, configurationPid = ApiSettings.PID)
public final class Tokens {
    /** At most this many live tokens (the oldest ends first): memory a client cannot exhaust by logging in. */
    static final int MAX = 10_000;

    /** What a token stands for. */
    record Grant(String user, User issuedFor, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> byHash = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Duration lifetime;

    @Activate
    public Tokens(ApiSettings settings) {
        this(Clock.systemUTC(), settings.tokenMinutes());
    }

    Tokens(Clock clock, int minutes) {
        this.clock = clock;
        this.lifetime = Duration.ofMinutes(Math.max(1, minutes));
    }

    @Modified
    void modified(ApiSettings settings) {
        lifetime = Duration.ofMinutes(Math.max(1, settings.tokenMinutes()));
    }

    /** A new token for {@code user} (returned once, never kept), and when it expires. */
    synchronized Map.Entry<String, Grant> issue(User user) {
        Instant now = clock.instant();
        byHash.values().removeIf(g -> !g.expires().isAfter(now));
        while (byHash.size() >= MAX) {
            Iterator<Map.Entry<String, Grant>> it = byHash.entrySet().iterator();
            Map.Entry<String, Grant> oldest = it.next();
            for (Map.Entry<String, Grant> e : byHash.entrySet()) {
                if (e.getValue().expires().isBefore(oldest.getValue().expires())) {
                    oldest = e;
                }
            }
            byHash.remove(oldest.getKey());
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Grant g = new Grant(user.name(), user, now.plus(lifetime));
        byHash.put(hash(token), g);
        return Map.entry(token, g);
    }

    /** The grant of {@code token} while it is valid (not expired, not ended). */
    Optional<Grant> find(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        String h = hash(token);
        Grant g = byHash.get(h);
        if (g == null) {
            return Optional.empty();
        }
        if (!g.expires().isAfter(clock.instant())) {
            byHash.remove(h);
            return Optional.empty();
        }
        return Optional.of(g);
    }

    /** Ends {@code token}; true when it was valid. */
    boolean end(String token) {
        return token != null && byHash.remove(hash(token)) != null;
    }

    /** Ends every token of {@code user}. */
    void endAll(String user) {
        byHash.values().removeIf(g -> g.user().equals(user));
    }

    int size() {
        return byHash.size();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
