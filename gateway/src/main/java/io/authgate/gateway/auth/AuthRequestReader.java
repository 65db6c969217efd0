package io.authgate.gateway.auth;

import io.authgate.core.identity.Credentials;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Reads an authentication request from a JSON body, a form body, or an {@code Authorization:
 * Basic} header (a body with credentials wins), and applies the {@link InputRules}. A session is
 * asked for with {@code "session": true} (JSON), {@code session=true} (form or query).
 */
final class AuthRequestReader {

  private AuthRequestReader() {}

  static AuthRequest read(RoutingContext ctx) {
    String contentType = Optional.ofNullable(ctx.request().getHeader("content-type")).orElse("");
    Buffer body = ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0;
    String username;
    String password;
    String realm;
    boolean session;
    if (hasBody && contentType.regionMatches(true, 0, HeaderNames.JSON, 0, HeaderNames.JSON.length())) {
      JsonObject json = json(body);
      username = text(json, "username");
      password = text(json, "password");
      realm = text(json, "realm");
      Object wanted = json.getValue("session");
      if (wanted != null && !(wanted instanceof Boolean)) {
        throw new BadRequestException("session must be true or false");
      }
      session = Boolean.TRUE.equals(wanted);
    } else if (hasBody && contentType.regionMatches(true, 0, HeaderNames.FORM, 0, HeaderNames.FORM.length())) {
      username = ctx.request().getFormAttribute("username");
      password = ctx.request().getFormAttribute("password");
      realm = ctx.request().getFormAttribute("realm");
      session = "true".equalsIgnoreCase(ctx.request().getFormAttribute("session"));
    } else if (hasBody) {
      throw new BadRequestException("send application/json or application/x-www-form-urlencoded");
    } else {
      username = null;
      password = null;
      realm = ctx.request().getParam("realm");
      session = "true".equalsIgnoreCase(ctx.request().getParam("session"));
    }
    Optional<String> checkedRealm = Optional.ofNullable(InputRules.realm(realm));
    if (username == null && password == null) {
      Credentials basic = BasicCredentials.read(ctx.request().getHeader("authorization"))
          .orElseThrow(() -> new BadRequestException("username and password are required"));
      return new AuthRequest(basic, checkedRealm, true, session);
    }
    Credentials credentials = new Credentials(InputRules.username(username), InputRules.password(password));
    return new AuthRequest(credentials, checkedRealm, false, session);
  }

  private static JsonObject json(Buffer body) {
    try {
      Object parsed = body.toJsonValue();
      if (parsed instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw new BadRequestException("the body is not valid JSON");
    }
    throw new BadRequestException("the body must be a JSON object");
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new BadRequestException(field + " must be a string");
    }
    return s;
  }
}
