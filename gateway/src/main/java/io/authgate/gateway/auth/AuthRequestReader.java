package io.authgate.gateway.auth;

import io.authgate.core.identity.Credentials;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads an authentication request from a JSON body, a form body, or an {@code Authorization:
 * Basic} header (a body with credentials wins), and applies the {@link InputRules}.
 */
final class AuthRequestReader {
  private static final String BASIC = "basic ";

  private AuthRequestReader() {}

  static AuthRequest read(RoutingContext ctx) {
    String contentType = Optional.ofNullable(ctx.request().getHeader("content-type")).orElse("");
    Buffer body = ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0;
    String username;
    String password;
    String realm;
    if (hasBody && contentType.regionMatches(true, 0, HeaderNames.JSON, 0, HeaderNames.JSON.length())) {
      JsonObject json = json(body);
      username = text(json, "username");
      password = text(json, "password");
      realm = text(json, "realm");
    } else if (hasBody && contentType.regionMatches(true, 0, HeaderNames.FORM, 0, HeaderNames.FORM.length())) {
      username = ctx.request().getFormAttribute("username");
      password = ctx.request().getFormAttribute("password");
      realm = ctx.request().getFormAttribute("realm");
    } else if (hasBody) {
      throw new BadRequestException("send application/json or application/x-www-form-urlencoded");
    } else {
      username = null;
      password = null;
      realm = ctx.request().getParam("realm");
    }
    boolean basic = false;
    if (username == null && password == null) {
      String[] pair = basic(ctx.request().getHeader("authorization"));
      if (pair == null) {
        throw new BadRequestException("username and password are required");
      }
      username = pair[0];
      password = pair[1];
      basic = true;
    }
    Credentials credentials = new Credentials(InputRules.username(username), InputRules.password(password));
    return new AuthRequest(credentials, Optional.ofNullable(InputRules.realm(realm)), basic);
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

  /** @return {username, password} from a Basic header, or null when there is none */
  private static String[] basic(String header) {
    if (header == null || header.length() <= BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("the Basic credentials are not valid base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new BadRequestException("the Basic credentials must be username:password");
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}
