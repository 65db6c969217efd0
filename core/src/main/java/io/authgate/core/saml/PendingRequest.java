package io.authgate.core.saml;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An AuthnRequest this service provider sent and has not seen answered: which IdP it went to,
 * which browser sent it, and where that browser goes afterwards. Immutable.
 *
 * @param idpId the IdP it was sent to (its slug)
 * @param browserBinding the SHA-256, in lowercase hex, of the random cookie value the browser was
 *     given with the request (see {@link #bindingOf})
 * @param returnUrl where to send the browser after sign-in (already allowed); may be null
 * @param expiresAt when the request may no longer be answered
 */
public record PendingRequest(String idpId, String browserBinding, String returnUrl, Instant expiresAt) {
  private static final HexFormat HEX = HexFormat.of();

  /** @throws IllegalArgumentException when the binding is not a SHA-256 in lowercase hex */
  public PendingRequest {
    Objects.requireNonNull(idpId, "idpId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (browserBinding == null || !browserBinding.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("the browser binding must be a SHA-256 in lowercase hex");
    }
  }

  /**
   * @param cookieValue the random value the browser holds in its cookie
   * @return its SHA-256 in lowercase hex, what {@link #browserBinding} holds
   */
  public static String bindingOf(String cookieValue) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(cookieValue.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /**
   * Compares in constant time.
   *
   * @param binding the SHA-256 of the cookie value this browser presented, in hex; may be null
   * @return whether the request was sent by that browser
   */
  public boolean boundTo(String binding) {
    return binding != null && MessageDigest.isEqual(browserBinding.getBytes(StandardCharsets.US_ASCII),
        binding.getBytes(StandardCharsets.US_ASCII));
  }

  /** @return whether it can no longer be answered at {@code now} */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  JsonObject toJson() {
    return new JsonObject().put("i", idpId).put("b", browserBinding).put("r", returnUrl)
        .put("e", expiresAt.toEpochMilli());
  }

  static PendingRequest fromJson(JsonObject json) {
    return new PendingRequest(json.getString("i"), json.getString("b"), json.getString("r"),
        Instant.ofEpochMilli(json.getLong("e")));
  }
}
