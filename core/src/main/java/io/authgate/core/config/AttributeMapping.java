package io.authgate.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which SAML attributes of one IdP's assertions carry the user's details. A preset names the
 * attributes a well-known IdP sends; each explicit name overrides the preset's. An empty name
 * means the detail is not taken from an attribute (the username then comes from the NameID).
 * Immutable.
 *
 * @param preset {@code okta}, {@code entra}, {@code google} or {@code custom}
 * @param username attribute holding the username; the NameID when empty
 * @param email attribute holding the email address
 * @param displayName attribute holding the display name
 * @param firstName attribute holding the given name
 * @param lastName attribute holding the family name
 * @param groups attribute holding the group names (multi-valued)
 */
public record AttributeMapping(String preset, Optional<String> username, Optional<String> email,
                               Optional<String> displayName, Optional<String> firstName,
                               Optional<String> lastName, Optional<String> groups) {
  /** The presets, in the order documented. */
  public static final List<String> PRESETS = List.of("okta", "entra", "google", "custom");

  private static final String XMLSOAP = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

  /** Preset name to its attribute names, keyed by detail (username, email, ...). */
  private static final Map<String, Map<String, String>> PRESET_NAMES = Map.of(
      "okta", Map.of("email", "email", "displayName", "displayName", "firstName", "firstName",
          "lastName", "lastName", "groups", "groups"),
      "entra", Map.of("username", XMLSOAP + "name", "email", XMLSOAP + "emailaddress",
          "displayName", "http://schemas.microsoft.com/identity/claims/displayname",
          "firstName", XMLSOAP + "givenname", "lastName", XMLSOAP + "surname",
          "groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"),
      "google", Map.of(),
      "custom", Map.of());

  /** @return the custom mapping with no attribute names: everything from the NameID */
  public static AttributeMapping none() {
    return new AttributeMapping("custom", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  static AttributeMapping read(ConfigNode n) {
    String preset = n.string("preset", "custom").toLowerCase(java.util.Locale.ROOT);
    if (!PRESETS.contains(preset)) {
      throw n.problem("preset", "must be one of " + String.join(", ", PRESETS) + ", got \"" + preset + "\"");
    }
    AttributeMapping mapping = new AttributeMapping(preset, n.optionalString("username"),
        n.optionalString("email"), n.optionalString("displayName"), n.optionalString("firstName"),
        n.optionalString("lastName"), n.optionalString("groups"));
    n.rejectUnknownKeys();
    return mapping;
  }

  /** @return the attribute holding the username, explicit or from the preset; empty means the NameID */
  public Optional<String> usernameAttribute() {
    return username.or(() -> fromPreset("username"));
  }

  /** @return the attribute holding the email address, explicit or from the preset */
  public Optional<String> emailAttribute() {
    return email.or(() -> fromPreset("email"));
  }

  /** @return the attribute holding the display name, explicit or from the preset */
  public Optional<String> displayNameAttribute() {
    return displayName.or(() -> fromPreset("displayName"));
  }

  /** @return the attribute holding the given name, explicit or from the preset */
  public Optional<String> firstNameAttribute() {
    return firstName.or(() -> fromPreset("firstName"));
  }

  /** @return the attribute holding the family name, explicit or from the preset */
  public Optional<String> lastNameAttribute() {
    return lastName.or(() -> fromPreset("lastName"));
  }

  /** @return the attribute holding the groups, explicit or from the preset */
  public Optional<String> groupsAttribute() {
    return groups.or(() -> fromPreset("groups"));
  }

  private Optional<String> fromPreset(String detail) {
    return Optional.ofNullable(PRESET_NAMES.getOrDefault(preset, Map.of()).get(detail));
  }
}
