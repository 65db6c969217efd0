package io.authgate.admin.directories;

import io.authgate.core.store.StoredDirectory;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** A directory as the API answers it: its definition, never a password, sealed or not. Stateless. */
final class DirectoryJson {
  private DirectoryJson() {
  }

  static JsonObject of(StoredDirectory d) {
    JsonObject json = new JsonObject().put("id", d.id().toString());
    d.definition().forEach(e -> json.put(e.getKey(), e.getValue()));
    json.remove("bindPassword");
    return json.put("source", d.source())
        .put("bindPasswordSet", d.bindPasswordSet())
        .put("health", health(d))
        .put("createdAt", time(d.createdAt()))
        .put("updatedAt", time(d.updatedAt()));
  }

  static JsonObject health(StoredDirectory d) {
    return new JsonObject().put("status", d.healthStatus()).put("checkedAt", time(d.healthCheckedAt()))
        .put("latencyMs", d.healthLatencyMs());
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
