package io.authgate.core.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The text of an API key, {@code agk_<id>_<secret>}: the prefix, the key's id as 32 lowercase hex
 * digits, and a secret of at least 32 base64url characters (a generated one is 256 random bits, 43
 * characters). The id finds the stored key; only a hash of the secret is stored.
 *
 * <p>The hash is a plain SHA-256, not a slow password hash: a generated secret has 256 bits of
 * entropy (a configured one at least 192), so no dictionary or brute-force search can invert it and
 * a work factor would only slow every admin request down. Thread-safe; stateless.
 */
public final class ApiKeyFormat {
  /** Every key starts with this. */
  public static final String PREFIX = "agk_";
  /** Random bytes in a generated secret. */
  public static final int SECRET_BYTES = 32;
  /** The shortest secret accepted (a configured bootstrap key). */
  public static final int MIN_SECRET_CHARS = 32;
  private static final int ID_CHARS = 32;
  private static final int MAX_KEY_CHARS = 256;
  private static final Pattern WELL_FORMED =
      Pattern.compile("agk_[0-9a-f]{32}_[A-Za-z0-9_-]{" + MIN_SECRET_CHARS + "," + (MAX_KEY_CHARS - 37) + "}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private ApiKeyFormat() {}

  /**
   * A presented key taken apart.
   *
   * @param id the stored key it names
   * @param secret the secret part
   */
  public record Parts(UUID id, String secret) {
    @Override
    public String toString() {
      return "Parts[id=" + id + ", secret=******]";
    }
  }

  /** @return a new key for {@code id} with a fresh 256-bit secret */
  public static String generate(UUID id) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return PREFIX + idText(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** @return whether {@code text} has the shape of a key (it may still name no stored key) */
  public static boolean isWellFormed(String text) {
    return text != null && text.length() <= MAX_KEY_CHARS && WELL_FORMED.matcher(text).matches();
  }

  /** @return the id and secret of a well-formed key, or empty for anything else (never an exception) */
  public static Optional<Parts> parse(String presented) {
    if (!isWellFormed(presented)) {
      return Optional.empty();
    }
    String hex = presented.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
    UUID id = new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    return Optional.of(new Parts(id, presented.substring(PREFIX.length() + ID_CHARS + 1)));
  }

  /** @return the SHA-256 of the secret's UTF-8 bytes, as stored */
  public static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** @return whether the secret hashes to {@code stored}, compared in constant time */
  public static boolean matches(String secret, byte[] stored) {
    return stored != null && MessageDigest.isEqual(hash(secret), stored);
  }

  private static String idText(UUID id) {
    return HEX.toHexDigits(id.getMostSignificantBits()) + HEX.toHexDigits(id.getLeastSignificantBits());
  }
}
