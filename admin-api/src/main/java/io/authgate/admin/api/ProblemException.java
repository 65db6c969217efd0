package io.authgate.admin.api;

import io.authgate.admin.api.Problem.InvalidParam;
import java.util.List;

/**
 * A failure the admin API answers with a known problem. Handlers fail their request with one;
 * {@link Problems} turns it (and every other failure) into the answer. Carries no stack trace.
 */
public final class ProblemException extends RuntimeException {
  private static final String PREFIX = "urn:authgate:problem:";
  /** The request broke the contract (or a rule the contract cannot say). */
  public static final String INVALID_REQUEST = PREFIX + "invalid-request";

  private final transient Problem problem;

  /** @param problem the answer */
  public ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  /** @return the answer */
  public Problem problem() {
    return problem;
  }

  private static ProblemException of(String slug, String title, int status, String detail) {
    return new ProblemException(new Problem(PREFIX + slug, title, status, detail, List.of()));
  }

  /** @return a 400 naming one parameter or body field */
  public static ProblemException invalidParam(String in, String name, String reason) {
    return new ProblemException(new Problem(INVALID_REQUEST, "Invalid request", 400,
        in + " parameter " + name + ": " + reason, List.of(new InvalidParam(in, name, reason))));
  }

  /** @return a 401: no key, or one that is unknown, revoked or expired */
  public static ProblemException unauthorized(String detail) {
    return of("unauthorized", "Unauthorized", 401, detail);
  }

  /** @return a 403: the caller's role may not do this */
  public static ProblemException forbidden(String detail) {
    return of("forbidden", "Forbidden", 403, detail);
  }

  /** @return a 404 */
  public static ProblemException notFound(String detail) {
    return of("not-found", "Not Found", 404, detail);
  }

  /** @return a 409: the change conflicts with what exists */
  public static ProblemException conflict(String detail) {
    return of("conflict", "Conflict", 409, detail);
  }

  /** @return a 422: well-formed, but naming something that does not exist */
  public static ProblemException unprocessable(String in, String name, String reason) {
    return new ProblemException(new Problem(PREFIX + "unprocessable", "Unprocessable Content", 422,
        in + " parameter " + name + ": " + reason, List.of(new InvalidParam(in, name, reason))));
  }

  /** @return a 503: what the operation needs is not configured or not reachable */
  public static ProblemException unavailable(String detail) {
    return of("unavailable", "Service Unavailable", 503, detail);
  }
}
