package io.authgate.admin.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem: what the admin API answers for every error. Immutable.
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong this time; never a secret or a stack trace
 * @param invalidParams the parameters or body fields at fault; empty unless the request broke the contract
 */
public record Problem(String type, String title, int status, String detail, List<InvalidParam> invalidParams) {

  /**
   * A parameter or body field at fault.
   *
   * @param in where it is: path, query, header or body
   * @param name its name; for a body field, a JSON pointer (empty for the whole body)
   * @param reason what is wrong with it
   */
  public record InvalidParam(String in, String name, String reason) {
  }

  /** Copies the list. */
  public Problem {
    invalidParams = List.copyOf(invalidParams);
  }

  /** @return the problem as its JSON body */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (!invalidParams.isEmpty()) {
      JsonArray params = new JsonArray();
      invalidParams.forEach(p -> params.add(new JsonObject().put("in", p.in()).put("name", p.name())
          .put("reason", p.reason())));
      json.put("invalidParams", params);
    }
    return json;
  }
}
