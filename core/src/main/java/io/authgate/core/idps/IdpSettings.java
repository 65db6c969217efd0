package io.authgate.core.idps;

import io.authgate.core.config.AttributeMapping;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The behaviour of one identity provider, as {@code identity_providers.settings} holds it: the
 * attribute mapping, just-in-time provisioning, linking by email, default roles, IdP-initiated
 * login and AuthnRequest signing. Immutable.
 *
 * @param attributes which attributes carry the user's details
 * @param jit whether an unknown user is created on first login
 * @param matchByEmail whether an unknown subject may be linked to the account with the mapped email
 * @param defaultRoles roles given to users created on first login
 * @param allowIdpInitiated whether unsolicited responses are accepted
 * @param signAuthnRequests whether AuthnRequests to this IdP are signed
 */
public record IdpSettings(AttributeMapping attributes, boolean jit, boolean matchByEmail, List<String> defaultRoles,
                          boolean allowIdpInitiated, boolean signAuthnRequests) {
  /** Copies the list so the record stays immutable. */
  public IdpSettings {
    defaultRoles = List.copyOf(defaultRoles);
  }

  /** @return the defaults of configuration: custom mapping, no JIT, no linking, signed requests */
  public static IdpSettings defaults() {
    return new IdpSettings(AttributeMapping.none(), false, false, List.of(), false, true);
  }

  /**
   * @param json the stored settings, or an API body; missing keys take the {@code base}'s values
   * @param base what missing keys fall back to
   * @return the settings
   */
  public static IdpSettings fromJson(JsonObject json, IdpSettings base) {
    JsonObject a = json.getJsonObject("attributes");
    AttributeMapping attributes = a == null ? base.attributes() : new AttributeMapping(
        a.getString("preset", "custom"), text(a, "username"), text(a, "email"), text(a, "displayName"),
        text(a, "firstName"), text(a, "lastName"), text(a, "groups"));
    JsonArray roles = json.getJsonArray("defaultRoles");
    return new IdpSettings(attributes, json.getBoolean("jit", base.jit()),
        json.getBoolean("matchByEmail", base.matchByEmail()),
        roles == null ? base.defaultRoles() : roles.stream().map(String::valueOf).toList(),
        json.getBoolean("allowIdpInitiated", base.allowIdpInitiated()),
        json.getBoolean("signAuthnRequests", base.signAuthnRequests()));
  }

  /** @return the settings as stored and as the admin API shows them */
  public JsonObject toJson() {
    JsonObject a = new JsonObject().put("preset", attributes.preset());
    attributes.username().ifPresent(v -> a.put("username", v));
    attributes.email().ifPresent(v -> a.put("email", v));
    attributes.displayName().ifPresent(v -> a.put("displayName", v));
    attributes.firstName().ifPresent(v -> a.put("firstName", v));
    attributes.lastName().ifPresent(v -> a.put("lastName", v));
    attributes.groups().ifPresent(v -> a.put("groups", v));
    return new JsonObject().put("attributes", a).put("jit", jit).put("matchByEmail", matchByEmail)
        .put("defaultRoles", new JsonArray(defaultRoles)).put("allowIdpInitiated", allowIdpInitiated)
        .put("signAuthnRequests", signAuthnRequests);
  }

  private static Optional<String> text(JsonObject json, String key) {
    return Optional.ofNullable(json.getString(key)).filter(s -> !s.isBlank());
  }
}
