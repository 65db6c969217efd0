package io.authgate.gateway.saml.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AttributeMapping;
import io.authgate.core.crypto.MasterKeys;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.events.Addresses;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.IdpRecord;
import io.authgate.core.idps.IdpSettings;
import io.authgate.core.idps.PemKeys;
import io.authgate.core.idps.SpKeyStore;
import io.authgate.gateway.GatewayHarness;
import io.authgate.gateway.saml.SpCredentials;
import io.authgate.gateway.saml.idp.IdpJob;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.opensaml.security.x509.BasicX509Credential;
import org.junit.jupiter.api.Test;

/**
 * Identity providers managed through the admin API reach running gateways without a restart: a
 * row in the store plus the change event (as the admin API sends it, through Redis) makes the
 * second gateway process offer the new IdP (button, {@code /saml/{idp}/login}, ACS); disabling it
 * makes both stop at once. Both gateways share the SP keys the store keeps, and switch together
 * when they are replaced.
 */
class SamlLiveReloadIT extends SamlEndpointsTestBase {
  private static final String NEWCO = "https://newco.test.example/metadata";

  private static Pool store() {
    return gateway.services().platform().store().orElseThrow();
  }

  private static void announce(String slug) {
    gateway.services().platform().broadcaster().publish(Addresses.IDPS_CHANGED, slug).await();
  }

  private static HttpResponse<Buffer> await(GatewayHarness harness, String path,
                                            Predicate<HttpResponse<Buffer>> until) throws InterruptedException {
    HttpResponse<Buffer> response = null;
    for (int i = 0; i < 100; i++) {
      response = harness.client().get(path).send().await();
      if (until.test(response)) {
        return response;
      }
      Thread.sleep(100);
    }
    return response;
  }

  private static IdpJob carol(String requestId) {
    return IdpJob.of("valid-signed-assertion", "carol@newco.example.com")
        .withAttribute("email", "carol@newco.example.com")
        .withInResponseTo(requestId)
        .with("idpEntityId", NEWCO)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString());
  }

  @Test
  void anIdpAddedThroughTheStoreWorksOnEveryGatewayAndStopsWhenDisabled() throws Exception {
    assertThat(second.services().saml().engine().serviceProvider().credentials().signing().getEntityCertificate())
        .isEqualTo(gateway.services().saml().engine().serviceProvider().credentials().signing().getEntityCertificate());
    assertThat(second.client().get("/saml/newco/login").send().await().statusCode()).isEqualTo(404);

    IdpSettings settings = new IdpSettings(new AttributeMapping("custom", Optional.empty(), Optional.of("email"),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), true, false, List.of(), false, true);
    IdpRecord created = new IdentityProviders(store()).create(store(), new IdentityProviders.NewIdp("newco", "NewCo SSO",
        NEWCO, IdpRecord.INLINE, null, idp.metadataXml(NEWCO, idp.otherIdpKeys()), Duration.ofHours(1), settings,
        true)).await();
    announce("newco");

    assertThat(await(second, "/saml/newco/login", r -> r.statusCode() == 302).statusCode()).isEqualTo(302);
    assertThat(second.client().get("/login").send().await().bodyAsString()).contains("NewCo SSO")
        .contains("/saml/newco/login").contains("Corp sign-in");
    Started started = startLogin(second, "newco", null);
    assertThat(started.idpUrl().toString()).startsWith("https://newco.test.example/");
    HttpResponse<Buffer> signedIn = post(second, started.cookie(), idp.produce(sp, carol(started.requestId()))
        .samlResponse(), started.requestId());
    assertThat(signedIn.statusCode()).as(signedIn.bodyAsString()).isEqualTo(303);
    assertThat(sessionCookie(signedIn)).isNotNull();
    assertThat(row("SELECT provisioning_method || '/' || saml_issuer FROM users WHERE email = 'carol@newco.example.com'"))
        .isEqualTo("sso_jit/" + NEWCO);
    assertThat(startLogin(second, "corp", null).idpUrl().toString()).startsWith(IDP_ENTITY.replace("/metadata", ""));

    Started pending = startLogin(gateway, "newco", null);
    new IdentityProviders(store()).update(store(), created.id(), "NewCo SSO", settings, false, Duration.ofHours(1))
        .await();
    announce("newco");

    assertThat(await(second, "/saml/newco/login", r -> r.statusCode() == 404).statusCode()).isEqualTo(404);
    assertThat(await(gateway, "/saml/newco/login", r -> r.statusCode() == 404).statusCode()).isEqualTo(404);
    assertThat(second.client().get("/login").send().await().bodyAsString()).doesNotContain("NewCo SSO")
        .contains("Corp sign-in");
    assertRefused(post(gateway, pending.cookie(), idp.produce(sp, carol(pending.requestId())).samlResponse(),
        pending.requestId()));
    assertThat(startLogin(gateway, "corp", null).idpUrl().toString()).startsWith(IDP_ENTITY.replace("/metadata", ""));
  }

  @Test
  void replacedSpKeysReachEveryGatewayWithoutARestart() throws Exception {
    BasicX509Credential rotated = SpCredentials.generateCredential("CN=rotated SP key");
    String certificate = PemKeys.pem("CERTIFICATE", rotated.getEntityCertificate().getEncoded());
    String body = certificate.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    SecretBox box = MasterKeys.fromConfigOrDataDir(gateway.services().platform().config().store().masterKey(), null);
    new SpKeyStore(store(), box).replace(store(), SpKeyStore.SIGNING, certificate,
        PemKeys.pem("PRIVATE KEY", rotated.getPrivateKey().getEncoded())).await();
    assertThat(second.client().get("/saml/metadata").send().await().bodyAsString().replaceAll("\\s", ""))
        .doesNotContain(body);
    announce("sp-keys");

    for (GatewayHarness harness : List.of(second, gateway)) {
      assertThat(await(harness, "/saml/metadata", r -> r.bodyAsString().replaceAll("\\s", "").contains(body))
          .bodyAsString().replaceAll("\\s", "")).contains(body);
      assertThat(harness.services().saml().engine().serviceProvider().credentials().signing().getEntityCertificate())
          .isEqualTo(rotated.getEntityCertificate());
    }
    assertThat(startLogin(second, "corp", null).idpUrl().toString()).startsWith(IDP_ENTITY.replace("/metadata", ""));
  }
}
