package io.authgate.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fields of a small {@code application/x-www-form-urlencoded} body, for a route that takes
 * one large field: the SAML ACS, whose SAMLResponse is several kilobytes of base64. The generic
 * body handler hands such a body to Netty's multipart decoder, which decodes it a byte at a time
 * and cost a tenth of the ACS's CPU (async-profiler, load-tests/bench.sh); this reads the body
 * within a limit and decodes each field with the JDK's {@link URLDecoder}. A body over the limit
 * fails the request with 413, a malformed escape with 400; another content type reads as no
 * fields. Field names match in any case, as Vert.x's own form attributes do, and a field sent
 * twice has no value: asking for it is refused as {@link SingleValues} refuses it.
 */
public final class UrlEncodedForm {
  private static final String KEY = UrlEncodedForm.class.getName();
  private static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

  private UrlEncodedForm() {}

  /**
   * @param limit the largest body accepted, in bytes
   * @return a handler that reads the form, then passes the request on; it must come first on its route
   */
  public static Handler<RoutingContext> reader(int limit) {
    return ctx -> {
      HttpServerRequest request = ctx.request();
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE)) {
        ctx.put(KEY, MultiMap.caseInsensitiveMultiMap());
        ctx.next();
        return;
      }
      long declared = contentLength(request);
      if (declared > limit) {
        ctx.fail(413);
        return;
      }
      Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
      boolean[] over = new boolean[1];
      request.handler(chunk -> {
        if (!over[0] && body.length() + chunk.length() > limit) {
          over[0] = true;
          ctx.fail(413);
        } else if (!over[0]) {
          body.appendBuffer(chunk);
        }
      });
      request.endHandler(v -> {
        if (over[0]) {
          return;
        }
        try {
          ctx.put(KEY, parse(body.toString(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          ctx.fail(new HttpException(400, "malformed form body"));
          return;
        }
        ctx.next();
      });
      request.resume();
    };
  }

  /** @return the declared length, or -1 when there is none (chunked) or it is not a number */
  private static long contentLength(HttpServerRequest request) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @return the value of the field read by {@link #reader} on this request, or null when absent
   * @throws BadRequestException when the body has the field more than once
   */
  public static String field(RoutingContext ctx, String name) {
    MultiMap fields = ctx.get(KEY);
    return fields == null ? null : SingleValues.single(fields, name);
  }

  /**
   * @param body the whole body
   * @return its fields, each value as often as it was sent
   * @throws IllegalArgumentException for a malformed percent escape
   */
  static MultiMap parse(String body) {
    MultiMap fields = MultiMap.caseInsensitiveMultiMap();
    int start = 0;
    while (start <= body.length()) {
      int end = body.indexOf('&', start);
      if (end < 0) {
        end = body.length();
      }
      if (end > start) {
        int eq = body.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String name = URLDecoder.decode(body.substring(start, hasValue ? eq : end), StandardCharsets.UTF_8);
        String value = hasValue ? URLDecoder.decode(body.substring(eq + 1, end), StandardCharsets.UTF_8) : "";
        fields.add(name, value);
      }
      start = end + 1;
    }
    return fields;
  }
}
