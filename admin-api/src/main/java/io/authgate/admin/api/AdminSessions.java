package io.authgate.admin.api;

import io.authgate.core.audit.ActorType;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.session.Session;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Admins signed in at the gateway: a gateway session whose user is in one of the groups
 * {@code admin.groups} maps to an admin role may use the admin API with that role (the highest of
 * its groups). Groups match by name or DN, ignoring case. Thread-safe.
 */
public final class AdminSessions {
  private final Accounts accounts;
  private final Map<AdminRole, List<String>> groups;

  /**
   * @param accounts the process's sessions and blocked accounts
   * @param groups the admin groups by role name ({@code admin}, {@code operator}, {@code auditor})
   */
  public AdminSessions(Accounts accounts, Map<String, List<String>> groups) {
    this.accounts = accounts;
    this.groups = Map.copyOf(groups.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        e -> AdminRole.valueOf(e.getKey().toUpperCase(Locale.ROOT)), Map.Entry::getValue)));
  }

  /** @return whether any group is configured: without one, sessions are not looked at */
  public boolean enabled() {
    return !groups.isEmpty();
  }

  /**
   * @param token a session token, from the cookie or a bearer header
   * @return the caller, or null when the token names no live session of an unblocked user; a
   *     failed future with 403 when the user is in no admin group
   */
  public Future<Caller> authenticate(String token) {
    return accounts.sessions().find(token).compose(session -> {
      if (session == null || accounts.blocked().isBlocked(session.principal().directory(),
          session.principal().username())) {
        return Future.succeededFuture(null);
      }
      AdminRole role = role(session);
      if (role == null) {
        return Future.failedFuture(ProblemException.forbidden("the signed-in user is in no admin group"));
      }
      Principal p = session.principal();
      return Future.succeededFuture(new Caller(p.directory() + ":" + p.username(),
          p.displayName() == null ? p.username() : p.displayName(), role, ActorType.ADMIN_USER));
    });
  }

  private AdminRole role(Session session) {
    AdminRole best = null;
    for (Map.Entry<AdminRole, List<String>> entry : groups.entrySet()) {
      if (inAny(session.principal(), entry.getValue()) && (best == null || entry.getKey().ordinal() > best.ordinal())) {
        best = entry.getKey();
      }
    }
    return best;
  }

  private static boolean inAny(Principal principal, List<String> wanted) {
    for (Group group : principal.groups()) {
      for (String name : wanted) {
        if (name.equalsIgnoreCase(group.name()) || name.equalsIgnoreCase(group.dn())) {
          return true;
        }
      }
    }
    return false;
  }
}
