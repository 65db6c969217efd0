package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A change that waits on a lock held elsewhere answers 503 once {@code postgres.queryTimeout} has
 * passed, instead of waiting for as long as the lock is held; against a real PostgreSQL.
 */
@ExtendWith(NoBlockedThreads.class)
class StoreTimeoutApiIT {
  private static final long TIMEOUT_MILLIS = 300;
  /** Generous: the test machine may be busy; what matters is that the answer comes, and not early. */
  private static final long LATE_MILLIS = 2_500;
  private static AdminHarness admin;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start("postgres: {queryTimeout: " + TIMEOUT_MILLIS + "ms}\n");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  @Test
  void aChangeWaitingOnALockedAccountAnswers503AfterTheTimeoutAndSucceedsOnceTheLockIsGone() throws Exception {
    UUID id = admin.insertUser(admin.directory("corp"), "locked", "locked@corp.example", "Locked", "Sales",
        "active", "ldap_sync");
    SqlConnection holder = admin.pool.getConnection().await(10, TimeUnit.SECONDS);
    Transaction held = holder.begin().await(10, TimeUnit.SECONDS);
    holder.preparedQuery("SELECT * FROM users WHERE resource_id = $1 FOR UPDATE").execute(Tuple.of(id))
        .await(10, TimeUnit.SECONDS);
    try {
      long start = System.nanoTime();
      HttpResponse<Buffer> answer = patch(id, "Research");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertProblem(answer, 503, "store-timeout");
      assertThat(answer.bodyAsJsonObject().getString("detail")).isEqualTo("the store did not answer in time; try again");
      assertThat(millis).isBetween(TIMEOUT_MILLIS, TIMEOUT_MILLIS + LATE_MILLIS);
    } finally {
      held.rollback().await(10, TimeUnit.SECONDS);
      holder.close().await(10, TimeUnit.SECONDS);
    }
    HttpResponse<Buffer> retried = patch(id, "Research");
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("department")).isEqualTo("Research");
  }

  private static HttpResponse<Buffer> patch(UUID id, String department) {
    return admin.request(HttpMethod.PATCH, "/admin/v1/users/" + id, admin.operatorKey)
        .putHeader("content-type", "application/json")
        .sendBuffer(new JsonObject().put("department", department).toBuffer()).await();
  }
}
