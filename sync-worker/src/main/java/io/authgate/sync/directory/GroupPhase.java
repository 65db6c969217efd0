package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The group part of a sync. A full sync runs one {@code full-update} operation: per page of groups,
 * one transaction records the groups, stamps their memberships and checkpoints; then the sweep
 * soft-deletes the directory's memberships the operation did not stamp, a batch at a time, and
 * groups gone from the directory are soft-deleted. An incremental sync runs one
 * {@code partial-update} operation over the groups changed since its watermark: each page adds and
 * removes only those groups' memberships, and nothing is swept. Not thread-safe: one per run.
 */
final class GroupPhase {
  private static final String GROUP_FILTER =
      "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))";

  private final SyncRun run;
  private final GroupWriter groups;
  private UUID operation;
  private long seen;
  private long added;
  private long removed;
  private final boolean partial;

  /**
   * @param run the sync this phase belongs to
   * @param partial whether to update only the groups changed since the run's watermark
   */
  GroupPhase(SyncRun run, boolean partial) {
    this.run = run;
    this.partial = partial;
    this.groups = new GroupWriter(run.directoryId(), run.directory().name());
  }

  Future<Void> run(JsonObject saved) {
    Future<Void> started;
    if (saved != null && saved.getString("operation") != null) {
      operation = UUID.fromString(saved.getString("operation"));
      added = saved.getLong("membershipsAdded", 0L);
      removed = saved.getLong("membershipsRemoved", 0L);
      started = Future.succeededFuture();
    } else {
      started = run.pool().withTransaction(tx -> groups.startOperation(tx, run.context().job().id(),
          partial ? GroupWriter.PARTIAL_UPDATE : GroupWriter.FULL_UPDATE).compose(id -> {
        operation = id;
        return run.checkpoint(tx, run.report(), "groups", progress());
      }));
    }
    String base = run.directory().groups().searchBase().orElse(run.directory().baseDn());
    String[] attributes = {run.directory().groups().nameAttribute(), run.mapping().idAttribute(), "member", "uniqueMember"};
    Filter every = Filter.createORFilter(parse());
    if (partial) {
      Filter changed = Filter.createANDFilter(every, run.mapping().changedSince(run.since()));
      return started
          .compose(v -> pages(run.reader().search(base, changed, attributes, run.pageSize())))
          .compose(v -> run.pool().withTransaction(tx -> groups.completePartial(tx, operation, progress())))
          .map(v -> {
            run.report().put("groups", progress().put("groups", seen));
            return null;
          });
    }
    return started
        .compose(v -> pages(run.reader().search(base, every, attributes, run.pageSize())))
        .compose(v -> sweep(0))
        .compose(removed -> run.pool().withTransaction(tx -> groups.complete(tx, operation, run.runStart(),
                progress().put("membershipsRemoved", removed)))
            .map(gone -> {
              SyncReport report = run.report();
              report.put("groups", progress().put("membershipsRemoved", removed).put("groupsRemoved", gone)
                  .put("groups", seen));
              return null;
            }));
  }

  private List<Filter> parse() {
    try {
      return List.of(Filter.create(GROUP_FILTER).getComponents());
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  private Future<Void> pages(LdapReader.PagedSearch search) {
    if (search.done()) {
      return Future.succeededFuture();
    }
    return run.context().stillOurs()
        .compose(v -> run.context().vertx().executeBlocking(() -> search.next().stream().map(this::group)
            .filter(g -> g.id() != null && g.name() != null).toList()))
        .compose(page -> run.pool().withTransaction(tx -> write(tx, page).compose(v -> {
          seen += page.size();
          return run.checkpoint(tx, run.report(), "groups", progress());
        })))
        .compose(v -> pages(search));
  }

  private Future<Void> write(io.vertx.sqlclient.SqlConnection tx, List<GroupWriter.GroupEntry> page) {
    if (partial) {
      return groups.writeDelta(tx, page, operation).map(counts -> {
        added += counts[0];
        removed += counts[1];
        return null;
      });
    }
    return groups.write(tx, page, operation).map(inserted -> {
      added += inserted;
      return null;
    });
  }

  private GroupWriter.GroupEntry group(SearchResultEntry e) {
    List<String> members = new ArrayList<>();
    for (String attribute : List.of("member", "uniqueMember")) {
      String[] values = e.getAttributeValues(attribute);
      if (values != null) {
        members.addAll(List.of(values));
      }
    }
    return new GroupWriter.GroupEntry(run.mapping().id(e), e.getAttributeValue(run.directory().groups().nameAttribute()),
        e.getDN(), members);
  }

  private Future<Long> sweep(long swept) {
    return groups.sweepBatch(run.pool(), operation).compose(n -> n < GroupWriter.SWEEP_BATCH
        ? Future.succeededFuture(swept + n) : sweep(swept + n));
  }

  private JsonObject progress() {
    JsonObject progress = new JsonObject().put("operation", operation.toString()).put("membershipsAdded", added);
    return partial ? progress.put("type", GroupWriter.PARTIAL_UPDATE).put("membershipsRemoved", removed) : progress;
  }
}
