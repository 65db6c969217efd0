package io.authgate.admin.api;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per change made through the admin API: what, to what, by which key, under which
 * request id. Never a body, a key or a secret. (The tamper-evident audit trail is separate.)
 */
public final class AdminEvents {
  private static final Logger LOG = LoggerFactory.getLogger(AdminEvents.class);

  private AdminEvents() {
  }

  /**
   * @param action what was done, such as {@code user.created}
   * @param target what it was done to, such as the user's id
   */
  public static void changed(RoutingContext ctx, String action, String target) {
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    LOG.atInfo().addKeyValue("event", "admin." + action).addKeyValue("requestId", RequestIds.of(ctx))
        .addKeyValue("apiKey", caller == null ? "-" : caller.actor()).addKeyValue("target", target)
        .log("admin change");
  }
}
