package io.authgate.core.saml;

import io.vertx.core.Future;

/**
 * The AuthnRequests sent and not yet answered, by request ID, each answerable once: the ACS takes
 * the request an assertion's {@code InResponseTo} names, so a second response to it finds nothing.
 * Requests are forgotten at their expiry. Thread-safe.
 */
public interface PendingRequests {

  /**
   * Remembers a request until its expiry. A request already past it is not remembered.
   *
   * @param requestId the AuthnRequest's ID
   * @throws IllegalArgumentException (as the failure) when the ID is empty, longer than
   *     {@link SamlStores#MAX_ID_LENGTH} or already pending
   */
  Future<Void> put(String requestId, PendingRequest request);

  /**
   * Takes a request: of any number of takes of one ID, at most one, on any process, gets it.
   *
   * @param requestId the ID a response answers; may be null
   * @return the request, or null when none is pending under that ID (unknown, expired, taken);
   *     fails when the shared store cannot be reached
   */
  Future<PendingRequest> take(String requestId);
}
