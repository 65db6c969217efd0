package io.authgate.admin.api;

import io.authgate.admin.api.Problem.InvalidParam;
import io.authgate.core.lifecycle.TransitionException;
import io.authgate.core.store.AccountException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an answer: every error of the admin API is an
 * {@code application/problem+json} body made here. Contract violations answer 400 naming the
 * parameter or body field; store refusals their 404 or 409; a statement the store cancelled for
 * running past {@code postgres.queryTimeout} a 503; anything unexpected a 500 that says nothing
 * more (the cause is logged with the request id).
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  /** "... the required query parameter limit", "... of query parameter limit is invalid ...". */
  private static final Pattern PARAMETER = Pattern.compile("(?i)\\b(path|query|header|cookie) parameter ([^\\s.]+)");
  /** The type of the 503 answered when the store cancelled a statement that ran too long. */
  static final String STORE_TIMEOUT = "urn:authgate:problem:store-timeout";
  private static final String QUERY_CANCELED = "57014";
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

  private Problems() {
  }

  /** The failure handler: answers the context's failure as a problem. */
  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Problem problem = of(ctx.failure(), ctx.statusCode());
    if (problem.status() == 500 && ctx.failure() != null) {
      LOG.atError().addKeyValue("event", "admin.error").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("path", ctx.request().path()).setCause(ctx.failure()).log("admin API request failed");
    } else if (problem.type().equals(STORE_TIMEOUT)) {
      LOG.atWarn().addKeyValue("event", "admin.store_timeout").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("path", ctx.request().path())
          .log("admin API request failed: a statement ran past postgres.queryTimeout and was cancelled");
    }
    send(ctx, problem);
  }

  /** Answers with a problem. */
  public static void send(RoutingContext ctx, Problem problem) {
    if (problem.status() == 401) {
      ctx.response().putHeader(AdminPaths.WWW_AUTHENTICATE_HEADER, AdminPaths.WWW_AUTHENTICATE);
    }
    ctx.response().setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.PROBLEM_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(problem.toJson().encode());
  }

  /**
   * @param failure what failed, or null
   * @param status the status the router chose when nothing failed (404, 405, ...), or -1
   * @return the answer
   */
  public static Problem of(Throwable thrown, int status) {
    Throwable failure = known(thrown);
    if (failure instanceof ProblemException p) {
      return p.problem();
    }
    if (cancelledByStore(failure)) {
      return generic("store-timeout", "Service Unavailable", 503, "the store did not answer in time; try again");
    }
    if (failure instanceof ValidatorException v) {
      return isUnsupportedBody(v) ? generic("unsupported-media-type", "Unsupported Media Type", 415,
          "send the body as application/json") : invalid(v);
    }
    if (failure instanceof AccountException a) {
      return switch (a.reason()) {
        case NOT_FOUND -> ProblemException.notFound("no such user").problem();
        case USERNAME_TAKEN -> ProblemException.conflict("another account has the username").problem();
        default -> ProblemException.conflict(a.getMessage()).problem();
      };
    }
    if (failure instanceof TransitionException t) {
      return ProblemException.conflict(t.getMessage()).problem();
    }
    int code = failure instanceof HttpException h ? h.getStatusCode() : status;
    return switch (code) {
      case 400 -> generic("invalid-request", "Invalid request", 400, "the request could not be read");
      case 404 -> generic("not-found", "Not Found", 404, "no such endpoint");
      case 405 -> generic("method-not-allowed", "Method Not Allowed", 405, "the endpoint does not allow this method");
      case 413 -> generic("too-large", "Content Too Large", 413, "the request body is too large");
      case 415 -> generic("unsupported-media-type", "Unsupported Media Type", 415, "send application/json");
      default -> generic("internal", "Internal Server Error", 500, "the request failed; see the server log");
    };
  }

  /**
   * @return the first ProblemException, ValidatorException, AccountException, TransitionException or
   *     statement the store cancelled in the cause chain, else the failure
   */
  private static Throwable known(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ProblemException || t instanceof ValidatorException || t instanceof AccountException
          || t instanceof TransitionException || cancelledByStore(t)) {
        return t;
      }
    }
    return failure;
  }

  /** @return whether this is PostgreSQL cancelling a statement (SQLSTATE 57014: {@code postgres.queryTimeout}) */
  private static boolean cancelledByStore(Throwable failure) {
    return failure instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState());
  }

  private static Problem generic(String slug, String title, int status, String detail) {
    return new Problem("urn:authgate:problem:" + slug, title, status, detail, List.of());
  }

  /** A body in a media type the operation does not take (vertx-openapi says so only in words). */
  private static boolean isUnsupportedBody(ValidatorException v) {
    return v.getMessage() != null && v.getMessage().contains("format of the request body is not supported");
  }

  private static Problem invalid(ValidatorException v) {
    List<InvalidParam> params = new ArrayList<>();
    String message = v.getMessage() == null ? "" : v.getMessage();
    Matcher parameter = PARAMETER.matcher(message);
    String reason = reason(v, message);
    if (parameter.find()) {
      params.add(new InvalidParam(parameter.group(1).toLowerCase(Locale.ROOT), parameter.group(2), reason));
    } else if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      params.add(new InvalidParam("body", bodyField(s.getOutputUnit()), reason));
    } else {
      params.add(new InvalidParam("body", "", reason));
    }
    InvalidParam first = params.get(0);
    String where = first.in().equals("body")
        ? (first.name().isEmpty() ? "request body" : "body field " + first.name())
        : first.in() + " parameter " + first.name();
    return new Problem(ProblemException.INVALID_REQUEST, "Invalid request", 400, where + ": " + reason, params);
  }

  /** The deepest error's reason, else what follows "Reason:" in the message, else the message. */
  private static String reason(ValidatorException v, String message) {
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      OutputUnit unit = deepest(s.getOutputUnit());
      if (unit.getError() != null) {
        return unit.getError();
      }
    }
    int at = message.indexOf("Reason: ");
    return at >= 0 ? message.substring(at + "Reason: ".length()) : message;
  }

  /** The JSON pointer of the body field at fault: where the deepest error is, or the property it names. */
  private static String bodyField(OutputUnit unit) {
    OutputUnit deepest = deepest(unit);
    String location = deepest.getInstanceLocation() == null ? "" : deepest.getInstanceLocation();
    location = location.startsWith("#") ? location.substring(1) : location;
    String keyword = deepest.getKeywordLocation() == null ? "" : deepest.getKeywordLocation();
    Matcher quoted = QUOTED.matcher(deepest.getError() == null ? "" : deepest.getError());
    boolean namesProperty = keyword.endsWith("required")
        || location.isEmpty() && keyword.endsWith("additionalProperties");
    if (quoted.find() && namesProperty) {
      return location + "/" + quoted.group(1);
    }
    return location;
  }

  private static OutputUnit deepest(OutputUnit unit) {
    OutputUnit current = unit;
    while (current.getErrors() != null && !current.getErrors().isEmpty()) {
      current = current.getErrors().get(0);
    }
    return current;
  }
}
