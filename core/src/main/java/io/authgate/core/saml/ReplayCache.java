package io.authgate.core.saml;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * The assertions already used, so none is accepted twice. An ID is remembered until the
 * assertion's expiry plus a margin (the allowed clock skew), after which the time checks refuse it
 * anyway. Call it only for assertions whose signature was verified: each ID is held until expiry,
 * none is dropped early, so what an attacker can fill it with is bounded by what the IdPs sign.
 * Thread-safe.
 */
public interface ReplayCache {

  /**
   * Records the use of an assertion.
   *
   * @param assertionId its ID
   * @param expiresAt when it expires (its {@code NotOnOrAfter})
   * @return true the first time the ID is seen (on any process sharing the cache), false
   *     afterwards; false for an ID that is empty or longer than {@link SamlStores#MAX_ID_LENGTH}.
   *     Fails when the shared store cannot be reached: the caller refuses the assertion then.
   */
  Future<Boolean> firstUse(String assertionId, Instant expiresAt);
}
