package io.authgate.admin.jobs;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.ApiKeyAuthentication;
import io.authgate.admin.api.Caller;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobQuery;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.core.store.ManagedDirectories;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /directories/{id}/sync} ({@code syncDirectory}), {@code GET /jobs} ({@code listJobs}),
 * {@code GET /jobs/{jobId}} ({@code getJob}) and {@code POST /jobs/{jobId}/cancel}
 * ({@code cancelJob}). A sync request is a job row (with its {@code NOTIFY}) committed with its
 * audit entry; the sync workers take it from there. Thread-safe.
 */
public final class JobHandlers {
  private final JobStore jobs;
  private final ManagedDirectories directories;
  private final AdminAudit audit;

  /**
   * @param jobs the store's jobs
   * @param directories finds the directory a sync is asked for
   * @param audit records requests and cancellations
   */
  public JobHandlers(JobStore jobs, ManagedDirectories directories, AdminAudit audit) {
    this.jobs = jobs;
    this.directories = directories;
    this.audit = audit;
  }

  /** {@code POST /directories/{id}/sync}. */
  public void sync(RoutingContext ctx) {
    UUID id = Exchanges.pathId(ctx, "id");
    RequestParameter sent = Exchanges.validated(ctx).getBody();
    JsonObject body = sent == null || sent.isNull() || sent.isEmpty() ? new JsonObject() : sent.getJsonObject();
    SyncRequest.Mode mode = SyncRequest.Mode.byId(body.getString("mode", "incremental")).orElseThrow();
    boolean dryRun = body.getBoolean("dryRun", false);
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    Exchanges.respond(ctx, audit.change(ctx,
            connection -> directories.find(connection, id, false)
                .compose(directory -> Exchanges.found(directory, "no such directory"))
                .compose(directory -> jobs.enqueue(connection,
                    new SyncRequest(directory.name(), mode, dryRun).toJob(caller.actor())))
                .compose(enqueued -> enqueued.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
                    ProblemException.conflict("a sync of this directory is already queued or running")))),
            job -> new AdminAudit.Entry("directory.sync.requested", "directory", id.toString(), null, null,
                job.payload().copy().put("job", job.id().toString())))
        .onSuccess(job -> ctx.response().putHeader(HttpHeaders.LOCATION, AdminPaths.BASE + "/jobs/" + job.id()))
        .map(Job::toJson), 202);
  }

  /** {@code GET /jobs}. */
  public void list(RoutingContext ctx) {
    String status = Exchanges.query(ctx, "status");
    UUID before = cursor(Exchanges.query(ctx, "cursor"));
    if (before == null && Exchanges.query(ctx, "cursor") != null) {
      ctx.fail(ProblemException.invalidParam("query", "cursor", "not a cursor this API issued"));
      return;
    }
    JobQuery query = new JobQuery(Exchanges.query(ctx, "type"),
        status == null ? null : JobStatus.byId(status).orElseThrow(), Exchanges.query(ctx, "directory"), before,
        Exchanges.query(ctx, "limit", 50));
    Exchanges.respond(ctx, jobs.list(query).map(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(job -> items.add(job.toJson()));
      JsonObject body = new JsonObject().put("items", items);
      if (page.more()) {
        body.put("nextCursor", page.items().get(page.items().size() - 1).id().toString());
      }
      return body;
    }), 200);
  }

  /** {@code GET /jobs/{jobId}}. */
  public void get(RoutingContext ctx) {
    Exchanges.respond(ctx, jobs.get(Exchanges.pathId(ctx, "jobId")).compose(JobHandlers::found).map(Job::toJson), 200);
  }

  /** {@code POST /jobs/{jobId}/cancel}. */
  public void cancel(RoutingContext ctx) {
    UUID id = Exchanges.pathId(ctx, "jobId");
    Exchanges.respond(ctx, jobs.get(id).compose(JobHandlers::found).compose(before -> {
      if (before.status().finished()) {
        return Future.failedFuture(ProblemException.conflict("the job has already finished: " + before.status().id()));
      }
      return jobs.cancel(id).compose(JobHandlers::found).compose(after -> audit.record(ctx, new AdminAudit.Entry(
              "job.cancelled", "job", id.toString(), null, new JsonObject().put("status", before.status().id()),
              new JsonObject().put("status", after.status().id()))).map(after));
    }).map(Job::toJson), 200);
  }

  private static Future<Job> found(Optional<Job> job) {
    return job.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(ProblemException.notFound("no such job")));
  }

  private static UUID cursor(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
