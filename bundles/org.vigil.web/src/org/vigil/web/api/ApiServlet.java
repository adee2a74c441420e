package org.vigil.web.api;

import java.io.IOException;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The base of every Vigil endpoint: dispatches by method to {@link #get}, {@link #post}, {@link #put},
 * {@link #delete} (405 for the others), and turns every failure into one JSON error: an {@link ApiException} as its
 * status and sentence, anything else as a 500 whose sentence names no internals (the cause goes to the recorder's
 * log). A client that went away is not an error.
 */
public abstract class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequest r = new ApiRequest(req, resp);
        try {
            switch (req.getMethod().toUpperCase(Locale.ROOT)) {
                case "GET" -> get(r);
                case "HEAD" -> head(r);
                case "POST" -> post(r);
                case "PUT" -> put(r);
                case "PATCH" -> patch(r);
                case "DELETE" -> delete(r);
                default -> throw ApiException.methodNotAllowed(req.getMethod(), r.path());
            }
        } catch (ApiException e) {
            r.error(e.status(), e.getMessage());
        } catch (IOException e) {
            if (r.committed()) {
                return; // the client went away while reading an answer
            }
            LOG.log(Level.WARNING, "The API request " + req.getMethod() + " " + r.path() + " failed", e);
            r.error(500, "The recorder could not answer this request (" + e.getClass().getSimpleName()
                    + "); its log says more.");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The API request " + req.getMethod() + " " + r.path() + " failed", e);
            r.error(500, "The recorder could not answer this request; its log says more.");
        }
    }

    protected void get(ApiRequest r) throws IOException {
        throw ApiException.methodNotAllowed("GET", r.path());
    }

    /** HEAD answers like GET without a body unless overridden. */
    protected void head(ApiRequest r) throws IOException {
        r.withoutBody();
        get(r);
    }

    protected void post(ApiRequest r) throws IOException {
        throw ApiException.methodNotAllowed("POST", r.path());
    }

    protected void put(ApiRequest r) throws IOException {
        throw ApiException.methodNotAllowed("PUT", r.path());
    }

    protected void patch(ApiRequest r) throws IOException {
        throw ApiException.methodNotAllowed("PATCH", r.path());
    }

    protected void delete(ApiRequest r) throws IOException {
        throw ApiException.methodNotAllowed("DELETE", r.path());
    }
}
