package io.authgate.core.idps;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks a PEM key pair handed in through the admin API with the JDK alone: an
 * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}) and the X.509 certificate of its
 * public key. Messages never contain key material. Stateless and thread-safe.
 */
public final class PemKeys {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private PemKeys() {}

  /**
   * @param privateKeyPem the private key
   * @param certificatePem its certificate
   * @return the certificate, once the key is shown to match it (a signature made with the key
   *     verifies under the certificate)
   * @throws IllegalArgumentException saying which of the two is wrong, and how
   */
  public static X509Certificate checkPair(String privateKeyPem, String certificatePem) {
    X509Certificate certificate = certificate(certificatePem);
    String algorithm = certificate.getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der(privateKeyPem,
          "PRIVATE KEY", "privateKey")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("privateKey: not an unencrypted PKCS#8 " + algorithm
          + " private key (convert with openssl pkcs8 -topk8 -nocrypt)");
    }
    try {
      String signature = "RSA".equals(algorithm) ? "SHA256withRSA" : "EC".equals(algorithm) ? "SHA256withECDSA" : null;
      if (signature == null) {
        throw new IllegalArgumentException("certificate: keys of type " + algorithm + " are not supported (use RSA)");
      }
      byte[] probe = "authgate sp key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(signature);
      signer.initSign(key);
      signer.update(probe);
      byte[] signed = signer.sign();
      Signature verifier = Signature.getInstance(signature);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signed)) {
        throw new IllegalArgumentException("privateKey: does not belong to the certificate's public key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("privateKey: does not belong to the certificate's public key");
    }
    return certificate;
  }

  /**
   * @param pem a PEM certificate
   * @return the certificate
   * @throws IllegalArgumentException when it holds none
   */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der(pem, "CERTIFICATE", "certificate")));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("certificate: not a readable X.509 certificate");
    }
  }

  /** @return the SHA-256 of the certificate's DER encoding, lower-case hex */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 or the certificate's encoding is unavailable", e);
    }
  }

  /** @return the PEM text of a DER value, 64 characters a line */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] der(String pem, String type, String field) {
    Matcher m = BLOCK.matcher(pem == null ? "" : pem);
    if (!m.find() || !m.group(1).equals(type)) {
      throw new IllegalArgumentException(field + ": expected one PEM block \"BEGIN " + type + "\"");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": the PEM block is not valid base64");
    }
  }
}
