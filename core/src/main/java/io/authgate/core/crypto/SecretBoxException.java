package io.authgate.core.crypto;

/**
 * A sealed value that cannot be opened: not in a known format, sealed under another key or for
 * another purpose, or tampered with. The message never contains the value or the key.
 */
public final class SecretBoxException extends RuntimeException {
  /** @param message what is wrong, without the value */
  public SecretBoxException(String message) {
    super(message, null, false, false);
  }
}
