package io.authgate.core.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A user a directory authenticated: what the gateway tells applications about them. Immutable.
 *
 * @param username the canonical login name read from the entry; never null
 * @param dn the entry's distinguished name; for a SAML sign-in, the NameID the IdP asserted; never null
 * @param email the mail address; null when the entry has none
 * @param displayName the display name; null when the entry has none
 * @param groups the groups the user is in; never null
 * @param directory the name of the directory (or the id of the SAML IdP) that authenticated them; never null
 */
public record Principal(String username, String dn, String email, String displayName, List<Group> groups,
                        String directory) {
  /** Copies the group list so the record stays immutable. */
  public Principal {
    groups = List.copyOf(groups);
  }

  /** @return the group names, in directory order */
  public List<String> groupNames() {
    return groups.stream().map(Group::name).toList();
  }

  /** @return the principal as JSON, the form the cache stores */
  public JsonObject toJson() {
    JsonArray g = new JsonArray();
    groups.forEach(group -> g.add(new JsonObject().put("name", group.name()).put("dn", group.dn())));
    return new JsonObject().put("username", username).put("dn", dn).put("email", email)
        .put("displayName", displayName).put("groups", g).put("directory", directory);
  }

  /** @return the principal {@link #toJson()} wrote */
  public static Principal fromJson(JsonObject json) {
    List<Group> groups = json.getJsonArray("groups", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(o -> new Group(o.getString("name"), o.getString("dn")))
        .toList();
    return new Principal(json.getString("username"), json.getString("dn"), json.getString("email"),
        json.getString("displayName"), groups, json.getString("directory"));
  }
}
