/**
 * The contract between the recorder's HTTP server ({@code org.vigil.web}) and the bundles that own resources
 * (camera, storage, playback, backup, monitor, config), which register their endpoints as HTTP Whiteboard servlets.
 * <p>
 * An owner bundle registers a DS component as a {@code jakarta.servlet.Servlet} service in its
 * {@code internal.web} package, in the recorder's servlet context and under {@code /api/}:
 * <pre>
 * &#64;Component(service = Servlet.class, property = {
 *         HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/api/cameras/*",
 *         HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
 * public final class CamerasServlet extends ApiServlet {
 *     &#64;Override
 *     protected void get(ApiRequest r) throws IOException {
 *         r.caller().require(Role.VIEWER);
 *         r.json(200, Map.of("cameras", ...));
 *     }
 * }
 * </pre>
 * The context authenticates every request before a servlet sees it (HTTP Basic, or a token from
 * {@code POST /api/login}); {@link Caller#of} gives the user, role and address; every endpoint checks the role it
 * needs. Errors are thrown as {@link ApiException} (status and one sentence) and written as JSON
 * {@code {"error": "...", "status": N}}; any other exception becomes a 500 with a sentence, logged, never a stack
 * trace to the client. Changes are written to the audit log ({@link Caller#actor()}). Events for
 * {@code /api/events} (server-sent events) go through the {@link WebEvents} service. Each owner bundle describes its
 * endpoints for {@code /api/openapi.json} in an OpenAPI 3 fragment named by its manifest header
 * {@value WebApi#OPENAPI_HEADER} (a JSON file with {@code paths} and, optionally, {@code components}).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.web.api;
