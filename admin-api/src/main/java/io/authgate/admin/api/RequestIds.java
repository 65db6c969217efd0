package io.authgate.admin.api;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The admin request's id: the caller's {@code X-Request-Id} when it looks like one, else a new
 * random one; kept on the context for the logs and echoed in the answer.
 */
public final class RequestIds {
  /** The header carrying it, both ways. */
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "authgate.admin.requestId";
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  /** The first handler of the admin API: assigns the id. */
  public static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && ACCEPTABLE.matcher(offered).matches() ? offered
        : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
            + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** @return the request's id, or "-" before one was assigned */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
