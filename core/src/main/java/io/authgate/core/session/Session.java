package io.authgate.core.session;

import io.authgate.core.identity.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A signed-in user's session, as stored: never the token itself, only its hash. Immutable.
 *
 * @param id the SHA-256 of the token, in hex
 * @param userKey the user's key, for revoking all of a user's sessions
 * @param principal who signed in
 * @param roles the roles granted at sign-in
 * @param createdAt epoch millis
 * @param expiresAt epoch millis after which the session ends whatever its use (absolute timeout)
 */
public record Session(String id, String userKey, Principal principal, List<String> roles, long createdAt,
                      long expiresAt) {
  /** Copies the roles so the record stays immutable. */
  public Session {
    roles = List.copyOf(roles);
  }

  /** @return the session as stored */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("u", userKey).put("p", principal.toJson())
        .put("r", new JsonArray(roles)).put("c", createdAt).put("e", expiresAt);
  }

  /** @return the session {@link #toJson()} wrote */
  public static Session fromJson(JsonObject json) {
    return new Session(json.getString("id"), json.getString("u"), Principal.fromJson(json.getJsonObject("p")),
        json.getJsonArray("r").stream().map(Object::toString).toList(), json.getLong("c"), json.getLong("e"));
  }
}
