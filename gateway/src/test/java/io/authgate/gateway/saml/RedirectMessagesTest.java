package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.core.LogoutRequest;

/** AuthnRequests, SP metadata, and single logout over the Redirect binding. */
class RedirectMessagesTest {
  private final IdpFixture idp = IdpFixture.main();
  private final ServiceProvider sp = IdpFixture.sp();
  private final IdpRegistry registry = idp.registry(false);
  private final Idp main = registry.byId("main").orElseThrow();
  private final LogoutMessages logout = new LogoutMessages(sp);

  private static String query(String url) {
    return URI.create(url).getRawQuery();
  }

  @Test
  void anAuthnRequestIsSignedDeflatedAndAddressedToTheIdp() {
    AuthnRequests.Redirect r = AuthnRequests.create(sp, main, "state-1");
    assertThat(r.redirectUrl()).startsWith("https://idp.example.test/sso?SAMLRequest=")
        .contains("&RelayState=state-1&SigAlg=").contains("&Signature=");
    assertThat(r.requestId()).matches("_[0-9a-f]{32}");
    RedirectBinding.Received received = RedirectBinding.decode(query(r.redirectUrl()), RedirectBinding.SAML_REQUEST,
        root -> List.of(sp.credentials().signing().getEntityCertificate()));
    AuthnRequest request = (AuthnRequest) SamlXml.unmarshal(received.root());
    assertThat(request.getID()).isEqualTo(r.requestId());
    assertThat(request.getDestination()).isEqualTo("https://idp.example.test/sso");
    assertThat(request.getAssertionConsumerServiceURL()).isEqualTo(sp.acsUrl());
    assertThat(request.getProtocolBinding()).isEqualTo(SamlConstants.POST_BINDING);
    assertThat(request.getIssuer().getValue()).isEqualTo(sp.entityId());
    assertThat(received.relayState()).isEqualTo("state-1");
    assertThatThrownBy(() -> RedirectBinding.decode(query(r.redirectUrl()), RedirectBinding.SAML_REQUEST,
        root -> List.of(idp.key.getEntityCertificate()))).isInstanceOf(SamlRejected.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void anIdpThatDoesNotWantSignedRequestsGetsAnUnsignedOne() {
    var config = IdpFixture.config("plain", false);
    config = new io.authgate.core.config.IdpConfig(config.id(), config.displayName(), config.metadataFile(),
        config.metadataXml(), config.metadataUrl(), config.metadataRefresh(), config.attributes(), false, false,
        List.of(), false, false);
    AuthnRequests.Redirect r = AuthnRequests.create(sp, new Idp(config, main.metadata()), null);
    assertThat(r.redirectUrl()).doesNotContain("Signature=").doesNotContain("RelayState");
  }

  @Test
  void spMetadataNamesTheEndpointsAndBothKeys() {
    String xml = SpMetadata.xml(sp, true);
    assertThat(xml).contains("entityID=\"" + sp.entityId() + "\"").contains("AuthnRequestsSigned=\"true\"")
        .contains("WantAssertionsSigned=\"true\"").contains("use=\"signing\"").contains("use=\"encryption\"")
        .contains("Location=\"" + sp.acsUrl() + "\"").contains("Location=\"" + sp.sloUrl() + "\"")
        .contains(SamlConstants.POST_BINDING).contains(SamlConstants.REDIRECT_BINDING)
        .contains("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
        .doesNotContain("PRIVATE");
  }

  @Test
  void anSpLogoutRequestIsSignedWithNameIdAndSessionIndex() {
    AuthnRequests.Redirect r = logout.request(main, "alice@example.com", null, "_session-1", "back");
    assertThat(r.redirectUrl()).startsWith("https://idp.example.test/slo?SAMLRequest=");
    LogoutRequest request = (LogoutRequest) SamlXml.unmarshal(RedirectBinding.decode(query(r.redirectUrl()),
        RedirectBinding.SAML_REQUEST, root -> List.of(sp.credentials().signing().getEntityCertificate())).root());
    assertThat(request.getNameID().getValue()).isEqualTo("alice@example.com");
    assertThat(request.getSessionIndexes().get(0).getValue()).isEqualTo("_session-1");
    assertThat(request.getID()).isEqualTo(r.requestId());
  }

  /** @return the query of a LogoutRequest the IdP sends, signed with {@code signer} */
  private String idpLogoutRequest(String destination, org.opensaml.security.x509.BasicX509Credential signer) {
    LogoutMessages asIdp = new LogoutMessages(new ServiceProvider(idp.entityId, "", "", "", new SpCredentials(signer, signer),
        sp.clockSkew(), sp.maxResponseBytes()));
    var metadata = new IdpMetadata("ignored", List.of(signer.getEntityCertificate()), java.util.Optional.empty(),
        java.util.Optional.of(destination));
    return query(asIdp.request(new Idp(IdpFixture.config("sp", false), metadata), "alice@example.com", null,
        "_session-1", "rs").redirectUrl());
  }

  @Test
  void anIdpLogoutRequestIsVerifiedAndAnswered() {
    LogoutMessages.ReceivedRequest received = logout.receiveRequest(idpLogoutRequest(sp.sloUrl(), idp.key),
        registry, Instant.now());
    assertThat(received.idp().id()).isEqualTo("main");
    assertThat(received.nameId()).isEqualTo("alice@example.com");
    assertThat(received.sessionIndexes()).containsExactly("_session-1");
    assertThat(received.relayState()).isEqualTo("rs");
    String answer = logout.response(main, received.requestId(), received.relayState());
    assertThat(answer).startsWith("https://idp.example.test/slo?SAMLResponse=").contains("&Signature=");
  }

  @Test
  void anIdpLogoutRequestWithAForeignKeyOrDestinationIsRefused() {
    var stranger = SpCredentials.generateCredential("CN=stranger");
    assertThat(reason(() -> logout.receiveRequest(idpLogoutRequest(sp.sloUrl(), stranger), registry, Instant.now())))
        .isEqualTo(Reason.SIGNATURE);
    assertThat(reason(() -> logout.receiveRequest(idpLogoutRequest("https://other.test/slo", idp.key), registry,
        Instant.now()))).isEqualTo(Reason.DESTINATION);
    String unsigned = idpLogoutRequest(sp.sloUrl(), idp.key).replaceAll("&Signature=.*$", "");
    assertThat(reason(() -> logout.receiveRequest(unsigned, registry, Instant.now()))).isEqualTo(Reason.SIGNATURE);
    assertThat(reason(() -> logout.receiveRequest(idpLogoutRequest(sp.sloUrl(), idp.key), registry,
        Instant.now().plusSeconds(600)))).isEqualTo(Reason.TIME);
  }

  @Test
  void aLogoutResponseMustAnswerTheSpsRequest() {
    LogoutMessages asIdp = new LogoutMessages(new ServiceProvider(idp.entityId, "", "", "",
        new SpCredentials(idp.key, idp.key), sp.clockSkew(), sp.maxResponseBytes()));
    var spAsIdp = new Idp(IdpFixture.config("sp", false), new IdpMetadata("x", List.of(idp.key.getEntityCertificate()),
        java.util.Optional.empty(), java.util.Optional.of(sp.sloUrl())));
    String q = query(asIdp.response(spAsIdp, "_sp-request", null));
    LogoutMessages.ReceivedResponse ok = logout.receiveResponse(q, registry, "_sp-request", Instant.now());
    assertThat(ok.success()).isTrue();
    assertThat(reason(() -> logout.receiveResponse(q, registry, "_other", Instant.now())))
        .isEqualTo(Reason.IN_RESPONSE_TO);
  }

  private static Reason reason(Runnable r) {
    return ResponseValidatorTest.rejection(r);
  }
}
