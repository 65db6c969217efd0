package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertDetail;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Asking for directory syncs and following and cancelling jobs over HTTP, against a real PostgreSQL. */
@ExtendWith(NoBlockedThreads.class)
class JobsApiIT {
  private static AdminHarness admin;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static HttpResponse<Buffer> sync(UUID directory, String key, JsonObject body) {
    var request = admin.request(HttpMethod.POST, "/admin/v1/directories/" + directory + "/sync", key);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static HttpResponse<Buffer> get(String path) {
    return admin.request(HttpMethod.GET, "/admin/v1" + path, admin.auditorKey).send().await();
  }

  @Test
  void aSyncRequestQueuesOneJobPerDirectoryThatCanBeFollowedAndCancelled() {
    UUID corp = admin.directory("jobs-corp");
    HttpResponse<Buffer> queued = sync(corp, admin.operatorKey, new JsonObject().put("mode", "full").put("dryRun", true));
    assertThat(queued.statusCode()).as(queued.bodyAsString()).isEqualTo(202);
    JsonObject job = queued.bodyAsJsonObject();
    assertThat(job.getString("type")).isEqualTo("directory.sync");
    assertThat(job.getString("status")).isEqualTo("queued");
    assertThat(job.getJsonObject("payload")).isEqualTo(new JsonObject().put("directory", "jobs-corp")
        .put("mode", "full").put("dryRun", true));
    String id = job.getString("id");
    assertThat(queued.getHeader("location")).isEqualTo("/admin/v1/jobs/" + id);

    assertDetail(sync(corp, admin.adminKey, null), 409, "a sync of this directory is already queued or running");
    assertThat(get("/jobs/" + id).bodyAsJsonObject().getString("status")).isEqualTo("queued");
    assertThat(get("/jobs?directory=jobs-corp&status=queued").bodyAsJsonObject().getJsonArray("items")).hasSize(1);

    HttpResponse<Buffer> cancelled = admin.request(HttpMethod.POST, "/admin/v1/jobs/" + id + "/cancel",
        admin.operatorKey).send().await();
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertDetail(admin.request(HttpMethod.POST, "/admin/v1/jobs/" + id + "/cancel", admin.operatorKey).send().await(),
        409, "the job has already finished: cancelled");
    // Cancelled, the directory may be synced again; no mode means incremental.
    HttpResponse<Buffer> again = sync(corp, admin.operatorKey, null);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject().getJsonObject("payload").getString("mode")).isEqualTo("incremental");

    var actions = admin.pool.preparedQuery("SELECT action FROM audit_log WHERE target_id = $1 OR target_id = $2"
        + " ORDER BY id").execute(Tuple.of(corp.toString(), id)).await().stream().map(r -> r.getString(0)).toList();
    assertThat(actions).containsExactly("directory.sync.requested", "job.cancelled", "directory.sync.requested");
  }

  @Test
  void listsPageAndBadRequestsAreRefused() {
    UUID first = admin.directory("jobs-a");
    UUID second = admin.directory("jobs-b");
    assertThat(sync(first, admin.operatorKey, null).statusCode()).isEqualTo(202);
    assertThat(sync(second, admin.operatorKey, null).statusCode()).isEqualTo(202);
    JsonObject page = get("/jobs?type=directory.sync&limit=1").bodyAsJsonObject();
    assertThat(page.getJsonArray("items")).hasSize(1);
    String cursor = page.getString("nextCursor");
    assertThat(cursor).isNotNull();
    JsonObject next = get("/jobs?type=directory.sync&limit=1&cursor=" + cursor).bodyAsJsonObject();
    assertThat(next.getJsonArray("items").getJsonObject(0).getString("id"))
        .isNotEqualTo(page.getJsonArray("items").getJsonObject(0).getString("id"));

    assertThat(sync(UUID.randomUUID(), admin.operatorKey, null).statusCode()).isEqualTo(404);
    assertThat(sync(first, admin.auditorKey, null).statusCode()).isEqualTo(403);
    assertThat(sync(first, admin.operatorKey, new JsonObject().put("mode", "everything")).statusCode()).isEqualTo(400);
    assertThat(get("/jobs/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    assertThat(get("/jobs?status=sleeping").statusCode()).isEqualTo(400);
    assertThat(get("/jobs?cursor=nope").statusCode()).isEqualTo(400);
  }
}
