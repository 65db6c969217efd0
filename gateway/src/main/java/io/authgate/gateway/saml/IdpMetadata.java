package io.authgate.gateway.saml;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the SP needs from one IdP's metadata. Immutable.
 *
 * @param entityId the IdP's entity ID, the only Issuer accepted from it
 * @param signingCertificates the certificates whose keys may sign its messages; never empty
 * @param ssoRedirectUrl its SingleSignOnService for the Redirect binding, if any
 * @param sloRedirectUrl its SingleLogoutService for the Redirect binding, if any
 */
public record IdpMetadata(String entityId, List<X509Certificate> signingCertificates,
                          Optional<String> ssoRedirectUrl, Optional<String> sloRedirectUrl) {
  /** Copies the list so the record stays immutable. */
  public IdpMetadata {
    signingCertificates = List.copyOf(signingCertificates);
  }
}
