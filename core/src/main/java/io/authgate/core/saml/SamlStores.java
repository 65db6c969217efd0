package io.authgate.core.saml;

/** Redis key prefixes and limits of the SAML stores, in one place. */
public final class SamlStores {
  /** Prefix of the Redis key of a pending AuthnRequest; the request ID follows. */
  public static final String REQUEST_KEY_PREFIX = "authgate:saml:req:";
  /** Prefix of the Redis key of a used assertion; the assertion ID follows. */
  public static final String ASSERTION_KEY_PREFIX = "authgate:saml:replay:";
  /**
   * The longest request or assertion ID the stores accept. IDs come from the network: a longer
   * one is an unknown request, and an assertion the replay cache refuses.
   */
  public static final int MAX_ID_LENGTH = 256;

  private SamlStores() {}

  /** @return whether {@code id} is one the stores accept: present, not empty, not too long */
  static boolean acceptable(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
  }
}
