package io.authgate.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.store.AccountException;
import io.authgate.core.store.AccountException.Reason;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

class ProblemsTest {
  @Test
  void storeRefusalsBecomeTheirStatus() {
    assertThat(Problems.of(new AccountException(Reason.USERNAME_TAKEN, "x"), -1).status()).isEqualTo(409);
    assertThat(Problems.of(new AccountException(Reason.NOT_FOUND, "x"), -1).status()).isEqualTo(404);
    assertThat(Problems.of(new RuntimeException(ProblemException.forbidden("no")), -1).status()).isEqualTo(403);
  }

  @Test
  void routingStatusesAndUnreadableBodiesAreProblemsToo() {
    assertThat(Problems.of(null, 404).type()).isEqualTo("urn:authgate:problem:not-found");
    assertThat(Problems.of(null, 405).status()).isEqualTo(405);
    assertThat(Problems.of(new HttpException(413), -1).status()).isEqualTo(413);
    assertThat(Problems.of(new HttpException(400), -1).status()).isEqualTo(400);
  }

  @Test
  void aStatementTheStoreCancelledIsA503ThatSaysNothingOfTheStatement() {
    PgException cancelled = new PgException("canceling statement due to statement timeout", "ERROR", "57014",
        "UPDATE users SET secret = 'hunter2'");
    Problem problem = Problems.of(new IllegalStateException("in a transaction", cancelled), -1);
    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.type()).isEqualTo(Problems.STORE_TIMEOUT);
    assertThat(problem.toJson().encode()).doesNotContain("hunter2", "UPDATE", "57014");
    assertThat(Problems.of(new PgException("duplicate key", "ERROR", "23505", null), -1).status())
        .as("other store errors stay unexpected").isEqualTo(500);
  }

  @Test
  void anythingUnexpectedIsA500ThatSaysNothingOfItsCause() {
    Problem problem = Problems.of(new IllegalStateException("password=hunter2 at db"), -1);
    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.toJson().encode()).doesNotContain("hunter2", "IllegalState");
  }

  @Test
  void aProblemNamesTheFieldAtFault() {
    JsonObject json = ProblemException.invalidParam("query", "limit", "must be at most 500").problem().toJson();
    assertThat(json.getString("detail")).isEqualTo("query parameter limit: must be at most 500");
    assertThat(json.getJsonArray("invalidParams").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("in", "query").put("name", "limit").put("reason", "must be at most 500"));
    assertThat(ProblemException.notFound("no such user").problem().toJson().containsKey("invalidParams")).isFalse();
  }

  @Test
  void anAuditorMayOnlyRead() {
    assertThat(AdminRole.AUDITOR.mayUse(HttpMethod.GET)).isTrue();
    assertThat(AdminRole.AUDITOR.mayUse(HttpMethod.POST)).isFalse();
    assertThat(AdminRole.AUDITOR.mayUse(HttpMethod.PATCH)).isFalse();
    assertThat(AdminRole.AUDITOR.mayUse(HttpMethod.DELETE)).isFalse();
    assertThat(AdminRole.OPERATOR.mayUse(HttpMethod.DELETE)).isTrue();
    assertThat(AdminRole.ADMIN.mayUse(HttpMethod.POST)).isTrue();
  }
}
