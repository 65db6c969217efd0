package io.authgate.gateway.http;

import io.netty.util.AsciiString;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id: the caller's {@code X-Request-Id} when it looks like one, else a new random one;
 * kept on the routing context and echoed in the response.
 */
public final class RequestIds {
  private static final String KEY = "authgate.requestId";
  private static final AsciiString REQUEST_ID = AsciiString.of(HeaderNames.REQUEST_ID);
  private static final AsciiString CACHE_CONTROL = AsciiString.of(HeaderNames.CACHE_CONTROL);
  private static final AsciiString NO_STORE = AsciiString.of(HeaderNames.NO_STORE);
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The first handler of every route: assigns the id and sets the headers every answer carries. */
  public static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HeaderNames.REQUEST_ID);
    String id = offered != null && ACCEPTABLE.matcher(offered).matches() ? offered : generate();
    ctx.put(KEY, id);
    ctx.response().headers().add(REQUEST_ID, id).add(CACHE_CONTROL, NO_STORE);
    ctx.next();
  }

  /** @return the request's id */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }

  private static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
