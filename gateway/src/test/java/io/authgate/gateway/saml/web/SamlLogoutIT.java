package io.authgate.gateway.saml.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.gateway.saml.idp.IdpJob;
import io.authgate.gateway.saml.idp.IdpOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Single logout by the Redirect binding, with messages from the independent pysaml2 IdP: an IdP's
 * signed LogoutRequest ends the subject's sessions on every gateway process and is answered with a
 * signed LogoutResponse; a forged one changes nothing; the SP-initiated logout ends the session at
 * once, sends the browser to the IdP with a signed LogoutRequest, and the IdP's answer brings it
 * back to the allowed return URL.
 */
class SamlLogoutIT extends SamlEndpointsTestBase {

  private static String bobSession(io.authgate.gateway.GatewayHarness harness) {
    HttpResponse<Buffer> signedIn = post(harness, null, idp.produce(sp, bob()).samlResponse(), null);
    assertThat(signedIn.statusCode()).as(signedIn.bodyAsString()).isEqualTo(303);
    return sessionCookie(signedIn);
  }

  private static int verify(io.authgate.gateway.GatewayHarness harness, String session) {
    return harness.client().get("/v1/verify").putHeader("Cookie", session).send().await().statusCode();
  }

  private static IdpJob partnerLogout(String variant) {
    return IdpJob.of(variant, "bob@partner.example.com")
        .with("idpEntityId", PARTNER)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString())
        .with("sessionIndex", "s-1").with("relayState", "idp-state-1");
  }

  @Test
  void anIdpLogoutRequestEndsTheSubjectsSessionsOnEveryProcess() {
    String first = bobSession(gateway);
    String other = bobSession(second);
    assertThat(verify(gateway, first)).isEqualTo(200);
    assertThat(verify(second, other)).isEqualTo(200);

    IdpOutput request = idp.produce(sp, partnerLogout("logout-request"));
    HttpResponse<Buffer> answer = gateway.client().get("/saml/slo?" + request.query()).send().await();

    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(302);
    URI location = URI.create(answer.getHeader("Location"));
    assertThat(location.toString()).startsWith(PARTNER + "/slo?");
    Map<String, String> query = query(location.getRawQuery());
    assertThat(query).containsKeys("SAMLResponse", "SigAlg", "Signature");
    assertThat(query.get("RelayState")).isEqualTo("idp-state-1");
    assertThat(verify(gateway, first)).isEqualTo(401);
    assertThat(verify(second, other)).isEqualTo(401);
  }

  @Test
  void aLogoutRequestSignedByAnotherKeyChangesNothing() {
    String session = bobSession(gateway);
    IdpJob forged = partnerLogout("logout-request").with("signingKey", idp.foreignKeys().key().toString())
        .with("signingCert", idp.foreignKeys().certificate().toString());
    HttpResponse<Buffer> answer = gateway.client().get("/saml/slo?" + idp.produce(sp, forged).query()).send().await();
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.bodyAsString()).contains("Sign-out failed");
    assertThat(verify(gateway, session)).isEqualTo(200);
    assertThat(gateway.client().get("/saml/slo").send().await().statusCode()).isEqualTo(400);
  }

  @Test
  void spInitiatedLogoutEndsTheSessionAskesTheIdpAndComesBack() {
    String session = bobSession(gateway);
    HttpResponse<Buffer> logout = gateway.client().get("/saml/logout?rd=https%3A%2F%2Fapp.example.com%2Fbye")
        .putHeader("Cookie", session).send().await();

    assertThat(logout.statusCode()).isEqualTo(303);
    URI location = URI.create(logout.getHeader("Location"));
    assertThat(location.toString()).startsWith(PARTNER + "/slo?");
    Map<String, String> query = query(location.getRawQuery());
    assertThat(query).containsKeys("SAMLRequest", "RelayState", "SigAlg", "Signature");
    assertThat(verify(gateway, session)).isEqualTo(401);

    IdpOutput response = idp.produce(sp, partnerLogout("logout-response")
        .with("inResponseTo", query.get("RelayState")).with("relayState", query.get("RelayState")));
    // The RelayState given twice: refused before either copy takes the request it names.
    HttpResponse<Buffer> doubled = gateway.client()
        .get("/saml/slo?" + response.query() + "&RelayState=" + query.get("RelayState")).send().await();
    assertThat(doubled.statusCode()).isEqualTo(303);
    assertThat(doubled.getHeader("Location")).isEqualTo(HOME);
    HttpResponse<Buffer> back = gateway.client().get("/saml/slo?" + response.query()).send().await();
    assertThat(back.statusCode()).isEqualTo(303);
    assertThat(back.getHeader("Location")).isEqualTo("https://app.example.com/bye");
    // Answered once: the same response again goes to the default target only.
    HttpResponse<Buffer> again = gateway.client().get("/saml/slo?" + response.query()).send().await();
    assertThat(again.getHeader("Location")).isEqualTo(HOME);
  }

  @Test
  void logoutWithoutASamlSessionJustEndsItLocally() {
    HttpResponse<Buffer> logout = gateway.client().get("/saml/logout?rd=https%3A%2F%2Fevil.example.net%2F").send().await();
    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.getHeader("Location")).isEqualTo(HOME);
  }
}
