package io.authgate.core.lifecycle;

import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.store.UserQueries.Details;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys gateways file an account's sessions and cached credentials under: one for its directory
 * (under its username), and one per SAML identity provider when a SAML subject names it (SAML
 * sessions are filed under the IdP's id). Thread-safe and immutable.
 *
 * @param verifier derives the keys as the gateways do
 * @param identityProviders the ids of the SAML identity providers
 */
public record AccountKeys(CredentialVerifier verifier, List<String> identityProviders) {
  /** Copies the list. */
  public AccountKeys {
    identityProviders = List.copyOf(identityProviders);
  }

  /** @return the account's directory key, or null when it belongs to no directory */
  public String directoryKey(Details account) {
    return account.directory() == null ? null : verifier.userKey(account.directory(), account.username());
  }

  /** @return every key the account's sessions may be filed under */
  public Set<String> sessionKeys(Details account) {
    Set<String> keys = new LinkedHashSet<>();
    if (account.directory() != null) {
      keys.add(directoryKey(account));
    }
    if (account.samlLinked()) {
      identityProviders.forEach(idp -> keys.add(verifier.userKey(idp, account.username())));
    }
    return keys;
  }
}
