package io.authgate.gateway.auth;

import io.authgate.core.identity.Principal;
import io.authgate.gateway.http.ClientAddresses;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/auth}: reads the credentials, runs the {@link AuthService}, and answers 200 with
 * the user, the same 401 for every refusal, 403 when a required group is missing, or 503 when the
 * directory cannot answer; with {@code "session": true}, a granted login also opens a session
 * (token in the body and the cookie). Refusals are logged with their precise reason; passwords
 * never are.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  /** The path this handler serves. */
  public static final String PATH = "/v1/auth";
  private static final String INVALID = new JsonObject().put("authenticated", false)
      .put("error", "invalid_credentials").encode();
  private static final String FORBIDDEN = new JsonObject().put("authenticated", false)
      .put("error", "forbidden").encode();
  private static final String UNAVAILABLE = new JsonObject().put("authenticated", false)
      .put("error", "directory_unavailable").encode();

  private final AuthService service;
  private final ClientAddresses addresses;
  private final SessionCookies cookies;

  /**
   * @param service the authentication path
   * @param addresses finds the client's address behind trusted proxies
   * @param cookies writes the session cookie when a session is asked for
   */
  public AuthHandler(AuthService service, ClientAddresses addresses, SessionCookies cookies) {
    this.service = service;
    this.addresses = addresses;
    this.cookies = cookies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    AuthRequest request = AuthRequestReader.read(ctx);
    String address = addresses.of(ctx);
    service.authenticate(request, address)
        .onSuccess(decision -> answer(ctx, request, address, decision))
        .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, AuthRequest request, String address, AuthDecision decision) {
    AuthEvents.log(ctx, request, address, decision);
    var response = ctx.response().putHeader("content-type", HeaderNames.JSON);
    if (decision instanceof AuthDecision.Granted granted) {
      if (!request.session()) {
        response.end(granted(granted, null).encode());
        return;
      }
      service.openSession(granted).onSuccess(issued -> {
        cookies.set(ctx, issued.token());
        response.end(granted(granted, new JsonObject().put("token", issued.token())
            .put("expiresAt", issued.session().expiresAt())).encode());
      }).onFailure(ctx::fail);
    } else if (decision instanceof AuthDecision.Refused) {
      if (request.basic()) {
        response.putHeader(HeaderNames.WWW_AUTHENTICATE, HeaderNames.BASIC_CHALLENGE);
      }
      response.setStatusCode(401).end(INVALID);
    } else if (decision instanceof AuthDecision.Forbidden) {
      response.setStatusCode(403).end(FORBIDDEN);
    } else {
      response.setStatusCode(503).putHeader(HeaderNames.RETRY_AFTER, "5").end(UNAVAILABLE);
    }
  }

  private static JsonObject granted(AuthDecision.Granted granted, JsonObject session) {
    Principal p = granted.principal();
    JsonObject user = new JsonObject()
        .put("username", p.username())
        .put("dn", p.dn())
        .put("email", p.email())
        .put("displayName", p.displayName())
        .put("groups", new JsonArray(p.groupNames()))
        .put("roles", new JsonArray(granted.roles()))
        .put("directory", p.directory());
    JsonObject body = new JsonObject().put("authenticated", true).put("user", user)
        .put("source", granted.source().label());
    return session == null ? body : body.put("session", session);
  }
}
