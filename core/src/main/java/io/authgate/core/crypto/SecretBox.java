package io.authgate.core.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets (bind passwords, private keys) for storage: AES-256-GCM with a fresh random
 * 96-bit nonce per value and a 128-bit tag. A sealed value reads
 * {@code v1:<key id>:<base64(nonce | ciphertext | tag)>}, the key id being the first 8 hex digits of
 * the SHA-256 of the master key, so a value sealed under an older key is recognised during rotation.
 *
 * <p>The purpose (such as {@code directories.bind_password:<directory id>}) is bound as additional
 * authenticated data: a value copied to another column or row does not open there. Sealing and
 * opening a value take microseconds, fine on an event loop. Immutable and thread-safe; its
 * {@link #toString()} shows key ids only.
 */
public final class SecretBox {
  /** The version prefix of values this class seals. */
  public static final String VERSION = "v1";
  /** Bytes in a master key (AES-256). */
  public static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String AAD_PREFIX = "authgate/secretbox/v1/";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentId;
  private final Map<String, SecretKeySpec> keys;

  private SecretBox(byte[] current, List<byte[]> previous) {
    Map<String, SecretKeySpec> all = new LinkedHashMap<>();
    currentId = add(all, current);
    for (byte[] key : previous) {
      add(all, key);
    }
    keys = Map.copyOf(all);
  }

  /**
   * @param masterKey 32 bytes; copied
   * @return a box that seals and opens under this key
   * @throws IllegalArgumentException when the key is not 32 bytes
   */
  public static SecretBox of(byte[] masterKey) {
    return new SecretBox(masterKey, List.of());
  }

  /**
   * A box for key rotation: seals under {@code current}, opens values sealed under it or any previous key.
   *
   * @throws IllegalArgumentException when a key is not 32 bytes
   */
  public static SecretBox withPrevious(byte[] current, List<byte[]> previous) {
    return new SecretBox(current, new ArrayList<>(previous));
  }

  /** @return the id of the key new values are sealed under */
  public String keyId() {
    return currentId;
  }

  /**
   * @param plaintext the secret; never null
   * @param purpose where the value is kept, bound to it; never null
   * @return the sealed value, different at every call
   */
  public String seal(String plaintext, String purpose) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, purpose);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return VERSION + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * @param sealed a value from {@link #seal}
   * @param purpose the purpose it was sealed for
   * @return the secret
   * @throws SecretBoxException when the value is malformed, sealed under an unknown key, for another
   *     purpose, or altered
   */
  public String open(String sealed, String purpose) {
    String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new SecretBoxException("not a sealed value of version " + VERSION);
    }
    SecretKeySpec key = keys.get(parts[1]);
    if (key == null) {
      throw new SecretBoxException("sealed under master key " + parts[1] + ", which is not configured");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new SecretBoxException("the sealed value is not valid base64");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretBoxException("the sealed value is too short");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(bytes, NONCE_BYTES), purpose);
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SecretBoxException("the sealed value does not authenticate (altered, or sealed for another purpose)");
    } catch (GeneralSecurityException e) {
      throw new SecretBoxException("the sealed value cannot be opened: " + e.getClass().getSimpleName());
    }
  }

  /** @return whether a sealed value should be sealed again under the current key (rotation) */
  public boolean needsResealing(String sealed) {
    return sealed == null || !sealed.startsWith(VERSION + ":" + currentId + ":");
  }

  @Override
  public String toString() {
    return "SecretBox[current=" + currentId + ", keys=" + keys.keySet() + "]";
  }

  private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String purpose)
      throws GeneralSecurityException {
    Objects.requireNonNull(purpose, "purpose");
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD((AAD_PREFIX + purpose).getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static String add(Map<String, SecretKeySpec> keys, byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a master key must be " + KEY_BYTES + " bytes");
    }
    String id = keyId(key);
    keys.putIfAbsent(id, new SecretKeySpec(key.clone(), "AES"));
    return id;
  }

  private static String keyId(byte[] key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
