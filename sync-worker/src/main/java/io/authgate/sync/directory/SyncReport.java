package io.authgate.sync.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The running totals of one sync, kept in the job's checkpoint so a resumed run goes on counting,
 * and stored as the job's result at the end. A dry run fills the same report. Not thread-safe.
 */
final class SyncReport {
  /** The most conflicts listed one by one; the count goes on. */
  static final int MAX_LISTED_CONFLICTS = 100;
  static final String CREATED = "created";
  static final String UPDATED = "updated";
  static final String UNCHANGED = "unchanged";
  static final String SKIPPED = "skipped";
  static final String CONFLICTED = "conflicted";
  static final String DEACTIVATED = "deactivated";
  private static final String[] COUNTS = {CREATED, UPDATED, UNCHANGED, SKIPPED, CONFLICTED, DEACTIVATED};

  private final JsonObject json;

  private SyncReport(JsonObject json) {
    this.json = json;
  }

  /** @return an empty report of a run */
  static SyncReport start(String directory, String mode, boolean dryRun) {
    JsonObject json = new JsonObject().put("directory", directory).put("mode", mode).put("dryRun", dryRun)
        .put("entries", 0L).put("conflicts", new JsonArray());
    for (String count : COUNTS) {
      json.put(count, 0L);
    }
    return new SyncReport(json);
  }

  /** @return the report kept in a checkpoint */
  static SyncReport of(JsonObject saved) {
    return new SyncReport(saved.copy());
  }

  /** Adds one page's plan; entries this run had synced before an interruption are not counted again. */
  void add(UserPlan plan, int entries) {
    add("entries", entries - plan.resumed());
    add(CREATED, plan.creates().size());
    add(UPDATED, plan.updated());
    add(UNCHANGED, plan.unchanged());
    add(SKIPPED, plan.skipped());
    add(DEACTIVATED, plan.deactivated());
    add(CONFLICTED, plan.conflicts().size());
    JsonArray listed = json.getJsonArray("conflicts");
    for (UserPlan.Conflict c : plan.conflicts()) {
      if (listed.size() < MAX_LISTED_CONFLICTS) {
        listed.add(new JsonObject().put("username", c.username()).put("dn", c.dn()).put("reason", c.reason()));
      }
    }
  }

  void add(String count, long n) {
    json.put(count, json.getLong(count, 0L) + n);
  }

  long count(String count) {
    return json.getLong(count, 0L);
  }

  /** Records a section (groups, say) of the report. */
  void put(String key, Object value) {
    json.put(key, value);
  }

  /** @return a copy of the report as JSON */
  JsonObject toJson() {
    return json.copy();
  }
}
