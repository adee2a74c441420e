package org.vigil.web.internal;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.web.api.WebApi;

/**
 * The recorder context's error page for every error the container itself answers (a path no servlet takes, a
 * failure before an endpoint ran): one JSON sentence with the status, never Jetty's HTML page or a stack trace.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=4xx",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=5xx",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : resp.getStatus();
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        VigilContext.refuse(resp, status, sentence(status, req));
    }

    static String sentence(int status, HttpServletRequest req) {
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "this path" : org.vigil.web.api.ApiRequest.shown(uri.toString());
        return switch (status) {
            case 400 -> "The request is malformed; check the URL and headers.";
            case 401 -> "This recorder needs a user name and password (HTTP Basic) or a token.";
            case 403 -> "This request is not allowed.";
            case 404 -> "There is nothing at " + path + "; the API is under /api/ (the list is at /api/openapi.json).";
            case 405 -> path + " does not answer this method.";
            case 413 -> "The request is too large.";
            case 414 -> "The URL is too long.";
            case 431 -> "The request's headers are too large.";
            case 503 -> "The recorder cannot answer right now; try again in a moment.";
            default -> status >= 500 ? "The recorder could not answer this request; its log says more."
                    : "The request was refused (HTTP " + status + ").";
        };
    }
}
