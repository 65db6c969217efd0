package io.authgate.core.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Makes session tokens (256 random bits) and derives the id a token is stored under (its SHA-256). */
public final class SessionTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TOKEN_BYTES = 32;
  /** A base64url token of 32 bytes is 43 characters. */
  private static final int TOKEN_LENGTH = 43;

  private SessionTokens() {}

  /** @return a new token */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @return whether the text could be a token this class made; anything else is not looked up */
  public static boolean looksLikeToken(String text) {
    if (text == null || text.length() != TOKEN_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** @return whether the text could be a session id ({@link #idOf}: 64 lowercase hex digits) */
  public static boolean looksLikeId(String text) {
    return text != null && text.matches("[0-9a-f]{64}");
  }

  /** @return the id the session of this token is stored under; the token cannot be recovered from it */
  public static String idOf(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
