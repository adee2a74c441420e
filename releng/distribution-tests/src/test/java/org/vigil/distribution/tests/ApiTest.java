package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14: the recorder's HTTPS API as curl uses it: the certificate that 'vigil api status' names, HTTP Basic
 * for each role, JSON errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    private ApiRecorder api;

    @BeforeAll
    void start() throws Exception {
        api = ApiRecorder.start(Files.createTempDirectory("vigil-api-"));
    }

    @AfterAll
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void eachRoleIsToldWhoItIs() throws Exception {
        for (String user : new String[] {ApiRecorder.ADMIN, ApiRecorder.OPERATOR, ApiRecorder.VIEWER}) {
            ApiRecorder.Response r = api.curl(user, "/api/me");
            assertEquals(200, r.status(), r.toString());
            assertEquals(user, r.object().get("user").getAsString(), r.toString());
            assertEquals(user, r.object().get("role").getAsString(), r.toString());
            assertEquals("127.0.0.1", r.object().get("address").getAsString(), r.toString());
        }
    }

    @Test
    void withoutCredentialsTheAnswerIs401WithASentence() throws Exception {
        ApiRecorder.Response r = api.curl(null, "/api/me");
        assertEquals(401, r.status(), r.toString());
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic"), r.toString());
        assertTrue(r.error().contains("user name and password"), r.toString());
        ApiRecorder.Response wrong = api.curlAs(ApiRecorder.VIEWER + ":not-the-password", "/api/me");
        assertEquals(401, wrong.status(), wrong.toString());
        assertFalse(wrong.body().contains("Exception"), wrong.toString());
    }

    @Test
    void statusShowsTheFingerprintOfTheCertificateServed() throws Exception {
        Vigil.Result r = api.vigil("api", "status");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains(api.base() + "/api/"), r.all());
        assertTrue(r.out().contains(api.fingerprint()), r.all());
        assertNotNull(api.cacert());
        assertTrue(Files.size(api.cacert()) > 0);
        // and the recorder said so in its log too
        assertTrue(api.output().contains(api.fingerprint()), api.output());
    }

    @Test
    void anUnknownPathIsAJson404() throws Exception {
        ApiRecorder.Response r = api.curl(ApiRecorder.ADMIN, "/api/no/such/thing");
        assertEquals(404, r.status(), r.toString());
        assertTrue(r.error().contains("/api/no/such/thing"), r.toString());
    }
}
