package io.authgate.gateway.auth;

import io.authgate.gateway.http.RequestIds;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log line of an authentication that did not simply succeed, wherever it happened (the API or
 * the login page): the precise reason goes here, never to the client. Passwords are never logged.
 */
public final class AuthEvents {
  private static final Logger LOG = LoggerFactory.getLogger(AuthEvents.class);

  private AuthEvents() {}

  /** Logs a refusal, a missing group or an unavailable directory; a success logs nothing. */
  public static void log(RoutingContext ctx, AuthRequest request, String address, AuthDecision decision) {
    if (decision instanceof AuthDecision.Refused refused) {
      LOG.atInfo().addKeyValue("event", "auth.refused").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", refused.directory()).addKeyValue("reason", refused.reason().label())
          .addKeyValue("username", request.credentials().username()).addKeyValue("client", address)
          .log("authentication refused");
    } else if (decision instanceof AuthDecision.Forbidden forbidden) {
      LOG.atInfo().addKeyValue("event", "auth.forbidden").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", forbidden.directory()).addKeyValue("username", forbidden.principal().username())
          .addKeyValue("client", address).log("authenticated user lacks a required group");
    } else if (decision instanceof AuthDecision.Unavailable unavailable) {
      LOG.atWarn().addKeyValue("event", "auth.unavailable").addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("directory", unavailable.directory()).addKeyValue("cause", unavailable.cause().label())
          .log("directory could not answer");
    }
  }
}
