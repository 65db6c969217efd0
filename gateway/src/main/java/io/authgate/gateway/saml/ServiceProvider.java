package io.authgate.gateway.saml;

import io.authgate.core.config.SamlConfig;
import java.net.URI;
import java.time.Duration;

/**
 * The SP's own identity and tolerances, resolved from configuration. Immutable and thread-safe.
 *
 * @param entityId the SP's entity ID (the Audience and the Issuer of its requests)
 * @param acsUrl the assertion consumer service URL (Destination and Recipient must equal it)
 * @param sloUrl the single logout URL
 * @param metadataUrl where the SP metadata is served
 * @param credentials the SP's signing and decryption keys
 * @param clockSkew tolerance on time checks
 * @param maxResponseBytes the largest base64 SAMLResponse accepted
 */
public record ServiceProvider(String entityId, String acsUrl, String sloUrl, String metadataUrl,
                              SpCredentials credentials, Duration clockSkew, int maxResponseBytes) {

  /**
   * @param config the SAML section
   * @param baseUrl the public base URL, without a trailing slash
   * @param credentials the SP keys
   * @return the SP
   */
  public static ServiceProvider of(SamlConfig config, URI baseUrl, SpCredentials credentials) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    return new ServiceProvider(config.spEntityId(URI.create(base)), base + SamlConstants.ACS_PATH,
        base + SamlConstants.SLO_PATH, base + SamlConstants.METADATA_PATH, credentials,
        config.clockSkew(), config.maxResponseBytes());
  }
}
