package io.authgate.gateway.saml.web;

import io.authgate.core.config.AttributeMapping;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.authgate.core.store.AccountException;
import io.authgate.core.store.UserAccount;
import io.authgate.core.store.LastLogins;
import io.authgate.core.store.UserAccounts;
import io.authgate.gateway.saml.ValidatedAssertion;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who a validated assertion is in the store: the account of its (IdP entity ID, NameID), else
 * (when the IdP is trusted for it) the one account with the mapped email, which is then linked,
 * else a new account when the IdP provisions just in time; refused otherwise, and refused when the
 * account may not sign in. Thread-safe.
 */
final class SamlUsers {
  private final UserAccounts accounts;
  private final LastLogins lastLogins;

  /** A sign-in the store refuses, with the {@link SamlOutcome} reason. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Refused(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /**
   * The person signing in.
   *
   * @param account their account in the store
   * @param principal what sessions and the identity headers carry
   * @param roles the IdP's default roles
   */
  record SignIn(UserAccount account, Principal principal, List<String> roles) {}

  SamlUsers(UserAccounts accounts, LastLogins lastLogins) {
    this.accounts = accounts;
    this.lastLogins = lastLogins;
  }

  /** @return the sign-in, or failed with {@link Refused} */
  Future<SignIn> resolve(ValidatedAssertion assertion, IdpConfig idp) {
    AttributeMapping mapping = idp.attributes();
    String email = attribute(assertion, mapping.emailAttribute()).orElse(null);
    return accounts.findBySamlSubject(assertion.issuer(), assertion.nameId())
        .compose(found -> found != null ? Future.succeededFuture(found) : byEmail(assertion, idp, email))
        .compose(found -> found != null ? Future.succeededFuture(found) : provision(assertion, idp, email))
        .compose(account -> {
          if (!account.maySignIn()) {
            return Future.failedFuture(new Refused(SamlOutcome.ACCOUNT_DISABLED,
                "account " + account.id() + " is " + account.status() + (account.deleted() ? ", deleted" : "")));
          }
          lastLogins.record(account.id(), Instant.now());
          return Future.succeededFuture(new SignIn(account, principal(assertion, idp, account, email),
              idp.defaultRoles()));
        })
        .recover(e -> Future.failedFuture(e instanceof Refused ? e : e instanceof AccountException conflict
            ? new Refused(SamlOutcome.ACCOUNT_CONFLICT, conflict.getMessage())
            : new Refused(SamlOutcome.UNAVAILABLE, "store: " + e)));
  }

  private Future<UserAccount> byEmail(ValidatedAssertion assertion, IdpConfig idp, String email) {
    if (!idp.matchByEmail() || email == null) {
      return Future.succeededFuture();
    }
    return accounts.findByEmail(email).compose(found -> {
      if (found == null) {
        return Future.succeededFuture();
      }
      if (!found.maySignIn()) {
        return Future.succeededFuture(found);
      }
      return accounts.linkSamlSubject(found.id(), assertion.issuer(), assertion.nameId());
    });
  }

  private Future<UserAccount> provision(ValidatedAssertion assertion, IdpConfig idp, String email) {
    if (!idp.jit()) {
      return Future.failedFuture(new Refused(SamlOutcome.NOT_PROVISIONED,
          "no account for this subject of IdP " + idp.id() + " and JIT provisioning is off"));
    }
    AttributeMapping mapping = idp.attributes();
    return accounts.provisionJit(assertion.issuer(), assertion.nameId(), email, username(assertion, mapping, email),
        attribute(assertion, mapping.firstNameAttribute()).orElse(null),
        attribute(assertion, mapping.lastNameAttribute()).orElse(null),
        displayName(assertion, mapping));
  }

  private static Principal principal(ValidatedAssertion assertion, IdpConfig idp, UserAccount account, String email) {
    AttributeMapping mapping = idp.attributes();
    List<Group> groups = mapping.groupsAttribute()
        .map(name -> assertion.attributes().getOrDefault(name, List.of()))
        .orElse(List.of()).stream()
        .filter(g -> !g.isBlank())
        .map(g -> new Group(g, ""))
        .toList();
    String displayName = displayName(assertion, mapping);
    return new Principal(account.username(), assertion.nameId(),
        email != null ? email : account.email(), displayName != null ? displayName : account.displayName(),
        groups, idp.id());
  }

  private static String username(ValidatedAssertion assertion, AttributeMapping mapping, String email) {
    return attribute(assertion, mapping.usernameAttribute()).orElse(email != null ? email : assertion.nameId());
  }

  private static String displayName(ValidatedAssertion assertion, AttributeMapping mapping) {
    Optional<String> display = attribute(assertion, mapping.displayNameAttribute());
    if (display.isPresent()) {
      return display.get();
    }
    String first = attribute(assertion, mapping.firstNameAttribute()).orElse(null);
    String last = attribute(assertion, mapping.lastNameAttribute()).orElse(null);
    if (first == null && last == null) {
      return null;
    }
    return ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
  }

  private static Optional<String> attribute(ValidatedAssertion assertion, Optional<String> name) {
    return name.map(assertion::first).filter(v -> !v.isBlank()).map(String::trim);
  }
}
