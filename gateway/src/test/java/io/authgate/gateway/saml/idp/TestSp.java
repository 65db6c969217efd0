package io.authgate.gateway.saml.idp;

import java.nio.file.Path;

/**
 * The service provider a test IdP answers: what the gateway under test would publish in its metadata.
 * Immutable.
 *
 * @param entityId the SP's entity ID, the assertion's Audience
 * @param acsUrl the assertion consumer service URL (the Response's Destination and the Recipient)
 * @param sloUrl the single logout URL logout messages are sent to
 * @param encryptionCertificate the SP's encryption certificate (PEM), or null when assertions are not encrypted
 * @param metadataFile the SP's metadata XML for pysaml2 to read, or null to let it build a minimal one
 */
public record TestSp(String entityId, String acsUrl, String sloUrl, Path encryptionCertificate, Path metadataFile) {

  /**
   * The SP at {@code baseUrl} with the gateway's paths: entity ID {@code <base>/saml/metadata},
   * ACS {@code <base>/saml/acs}, SLO {@code <base>/saml/slo}.
   *
   * @param baseUrl e.g. {@code http://127.0.0.1:8080}, without a trailing slash
   * @param encryptionCertificate the SP's encryption certificate, or null
   * @return the SP
   */
  public static TestSp at(String baseUrl, Path encryptionCertificate) {
    return new TestSp(baseUrl + "/saml/metadata", baseUrl + "/saml/acs", baseUrl + "/saml/slo", encryptionCertificate, null);
  }
}
