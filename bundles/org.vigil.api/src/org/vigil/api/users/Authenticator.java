package org.vigil.api.users;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks the credentials a network client sends (HTTP Basic, RTSP Basic, a login form), for the servers of the
 * recorder's API: the slow hash at most once per user and password within a few minutes (a player makes many range
 * requests, and a slow hash per request is a denial of service on a Raspberry Pi), and a client address that keeps
 * failing is turned away for a while without checking anything.
 *
 * @since 1.1
 */
@ProviderType
public interface Authenticator {
    /** The answer to one attempt. */
    sealed interface Result permits Accepted, Refused, Throttled {
    }

    /** The credentials are a user's: who, with what role. */
    record Accepted(User user) implements Result {
    }

    /** Wrong name or password (which of the two is never said). */
    record Refused() implements Result {
    }

    /** Too many failures from this address: try again after {@code retryAfter} (HTTP 429 with Retry-After). */
    record Throttled(Duration retryAfter) implements Result {
    }

    /**
     * Checks {@code password} (cleared before this returns) for {@code user}, coming from {@code clientAddress} (an
     * IP address as text; the throttle counts per address).
     */
    Result authenticate(String user, char[] password, String clientAddress) throws UsersException;
}
