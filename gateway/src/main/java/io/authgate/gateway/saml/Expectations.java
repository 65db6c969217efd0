package io.authgate.gateway.saml;

import java.time.Instant;

/**
 * What the caller expects of a response. Immutable.
 *
 * @param idpId the IdP the browser was sent to, or null to accept any configured IdP (unsolicited)
 * @param requestId the AuthnRequest ID bound to this browser, or null when a response is
 *     unsolicited (then any InResponseTo is refused, and the IdP must allow IdP-initiated login)
 * @param now the current time
 */
public record Expectations(String idpId, String requestId, Instant now) {
  /**
   * @param idpId the IdP the request went to
   * @param requestId the request's ID
   * @return expectations for the answer to an SP-initiated request, now
   */
  public static Expectations solicited(String idpId, String requestId) {
    return new Expectations(idpId, requestId, Instant.now());
  }

  /** @return expectations for an IdP-initiated response from any IdP, now */
  public static Expectations unsolicited() {
    return new Expectations(null, null, Instant.now());
  }
}
