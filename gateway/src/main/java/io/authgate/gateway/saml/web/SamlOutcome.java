package io.authgate.gateway.saml.web;

/**
 * Reasons an ACS answer is refused after the response itself was valid, beside the validator's own
 * ({@link io.authgate.gateway.saml.SamlRejected.Reason}); together the {@code reason} label's fixed set.
 */
final class SamlOutcome {
  /** Accepted. */
  static final String NONE = "none";
  /** No account for this subject, and JIT provisioning is off. */
  static final String NOT_PROVISIONED = "not_provisioned";
  /** The account is suspended, deprovisioned or deleted. */
  static final String ACCOUNT_DISABLED = "account_disabled";
  /** The mapped email names several accounts, or one already tied to another subject. */
  static final String ACCOUNT_CONFLICT = "account_conflict";
  /** The store or the session store could not answer. */
  static final String UNAVAILABLE = "unavailable";
  /** {@code saml.maxPendingSignIns} sign-ins were in progress already: refused before any work. */
  static final String OVERLOADED = "overloaded";

  private SamlOutcome() {}
}
