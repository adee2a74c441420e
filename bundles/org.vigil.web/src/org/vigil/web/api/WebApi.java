package org.vigil.web.api;

/** Names shared by the recorder's HTTP server and the bundles that register endpoints in it. */
public final class WebApi {
    /** The name of the recorder's servlet context (authentication, JSON errors). */
    public static final String CONTEXT_NAME = "org.vigil.web";

    /** The whiteboard context selection every Vigil endpoint uses. */
    public static final String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    /** Every endpoint's path starts with this ({@code /metrics} is the one exception, as Prometheus expects). */
    public static final String PREFIX = "/api";

    /** The manifest header naming a bundle's OpenAPI 3 fragment (a path inside the bundle). */
    public static final String OPENAPI_HEADER = "Vigil-OpenAPI";

    /** The request attribute holding the authenticated {@link Caller}. */
    public static final String CALLER_ATTRIBUTE = "org.vigil.web.caller";

    /** The largest request body an endpoint reads unless it says otherwise (1 MiB). */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private WebApi() {
    }
}
