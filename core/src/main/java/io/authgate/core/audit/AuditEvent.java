package io.authgate.core.audit;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One change to record: who, what, on which target, why, the state before and after, and where the
 * request came from. Immutable (the states are copied).
 *
 * @param actor an API key id, an admin username, or {@code system}; not blank
 * @param actorType what kind of actor
 * @param action what was done, such as {@code user.lifecycle.suspend}; not blank
 * @param targetType the kind of thing changed ({@code user}, {@code directory}); may be null
 * @param targetId its id; may be null
 * @param reason why, as the actor gave it; may be null
 * @param oldState the state before (never a secret); may be null
 * @param newState the state after (never a secret); may be null
 * @param ip the client's address; may be null
 * @param userAgent the client's User-Agent; may be null
 */
public record AuditEvent(String actor, ActorType actorType, String action, String targetType, String targetId,
                         String reason, JsonObject oldState, JsonObject newState, String ip, String userAgent) {
  /** The actor of changes Authgate makes itself. */
  public static final String SYSTEM = "system";

  /** Checks the required fields and copies the states. */
  public AuditEvent {
    Objects.requireNonNull(actorType, "actorType");
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an actor");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("an audit event needs an action");
    }
    oldState = oldState == null ? null : oldState.copy();
    newState = newState == null ? null : newState.copy();
  }

  /**
   * @return an event of the {@code system} actor, without request details
   */
  public static AuditEvent bySystem(String action, String targetType, String targetId, String reason,
                                    JsonObject oldState, JsonObject newState) {
    return new AuditEvent(SYSTEM, ActorType.SYSTEM, action, targetType, targetId, reason, oldState, newState,
        null, null);
  }
}
