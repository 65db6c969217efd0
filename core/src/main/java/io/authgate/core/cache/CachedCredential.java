package io.authgate.core.cache;

import io.authgate.core.identity.Principal;

/**
 * A successful bind, remembered: the verifier of the credentials (never the password), the
 * principal the directory resolved, and until when the entry may answer on its own (fresh) or only
 * while the directory is unreachable (stale). Redis holds it in the form
 * {@code CachedCredentialCodec} writes. Immutable.
 *
 * @param verifier the HMAC verifier of the credentials
 * @param principal the resolved user
 * @param freshUntil epoch millis until which the entry answers on its own
 * @param staleUntil epoch millis until which it may answer while the directory is unreachable
 */
public record CachedCredential(byte[] verifier, Principal principal, long freshUntil, long staleUntil) {

  /** @return whether the entry answers on its own at {@code now} */
  public boolean isFresh(long now) {
    return now < freshUntil;
  }

  /** @return whether the entry may still stand in for an unreachable directory at {@code now} */
  public boolean isUsableWhenStale(long now) {
    return now < staleUntil;
  }
}
