package io.authgate.gateway.auth;

import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.identity.Principal;
import java.util.List;

/** The gateway's answer to an authentication request. Immutable. */
public sealed interface AuthDecision {

  /** The directory the decision concerns, for metrics and logs. */
  String directory();

  /** Valid credentials, and the user may in: 200. */
  record Granted(Principal principal, List<String> roles, Source source) implements AuthDecision {
    @Override
    public String directory() {
      return principal.directory();
    }
  }

  /** Invalid credentials, an unusable account, or a banned client: the same 401 for all. */
  record Refused(String directory, RejectReason reason) implements AuthDecision {}

  /** Valid credentials, but a required group is missing: 403. */
  record Forbidden(Principal principal, Source source) implements AuthDecision {
    @Override
    public String directory() {
      return principal.directory();
    }
  }

  /** The directory could not answer and no cached entry may: 503. */
  record Unavailable(String directory, DirectoryUnavailableException.Cause cause) implements AuthDecision {}
}
