package io.authgate.gateway.auth;

import io.authgate.core.identity.Principal;
import io.authgate.gateway.http.ClientAddresses;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/auth}: reads the credentials, runs the {@link AuthService}, and answers 200 with
 * the user, the same 401 for every refusal, 403 when a required group is missing, or 503 when the
 * directory cannot answer. Refusals are logged with their precise reason; passwords never are.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  /** The path this handler serves. */
  public static final String PATH = "/v1/auth";
  private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);
  private static final String INVALID = new JsonObject().put("authenticated", false)
      .put("error", "invalid_credentials").encode();
  private static final String FORBIDDEN = new JsonObject().put("authenticated", false)
      .put("error", "forbidden").encode();
  private static final String UNAVAILABLE = new JsonObject().put("authenticated", false)
      .put("error", "directory_unavailable").encode();

  private final AuthService service;
  private final ClientAddresses addresses;

  /**
   * @param service the authentication path
   * @param addresses finds the client's address behind trusted proxies
   */
  public AuthHandler(AuthService service, ClientAddresses addresses) {
    this.service = service;
    this.addresses = addresses;
  }

  @Override
  public void handle(RoutingContext ctx) {
    AuthRequest request = AuthRequestReader.read(ctx);
    String address = addresses.of(ctx);
    service.authenticate(request, address)
        .onSuccess(decision -> answer(ctx, request, address, decision))
        .onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, AuthRequest request, String address, AuthDecision decision) {
    var response = ctx.response().putHeader("content-type", HeaderNames.JSON);
    if (decision instanceof AuthDecision.Granted granted) {
      response.end(granted(granted));
    } else if (decision instanceof AuthDecision.Refused refused) {
      LOG.atInfo().addKeyValue("event", "auth.refused").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", refused.directory()).addKeyValue("reason", refused.reason().label())
          .addKeyValue("username", request.credentials().username()).addKeyValue("client", address)
          .log("authentication refused");
      if (request.basic()) {
        response.putHeader(HeaderNames.WWW_AUTHENTICATE, HeaderNames.BASIC_CHALLENGE);
      }
      response.setStatusCode(401).end(INVALID);
    } else if (decision instanceof AuthDecision.Forbidden forbidden) {
      LOG.atInfo().addKeyValue("event", "auth.forbidden").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", forbidden.directory()).addKeyValue("username", forbidden.principal().username())
          .addKeyValue("client", address).log("authenticated user lacks a required group");
      response.setStatusCode(403).end(FORBIDDEN);
    } else {
      AuthDecision.Unavailable unavailable = (AuthDecision.Unavailable) decision;
      LOG.atWarn().addKeyValue("event", "auth.unavailable").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", unavailable.directory()).addKeyValue("cause", unavailable.cause().label())
          .log("directory could not answer");
      response.setStatusCode(503).putHeader(HeaderNames.RETRY_AFTER, "5").end(UNAVAILABLE);
    }
  }

  private static String granted(AuthDecision.Granted granted) {
    Principal p = granted.principal();
    JsonObject user = new JsonObject()
        .put("username", p.username())
        .put("dn", p.dn())
        .put("email", p.email())
        .put("displayName", p.displayName())
        .put("groups", new JsonArray(p.groupNames()))
        .put("roles", new JsonArray(granted.roles()))
        .put("directory", p.directory());
    return new JsonObject().put("authenticated", true).put("user", user).put("source", granted.source().label())
        .encode();
  }
}
