package io.authgate.gateway.saml;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.core.Issuer;

/**
 * Builds SP-initiated AuthnRequests for the Redirect binding. Stateless and thread-safe;
 * blocking on first use (OpenSAML initialization and marshalling): call off the event loop.
 */
public final class AuthnRequests {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthnRequests() {}

  /**
   * A request ready to send.
   *
   * @param redirectUrl the IdP URL with the encoded (and when configured, signed) request
   * @param requestId the request's ID, to bind to the browser and expect as InResponseTo
   */
  public record Redirect(String redirectUrl, String requestId) {}

  /**
   * @param sp the SP
   * @param idp the IdP to log in at; it must have a Redirect-binding SSO endpoint
   * @param relayState the relay state to send, or null
   * @return the redirect URL and the request ID
   * @throws IllegalStateException when the IdP's metadata has no Redirect-binding SSO endpoint
   */
  public static Redirect create(ServiceProvider sp, Idp idp, String relayState) {
    return create(sp, idp, newId(), relayState);
  }

  /**
   * @param sp the SP
   * @param idp the IdP to log in at; it must have a Redirect-binding SSO endpoint
   * @param id the request's ID, from {@link #newId()} (the caller may need it before the request exists,
   *     e.g. as the relay state)
   * @param relayState the relay state to send, or null
   * @return the redirect URL and the request ID
   * @throws IllegalStateException when the IdP's metadata has no Redirect-binding SSO endpoint
   */
  public static Redirect create(ServiceProvider sp, Idp idp, String id, String relayState) {
    String sso = idp.metadata().ssoRedirectUrl().orElseThrow(() -> new IllegalStateException(
        "IdP " + idp.id() + " has no SingleSignOnService for the Redirect binding"));
    AuthnRequest request = SamlXml.build(AuthnRequest.DEFAULT_ELEMENT_NAME);
    request.setID(id);
    request.setVersion(SAMLVersion.VERSION_20);
    request.setIssueInstant(Instant.now());
    request.setDestination(sso);
    request.setAssertionConsumerServiceURL(sp.acsUrl());
    request.setProtocolBinding(SamlConstants.POST_BINDING);
    request.setIssuer(issuer(sp.entityId()));
    String xml = SamlXml.serialize(SamlXml.marshal(request));
    String query = RedirectBinding.encode(RedirectBinding.SAML_REQUEST, xml, relayState,
        idp.config().signAuthnRequests() ? sp.credentials().signing().getPrivateKey() : null);
    return new Redirect(sso + (sso.contains("?") ? "&" : "?") + query, id);
  }

  /** @return a new message ID: {@code _} and 32 random hex digits (128 bits) */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "_" + HexFormat.of().formatHex(bytes);
  }

  static Issuer issuer(String entityId) {
    Issuer issuer = SamlXml.build(Issuer.DEFAULT_ELEMENT_NAME);
    issuer.setValue(entityId);
    return issuer;
  }
}
