package io.authgate.admin.sessions;

import io.authgate.admin.api.AdminEvents;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.IdpRecord;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.UserQueries;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code DELETE /users/{id}/sessions} ({@code revokeUserSessions}): ends every gateway session of
 * an account, on every process. Gateways name a user's sessions by a key derived from the
 * directory (or SAML identity provider) it signed in through and its username, under
 * {@code cache.hmacKey}; so this needs that key and the sessions in Redis. An account linked to a
 * SAML subject has its sessions ended under every identity provider, configured or managed
 * through this API. Thread-safe.
 */
public final class SessionRevocation {
  private final UserQueries users;
  private final Optional<SessionStore> sessions;
  private final Optional<CredentialVerifier> keys;
  private final List<String> identityProviders;
  private final IdentityProviders managed;

  /**
   * @param users the store's accounts
   * @param sessions the sessions the gateways share, or empty when they are in-process only
   * @param keys derives user keys as the gateways do, or empty when {@code cache.hmacKey} is not set
   * @param identityProviders the ids of the configured SAML identity providers
   * @param managed the store's identity providers, whose slugs name sessions too
   */
  public SessionRevocation(UserQueries users, Optional<SessionStore> sessions, Optional<CredentialVerifier> keys,
                           List<String> identityProviders, IdentityProviders managed) {
    this.managed = managed;
    this.users = users;
    this.sessions = sessions;
    this.keys = keys;
    this.identityProviders = List.copyOf(identityProviders);
  }

  /** Handles the request. */
  public void revokeAll(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    UUID id = UUID.fromString(request.getPathParameters().get("id").getString());
    users.find(id)
        .compose(user -> user != null ? Future.succeededFuture(user)
            : Future.failedFuture(ProblemException.notFound("no such user")))
        .compose(this::revoke)
        .onSuccess(n -> AdminEvents.changed(ctx, "user.sessions.revoked", id.toString()))
        .onSuccess(n -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, AdminPaths.JSON)
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(new JsonObject().put("revoked", n).encode()))
        .onFailure(ctx::fail);
  }

  private Future<Integer> revoke(Details user) {
    if (sessions.isEmpty()) {
      return Future.failedFuture(ProblemException.unavailable(
          "sessions are kept in each gateway process (no redis.url): they cannot be revoked from here"));
    }
    if (keys.isEmpty()) {
      return Future.failedFuture(ProblemException.unavailable(
          "cache.hmacKey is not set: gateways name sessions under a random key this process cannot know"));
    }
    Future<List<String>> idps = user.samlLinked()
        ? managed.list().map(all -> all.stream().map(IdpRecord::slug).toList()) : Future.succeededFuture(List.of());
    return idps.compose(stored -> {
      Set<String> userKeys = new LinkedHashSet<>();
      if (user.directory() != null) {
        userKeys.add(keys.get().userKey(user.directory(), user.username()));
      }
      if (user.samlLinked()) {
        identityProviders.forEach(idp -> userKeys.add(keys.get().userKey(idp, user.username())));
        stored.forEach(idp -> userKeys.add(keys.get().userKey(idp, user.username())));
      }
      List<Future<Integer>> revoked = new ArrayList<>();
      userKeys.forEach(key -> revoked.add(sessions.get().revokeAll(key)));
      return Future.all(revoked).map(all -> revoked.stream().mapToInt(Future::result).sum());
    });
  }
}
