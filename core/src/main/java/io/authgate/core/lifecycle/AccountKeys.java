package io.authgate.core.lifecycle;

import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.IdpRecord;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The keys gateways file an account's sessions and cached credentials under: one for its directory
 * (under its username), and one per SAML identity provider when a SAML subject names it (SAML
 * sessions are filed under the IdP's id, configured or managed through the admin API). Thread-safe.
 */
public final class AccountKeys {
  private final CredentialVerifier verifier;
  private final Supplier<Future<List<String>>> identityProviders;

  /**
   * @param verifier derives the keys as the gateways do
   * @param identityProviders the ids of the SAML identity providers, read when a SAML account needs them
   */
  public AccountKeys(CredentialVerifier verifier, Supplier<Future<List<String>>> identityProviders) {
    this.verifier = verifier;
    this.identityProviders = identityProviders;
  }

  /** @return the configured IdPs' ids and those of the IdPs the store holds, read each time */
  public static Supplier<Future<List<String>>> configuredAndStored(List<String> configured, IdentityProviders stored) {
    List<String> fixed = List.copyOf(configured);
    return () -> stored.list().map(all -> {
      Set<String> ids = new LinkedHashSet<>(fixed);
      all.stream().map(IdpRecord::slug).forEach(ids::add);
      return List.copyOf(ids);
    });
  }

  /** @return the account's directory key, or null when it belongs to no directory */
  public String directoryKey(Details account) {
    return account.directory() == null ? null : verifier.userKey(account.directory(), account.username());
  }

  /** @return every key the account's sessions may be filed under */
  public Future<Set<String>> sessionKeys(Details account) {
    Future<List<String>> idps = account.samlLinked() ? identityProviders.get() : Future.succeededFuture(List.of());
    return idps.map(ids -> {
      Set<String> keys = new LinkedHashSet<>();
      if (account.directory() != null) {
        keys.add(directoryKey(account));
      }
      ids.forEach(idp -> keys.add(verifier.userKey(idp, account.username())));
      return keys;
    });
  }
}
