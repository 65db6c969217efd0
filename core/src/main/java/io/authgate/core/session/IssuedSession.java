package io.authgate.core.session;

/**
 * A session just opened: the token, given to the client once and never stored, and the session.
 * {@link #toString()} hides the token. Immutable.
 *
 * @param token the opaque bearer token (256 random bits, base64url)
 * @param session the stored session
 */
public record IssuedSession(String token, Session session) {
  @Override
  public String toString() {
    return "IssuedSession[token=******, session=" + session.id() + "]";
  }
}
