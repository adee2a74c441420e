package org.vigil.web.internal;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

/** Every path under {@code /api/} that no endpoint takes: one JSON sentence, 404, for every method. */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class FallbackServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void get(ApiRequest r) {
        throw missing(r);
    }

    @Override
    protected void post(ApiRequest r) {
        throw missing(r);
    }

    @Override
    protected void put(ApiRequest r) {
        throw missing(r);
    }

    @Override
    protected void patch(ApiRequest r) {
        throw missing(r);
    }

    @Override
    protected void delete(ApiRequest r) {
        throw missing(r);
    }

    private static ApiException missing(ApiRequest r) {
        return ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path())
                + "; the list is at /api/openapi.json.");
    }
}
