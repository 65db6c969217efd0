package io.authgate.gateway.verify;

/** The gateway's answer to a proxy. Immutable. */
sealed interface VerifyOutcome {

  /** The metric label of the credential the request carried. */
  String credential();

  /** Let it through; {@code identity} is null for a bypass rule. */
  record Allowed(Identity identity, String credential) implements VerifyOutcome {}

  /** No valid identity: send the browser to the login page, challenge an API client. */
  record Unauthenticated(String credential) implements VerifyOutcome {}

  /** A valid identity, but the rule needs a group it lacks: 403. */
  record Forbidden(String credential) implements VerifyOutcome {}

  /** A deny rule: 403 whoever asks. */
  record Denied(String credential) implements VerifyOutcome {}

  /** Basic credentials could not be checked: the directory is unavailable. */
  record Unavailable(String credential) implements VerifyOutcome {}
}
