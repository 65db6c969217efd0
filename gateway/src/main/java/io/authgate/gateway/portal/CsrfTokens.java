package io.authgate.gateway.portal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed double-submit CSRF tokens for the login form: a random value and its HMAC, sent both as
 * a {@code SameSite=Strict} cookie and as a form field. A post is accepted only when both are
 * present, equal, and correctly signed, so neither a cross-site form nor a cookie planted from a
 * sibling subdomain can sign anyone in. Thread-safe.
 */
final class CsrfTokens {
  /** The cookie carrying the token. */
  static final String COOKIE = "authgate_csrf";
  /** The form field carrying it. */
  static final String FIELD = "csrf";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final SecretKeySpec key;

  /** @param key the signing key, derived from the server-side key so every gateway accepts each other's forms */
  CsrfTokens(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  String issue() {
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    String value = B64.encodeToString(nonce);
    return value + "." + sign(value);
  }

  boolean accepts(String cookie, String field) {
    if (cookie == null || field == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
        field.getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    int dot = field.indexOf('.');
    return dot > 0 && MessageDigest.isEqual(sign(field.substring(0, dot)).getBytes(StandardCharsets.US_ASCII),
        field.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return B64.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
