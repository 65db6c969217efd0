package io.authgate.core.directory;

import io.authgate.core.identity.Principal;

/**
 * What a directory answered to a set of credentials. A refusal is an outcome, not a failure: only
 * an unreachable directory fails (with {@link DirectoryUnavailableException}), so wrong passwords
 * never trip a circuit breaker. Immutable.
 */
public sealed interface BindOutcome {

  /** The directory accepted the credentials. */
  record Authenticated(Principal principal) implements BindOutcome {}

  /** The directory refused the credentials, for {@code reason}. */
  record Rejected(RejectReason reason) implements BindOutcome {}
}
