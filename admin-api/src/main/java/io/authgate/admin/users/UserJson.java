package io.authgate.admin.users;

import io.authgate.core.store.UserQueries.Details;
import io.authgate.core.store.UserQueries.ProfileField;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Accounts to and from the JSON of the contract's {@code User}, {@code NewUser} and {@code UserPatch}. */
public final class UserJson {
  /** The JSON name of each profile field. */
  static final Map<ProfileField, String> NAMES = Map.of(
      ProfileField.EMAIL, "email",
      ProfileField.FIRST_NAME, "firstName",
      ProfileField.LAST_NAME, "lastName",
      ProfileField.DISPLAY_NAME, "displayName",
      ProfileField.DEPARTMENT, "department",
      ProfileField.EMPLOYEE_TYPE, "employeeType",
      ProfileField.MANAGER, "manager");

  private UserJson() {
  }

  /** @return the account as the API shows it */
  public static JsonObject of(Details user) {
    JsonObject json = new JsonObject().put("id", user.id().toString()).put("username", user.username());
    for (ProfileField field : ProfileField.values()) {
      json.put(NAMES.get(field), user.profile().get(field));
    }
    return json.put("directory", user.directory())
        .put("status", user.status().id())
        .put("provisioningMethod", user.provisioningMethod().id())
        .put("accountKind", user.accountKind().id())
        .put("samlLinked", user.samlLinked())
        .put("lastLoginAt", text(user.lastLoginAt()))
        .put("lastSyncAt", text(user.lastSyncAt()))
        .put("createdAt", text(user.createdAt()))
        .put("updatedAt", text(user.updatedAt()));
  }

  /**
   * The profile fields a body names: a field given as null (or blank) maps to null (cleared), a
   * field left out is not in the map.
   */
  static Map<ProfileField, String> profile(JsonObject body) {
    Map<ProfileField, String> profile = new EnumMap<>(ProfileField.class);
    NAMES.forEach((field, name) -> {
      if (body.containsKey(name)) {
        String value = body.getString(name);
        profile.put(field, value == null || value.isBlank() ? null : value.trim());
      }
    });
    return profile;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
