package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.GroupsConfig;
import io.authgate.core.config.SyncConfig;
import io.authgate.sync.jobs.JobContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One attempt of a directory sync. Users first: a paged search, and per page one transaction that
 * writes the page and the job's checkpoint together, so an interrupted run resumes without
 * counting or writing an entry twice (entries it already synced are recognised by their last sync
 * time). A full run then suspends the accounts it did not see and syncs every group ({@link GroupPhase});
 * an incremental run updates the groups changed since its watermark, partially.
 * A dry run plans the same pages and writes nothing but the report. Not thread-safe: one per attempt.
 */
final class SyncRun {
  private static final String USERS = "users";
  private static final String GROUPS = "groups";
  private static final String NOTED = "noted";

  private final JobContext context;
  private final Pool pool;
  private final DirectoryConfig directory;
  private final UUID directoryId;
  private final boolean dryRun;
  private final SyncConfig config;
  private final SyncMeters meters;
  private final EntryMapping mapping;
  private final UserWriter users;
  private final Set<String> seen = new HashSet<>();
  private final Set<String> noted = new LinkedHashSet<>();
  private String mode;
  private Instant runStart;
  private SyncReport report;
  private String since;
  private String watermark;
  private String phase;
  private JsonObject groupCheckpoint;
  private LdapReader reader;

  SyncRun(JobContext context, Pool pool, DirectoryConfig directory, UUID directoryId, String mode, boolean dryRun,
          SyncConfig config, SyncMeters meters) {
    this.context = context;
    this.pool = pool;
    this.directory = directory;
    this.directoryId = directoryId;
    this.mode = mode;
    this.dryRun = dryRun;
    this.config = config;
    this.meters = meters;
    this.mapping = EntryMapping.of(directory);
    this.users = new UserWriter(directoryId, directory.name());
  }

  Future<JsonObject> run() {
    return prepare()
        .compose(v -> blocking(() -> reader = LdapReader.open(directory)))
        .compose(v -> USERS.equals(phase) ? usersPhase() : Future.succeededFuture())
        .compose(v -> syncGroups() ? new GroupPhase(this, !DirectorySyncJob.FULL.equals(mode)).run(groupCheckpoint)
            : Future.succeededFuture())
        .compose(v -> finish())
        .eventually(() -> reader == null ? Future.succeededFuture() : blocking(() -> reader.close()));
  }

  private Future<Void> prepare() {
    JsonObject saved = context.checkpoint();
    if (saved != null && !dryRun && saved.containsKey("runStart")) {
      runStart = Instant.parse(saved.getString("runStart"));
      mode = saved.getString("mode");
      report = SyncReport.of(saved.getJsonObject("report"));
      since = saved.getString("since");
      watermark = saved.getString("watermark");
      phase = saved.getString("phase");
      groupCheckpoint = saved.getJsonObject(GROUPS);
      saved.getJsonArray(NOTED, new JsonArray()).forEach(key -> noted.add((String) key));
      return Future.succeededFuture();
    }
    return pool.query("SELECT now()").execute()
        .compose(rows -> {
          runStart = rows.iterator().next().getOffsetDateTime(0).toInstant();
          return SyncState.read(pool, directoryId);
        })
        .map(state -> {
          if (DirectorySyncJob.AUTO.equals(mode)) {
            boolean fullDue = state.watermark() == null || state.lastFullAt() == null
                || state.lastFullAt().plus(config.fullSyncInterval()).isBefore(runStart);
            mode = fullDue ? DirectorySyncJob.FULL : DirectorySyncJob.INCREMENTAL;
          }
          since = DirectorySyncJob.INCREMENTAL.equals(mode) ? state.watermark() : null;
          watermark = state.watermark();
          phase = USERS;
          report = SyncReport.start(directory.name(), mode, dryRun);
          return null;
        });
  }

  private Future<Void> usersPhase() {
    Filter filter;
    try {
      filter = userFilter();
    } catch (LDAPException e) {
      return Future.failedFuture(e);
    }
    return userPages(reader.search(directory.effectiveUserSearchBase(), filter, mapping.userAttributes(),
        config.pageSize())).compose(v -> afterUsers());
  }

  private Filter userFilter() throws LDAPException {
    Filter all = Filter.create(directory.userFilter().replace("{username}", "*"));
    return since == null ? all : Filter.createANDFilter(all, mapping.changedSince(since));
  }

  private Future<Void> userPages(LdapReader.PagedSearch search) {
    if (search.done()) {
      return Future.succeededFuture();
    }
    return context.stillOurs()
        .compose(v -> context.vertx().executeBlocking(() -> search.next().stream().map(mapping::user).toList()))
        .compose(this::userPage)
        .compose(v -> userPages(search));
  }

