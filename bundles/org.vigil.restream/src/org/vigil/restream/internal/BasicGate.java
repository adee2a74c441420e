package org.vigil.restream.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Supplier;

import org.vigil.api.users.Authenticator;
import org.vigil.api.users.UsersException;

/**
 * HTTP-style Basic authentication of an RTSP request ({@code Authorization: Basic base64(user:password)}), checked by
 * the recorder's {@link Authenticator} (the slow hash at most once per credentials in a few minutes, failures
 * throttled per client address). No password or password equivalent is kept here; the decoded password is cleared
 * once checked. Every role may watch live video (viewer and above).
 */
final class BasicGate {
    private static final Logger LOG = System.getLogger(BasicGate.class.getName());

    /** What the request may do. */
    enum Outcome {
        /** Credentials of a user: the request goes on. */
        ACCEPTED,
        /** No, malformed or wrong credentials: 401 with {@code WWW-Authenticate: Basic}. */
        REFUSED,
        /** Too many failures from this address: refused without checking. */
        THROTTLED
    }

    /** The user name and password of a Basic header, or null when it is not one. */
    record Credentials(String user, char[] password) {
    }

    private final Supplier<Authenticator> authenticator;

    BasicGate(Supplier<Authenticator> authenticator) {
        this.authenticator = authenticator;
    }

    /** Decodes {@code Basic <base64 of user:password>}; null when the header is missing or not Basic. */
    static Credentials parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
            char[] all = new char[chars.remaining()];
            chars.get(all);
            Arrays.fill(chars.array(), '\0');
            int colon = -1;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) {
                Arrays.fill(all, '\0');
                return null;
            }
            String user = new String(all, 0, colon);
            char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
            Arrays.fill(all, '\0');
            return new Credentials(user, password);
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Checks the {@code Authorization} header of a request from {@code address}. */
    Outcome check(String header, String address) {
        Credentials c = parse(header);
        if (c == null) {
            return Outcome.REFUSED;
        }
        Authenticator a = authenticator.get();
        if (a == null) {
            Arrays.fill(c.password(), '\0');
            LOG.log(Level.WARNING, "Live re-stream: no user can be checked (the users bundle is not running); the "
                    + "request from {0} is refused.", address);
            return Outcome.REFUSED;
        }
        try {
            Authenticator.Result r = a.authenticate(c.user(), c.password(), address == null ? "unknown" : address);
            if (r instanceof Authenticator.Accepted) {
                return Outcome.ACCEPTED;
            }
            if (r instanceof Authenticator.Throttled t) {
                LOG.log(Level.INFO, "Live re-stream: {0} failed too often; refused for {1} s.", address,
                        t.retryAfter().toSeconds());
                return Outcome.THROTTLED;
            }
            LOG.log(Level.INFO, "Live re-stream: wrong user name or password from {0}.", address);
            return Outcome.REFUSED;
        } catch (UsersException e) {
            LOG.log(Level.WARNING, "Live re-stream: the users cannot be read, the request from {0} is refused: {1}",
                    address, e.getMessage());
            return Outcome.REFUSED;
        } finally {
            Arrays.fill(c.password(), '\0');
        }
    }
}
