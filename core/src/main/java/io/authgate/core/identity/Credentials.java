package io.authgate.core.identity;

import java.util.Objects;

/**
 * A username and password as presented, already normalised by the edge. {@link #toString()} never
 * shows the password. Immutable.
 *
 * @param username the login name as the user typed it, trimmed; never null or blank
 * @param password the password, exactly as typed; never null or blank
 */
public record Credentials(String username, String password) {
  /** Checks both parts are present. */
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=******]";
  }
}
