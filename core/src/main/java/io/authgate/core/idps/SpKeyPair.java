package io.authgate.core.idps;

import java.time.Instant;

/**
 * One key pair of the SAML SP as the store keeps it, opened. Immutable; its {@link #toString()}
 * leaves the private key out.
 *
 * @param usage {@link SpKeyStore#SIGNING} or {@link SpKeyStore#ENCRYPTION}
 * @param certificatePem the certificate (PEM)
 * @param privateKeyPem the private key (PEM, PKCS#8); a secret
 * @param fingerprintSha256 the SHA-256 of the certificate's DER encoding, lower-case hex
 * @param source {@code generated} or {@code api}
 * @param updatedAt when it was stored
 */
public record SpKeyPair(String usage, String certificatePem, String privateKeyPem, String fingerprintSha256,
                        String source, Instant updatedAt) {
  @Override
  public String toString() {
    return "SpKeyPair[usage=" + usage + ", fingerprintSha256=" + fingerprintSha256 + ", source=" + source + "]";
  }
}
