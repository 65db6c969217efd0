package io.authgate.gateway.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.authgate.core.identity.Credentials;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.SingleValues;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads an authentication request from a JSON body, a form body, or an {@code Authorization:
 * Basic} header (a body with credentials wins), and applies the {@link InputRules}. A session is
 * asked for with {@code "session": true} (JSON), {@code session=true} (form or query). A field the
 * request gives twice (a JSON key, a form field, a query parameter, or the {@code Authorization}
 * header when it carries the credentials) is refused with 400: a proxy or application that reads
 * the request too might take the other value, and then it and the gateway would act on different
 * users. Other JSON keys are ignored.
 */
final class AuthRequestReader {
  /** Thread-safe once configured; parsers are cheap and one per request. */
  private static final JsonFactory JSON = new JsonFactory();

  private AuthRequestReader() {}

  /** The fields of a request, as sent. */
  private record Fields(String username, String password, String realm, boolean session) {}

  static AuthRequest read(RoutingContext ctx) {
    String contentType = Optional.ofNullable(ctx.request().getHeader("content-type")).orElse("");
    Buffer body = ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0;
    Fields fields;
    if (hasBody && contentType.regionMatches(true, 0, HeaderNames.JSON, 0, HeaderNames.JSON.length())) {
      fields = json(body);
    } else if (hasBody && contentType.regionMatches(true, 0, HeaderNames.FORM, 0, HeaderNames.FORM.length())) {
      fields = form(ctx.request().formAttributes(), true);
    } else if (hasBody) {
      throw new BadRequestException("send application/json or application/x-www-form-urlencoded");
    } else {
      fields = form(ctx.request().params(), false);
    }
    Optional<String> checkedRealm = Optional.ofNullable(InputRules.realm(fields.realm()));
    if (fields.username() == null && fields.password() == null) {
      String authorization = SingleValues.single(ctx.request().headers(), HeaderNames.AUTHORIZATION);
      Credentials basic = BasicCredentials.read(authorization)
          .orElseThrow(() -> new BadRequestException("username and password are required"));
      return new AuthRequest(basic, checkedRealm, true, fields.session());
    }
    Credentials credentials = new Credentials(InputRules.username(fields.username()),
        InputRules.password(fields.password()));
    return new AuthRequest(credentials, checkedRealm, false, fields.session());
  }

  /** A form body's fields, or (without a body) the query's realm and session only. */
  private static Fields form(MultiMap fields, boolean credentials) {
    return new Fields(credentials ? SingleValues.single(fields, "username") : null,
        credentials ? SingleValues.single(fields, "password") : null,
        SingleValues.single(fields, "realm"), "true".equalsIgnoreCase(SingleValues.single(fields, "session")));
  }

  /** One pass over the body with Jackson's streaming parser: no tree, and a key given twice is seen. */
  private static Fields json(Buffer body) {
    String username = null;
    String password = null;
    String realm = null;
    boolean session = false;
    int seen = 0;
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new BadRequestException("the body is not valid JSON");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new BadRequestException("the body must be a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == null) {
          throw new BadRequestException("the body is not valid JSON");
        }
        switch (name) {
          case "username" -> {
            seen = once(seen, 1, name);
            username = text(parser, value, name);
          }
          case "password" -> {
            seen = once(seen, 2, name);
            password = text(parser, value, name);
          }
          case "realm" -> {
            seen = once(seen, 4, name);
            realm = text(parser, value, name);
          }
          case "session" -> {
            seen = once(seen, 8, name);
            session = flag(value);
          }
          default -> parser.skipChildren();
        }
      }
      // The object must end, and nothing may follow it.
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new BadRequestException("the body is not valid JSON");
      }
    } catch (IOException e) {
      throw new BadRequestException("the body is not valid JSON");
    }
    return new Fields(username, password, realm, session);
  }

  /** @return the fields seen so far with this one; refused when it was seen already */
  private static int once(int seen, int bit, String field) {
    if ((seen & bit) != 0) {
      throw new BadRequestException(field + " is given more than once");
    }
    return seen | bit;
  }

  private static String text(JsonParser parser, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw new BadRequestException(field + " must be a string");
    }
    return parser.getText();
  }

  private static boolean flag(JsonToken value) {
    return switch (value) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw new BadRequestException("session must be true or false");
    };
  }
}
