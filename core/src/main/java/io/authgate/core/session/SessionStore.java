package io.authgate.core.session;

import io.authgate.core.identity.Principal;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Where sessions live: in process, or in Redis shared by every gateway. A session ends when unused
 * for the idle timeout, at its absolute timeout, or when revoked; revocations reach every process
 * at once. Thread-safe.
 */
public interface SessionStore {

  /**
   * Opens a new session.
   *
   * @param userKey the user's key (see {@code CredentialVerifier#userKey})
   * @param principal who signed in
   * @param roles the roles granted
   * @return the session and its token
   */
  Future<IssuedSession> open(String userKey, Principal principal, List<String> roles);

  /**
   * Finds the live session of a token and records its use (for the idle timeout).
   *
   * @return the session, or null when the token names none (unknown, expired, revoked)
   */
  Future<Session> find(String token);

  /** Ends the session of a token, on every process. */
  Future<Void> revoke(String token);

  /**
   * Ends every session of a user, on every process.
   *
   * @return how many were ended
   */
  Future<Integer> revokeAll(String userKey);

  /**
   * Ends every session filed under any of the keys (an account's sessions through its directory and
   * its identity providers), on every process.
   *
   * @return how many were ended
   */
  default Future<Integer> revokeAll(Collection<String> userKeys) {
    List<Future<Integer>> revoked = userKeys.stream().map(this::revokeAll).toList();
    return Future.all(revoked).map(all -> revoked.stream().mapToInt(Future::result).sum());
  }

  /**
   * Lists a user's live sessions (never their tokens: a session is named by its id, the hash).
   *
   * @return the sessions, oldest first
   */
  Future<List<Session>> list(String userKey);

  /**
   * Ends the session of an id (as {@link Session#id()} names it), on every process.
   *
   * @return whether a live session had the id
   */
  Future<Boolean> revokeId(String id);

  /** @return the number of live sessions, as last counted */
  long active();

  /** Stops background work. */
  Future<Void> close();
}
