package io.authgate.gateway.saml;

/**
 * A SAML message the SP refuses. The {@link Reason} is safe to show in metrics; the detail is for
 * logs only and never shown to the browser. Immutable.
 */
public final class SamlRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a message was refused: a small fixed set, used as a metric label. */
  public enum Reason {
    /** Not well-formed, a DOCTYPE, too large, or not the expected SAML structure. */
    MALFORMED,
    /** Missing, invalid or untrusted signature, or signature-wrapping. */
    SIGNATURE,
    /** A refused signature, digest, transform or encryption algorithm. */
    ALGORITHM,
    /** The Issuer is not the IdP's entity ID. */
    ISSUER,
    /** The SP is not in the AudienceRestriction. */
    AUDIENCE,
    /** The Destination is not the SP's endpoint. */
    DESTINATION,
    /** The bearer confirmation is missing or its Recipient is not the ACS. */
    RECIPIENT,
    /** Outside the validity window (with skew). */
    TIME,
    /** InResponseTo does not match the request this browser made. */
    IN_RESPONSE_TO,
    /** The IdP answered with a non-Success status. */
    STATUS,
    /** Not exactly one assertion. */
    ASSERTION_COUNT,
    /** An encrypted assertion that cannot be decrypted. */
    DECRYPTION,
    /** An unsolicited response while IdP-initiated login is off for this IdP. */
    UNSOLICITED,
    /** An assertion already used. */
    REPLAY;

    /** @return the metric label, lower case */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param detail what exactly, for logs; never a secret or a whole message
   */
  public SamlRejected(Reason reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  /** @return why the message was refused */
  public Reason reason() {
    return reason;
  }
}