  private Future<Void> userPage(List<DirectoryEntry> entries) {
    UserPlanner planner = new UserPlanner(directoryId, runStart, noted);
    for (DirectoryEntry e : entries) {
      watermark = mapping.later(watermark, e.changeStamp());
    }
    if (dryRun) {
      entries.forEach(e -> seen.add(e.externalId()));
      return users.candidates(pool, entries).map(found -> {
        report.add(planner.plan(entries, found), entries.size());
        return null;
      });
    }
    SyncReport next = SyncReport.of(report.toJson());
    return pool.withTransaction(tx -> users.candidates(tx, entries).compose(found -> {
      UserPlan plan = planner.plan(entries, found);
      next.add(plan, entries.size());
      noted.addAll(plan.noted());
      return users.apply(tx, plan).compose(v -> checkpoint(tx, next, USERS, null)).map(plan);
    })).map(plan -> {
      report = next;
      meters.entries(directory.name(), SyncReport.CREATED, plan.creates().size());
      meters.entries(directory.name(), SyncReport.UPDATED, plan.updated());
      meters.entries(directory.name(), SyncReport.UNCHANGED, plan.unchanged());
      meters.entries(directory.name(), SyncReport.SKIPPED, plan.skipped());
      meters.entries(directory.name(), SyncReport.CONFLICTED, plan.conflicts().size());
      meters.entries(directory.name(), SyncReport.DEACTIVATED, plan.deactivated());
      return null;
    });
  }

  private Future<Void> afterUsers() {
    if (!DirectorySyncJob.FULL.equals(mode)) {
      phase = GROUPS;
      return Future.succeededFuture();
    }
    if (dryRun) {
      return users.countAbsent(pool, seen).map(absent -> {
        report.add(SyncReport.DEACTIVATED, absent);
        return null;
      });
    }
    SyncReport next = SyncReport.of(report.toJson());
    return pool.withTransaction(tx -> users.liveSynced(tx).compose(live -> {
      if (next.count("entries") == 0 && live > 0) {
        return Future.failedFuture(new IllegalStateException("the directory returned no users; refusing to suspend "
            + live + " account(s): check the search base and user filter"));
      }
      return users.suspendAbsent(tx, runStart);
    }).compose(absent -> {
      next.add(SyncReport.DEACTIVATED, absent);
      meters.entries(directory.name(), SyncReport.DEACTIVATED, absent);
      return checkpoint(tx, next, GROUPS, null);
    })).map(v -> {
      report = next;
      phase = GROUPS;
      return null;
    });
  }

  private boolean syncGroups() {
    // A full run updates every group (mark and sweep); an incremental one the groups changed since (partial updates).
    return (DirectorySyncJob.FULL.equals(mode) || since != null) && !dryRun
        && directory.groups().strategy() != GroupsConfig.Strategy.NONE;
  }

  private Future<JsonObject> finish() {
    if (dryRun) {
      return Future.succeededFuture(report.toJson());
    }
    return SyncState.saveSuccess(pool, directoryId, watermark, DirectorySyncJob.FULL.equals(mode), context.job().id())
        .map(at -> {
          meters.succeeded(directory.name(), at);
          return report.toJson();
        });
  }

  /** Records progress through the page's transaction. */
  Future<Void> checkpoint(io.vertx.sqlclient.SqlClient tx, SyncReport at, String atPhase, JsonObject groups) {
    JsonObject checkpoint = new JsonObject().put("runStart", runStart.toString()).put("mode", mode)
        .put("since", since).put("watermark", watermark).put("phase", atPhase).put("report", at.toJson())
        .put(GROUPS, groups).put(NOTED, new JsonArray(List.copyOf(noted)));
    return context.checkpoint(tx, checkpoint, at.count("entries"), at.count(SyncReport.CONFLICTED), null);
  }

  /** A blocking LDAP step, run on a worker thread. */
  @FunctionalInterface
  interface LdapStep {
    void run() throws Exception;
  }

  Future<Void> blocking(LdapStep step) {
    return context.vertx().executeBlocking(() -> {
      step.run();
      return null;
    });
  }

  JobContext context() {
    return context;
  }

  Pool pool() {
    return pool;
  }

  DirectoryConfig directory() {
    return directory;
  }

  /** @return the watermark an incremental run reads changes from, or null for a full run */
  String since() {
    return since;
  }

  UUID directoryId() {
    return directoryId;
  }

  EntryMapping mapping() {
    return mapping;
  }

  LdapReader reader() {
    return reader;
  }

  SyncReport report() {
    return report;
  }

  void report(SyncReport updated) {
    report = updated;
  }

  Instant runStart() {
    return runStart;
  }

  int pageSize() {
    return config.pageSize();
  }
}
