package io.authgate.core.idps;

/** IdP metadata that cannot be used; the message says what is wrong with it. */
public final class MetadataException extends RuntimeException {
  /** @param message what is wrong, fit to show an administrator */
  public MetadataException(String message) {
    super(message, null, false, false);
  }
}
