package io.authgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** What every admin API error looks like to a client: an RFC 9457 problem. */
final class ProblemAssertions {
  private ProblemAssertions() {
  }


  /** Asserts a 400 problem naming one parameter or body field. */
  static void assertInvalid(HttpResponse<Buffer> response, String in, String name) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:authgate:problem:invalid-request");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).contains(name);
    JsonObject param = problem.getJsonArray("invalidParams").getJsonObject(0);
    assertThat(param.getString("in")).isEqualTo(in);
    assertThat(param.getString("name")).isEqualTo(name);
    assertThat(param.getString("reason")).isNotBlank();
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("urn:authgate:problem:" + type);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  /** Asserts a problem of this status whose detail is exactly the text. */
  static void assertDetail(HttpResponse<Buffer> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo(detail);
  }
}
