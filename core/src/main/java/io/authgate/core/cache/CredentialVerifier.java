package io.authgate.core.cache;

import io.authgate.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under a server-side key: the verifier of a set of credentials (what the cache and
 * regulation keep instead of a password) and the opaque key of a user (what Redis keys carry
 * instead of a username). Without the key neither can be checked or reversed offline.
 * Thread-safe.
 */
public final class CredentialVerifier {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] CREDENTIAL_DOMAIN = "authgate/credential/v1\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] USER_DOMAIN = "authgate/user/v1\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DERIVE_DOMAIN = "authgate/derive/v1\0".getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();

  private final ThreadLocal<Mac> macs;

  private CredentialVerifier(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key.clone(), ALGORITHM);
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(spec);
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
      }
    });
  }

  /** @param key the configured key; never null */
  public static CredentialVerifier withKey(Secret key) {
    return new CredentialVerifier(key.reveal().getBytes(StandardCharsets.UTF_8));
  }

  /** @return a verifier under a fresh random 256-bit key, valid for this process only */
  public static CredentialVerifier withRandomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new CredentialVerifier(key);
  }

  /**
   * @param userKey the user's key from {@link #userKey(String, String)}
   * @param password the password as typed
   * @return the verifier of these credentials
   */
  public byte[] verifier(String userKey, String password) {
    Mac mac = macs.get();
    mac.update(CREDENTIAL_DOMAIN);
    mac.update(userKey.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key of a login name in a directory. Login names differing only in case are one user, as
   * directories match them: the name is lower-cased with {@link Locale#ROOT}.
   *
   * @param directory the directory's name
   * @param username the login name, trimmed
   * @return an opaque hex key naming the user in caches and Redis
   */
  public String userKey(String directory, String username) {
    Mac mac = macs.get();
    mac.update(USER_DOMAIN);
    mac.update(directory.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return HEX.formatHex(mac.doFinal(normalized(username).getBytes(StandardCharsets.UTF_8)));
  }

  /** @return whether two login names have one {@link #userKey} in a directory */
  public static boolean sameKey(String username, String other) {
    return username.equals(other) || normalized(username).equals(normalized(other));
  }

  /** @return the form of a login name its key is made of: names differing only in case are one */
  private static String normalized(String username) {
    return username.toLowerCase(Locale.ROOT);
  }

  /**
   * A key for another purpose (signing CSRF tokens, say), derived from the server-side key, so
   * every process configured with the same key derives the same one.
   *
   * @param purpose what the key is for; different purposes get unrelated keys
   * @return 32 bytes
   */
  public byte[] deriveKey(String purpose) {
    Mac mac = macs.get();
    mac.update(DERIVE_DOMAIN);
    return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
  }

  /** @return whether two verifiers are equal, in constant time */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
