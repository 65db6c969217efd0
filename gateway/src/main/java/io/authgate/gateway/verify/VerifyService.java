package io.authgate.gateway.verify;

import io.authgate.core.config.AccessConfig.Policy;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Group;
import io.authgate.core.session.SessionStore;
import io.authgate.gateway.auth.AuthDecision;
import io.authgate.gateway.auth.AuthRequest;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.auth.BasicCredentials;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The authorization core behind every proxy contract: the first matching access rule decides
 * whether to bypass, deny, or require an identity; the identity comes from the session cookie, a
 * bearer session token, or Basic credentials checked on the same cached path as
 * {@code POST /v1/auth} (none from an Authorization header given twice); a rule's groups then
 * decide between allowed and forbidden. Thread-safe.
 */
final class VerifyService {
  private final AccessRules rules;
  private final SessionStore sessions;
  private final SessionCookies cookies;
  private final AuthService auth;

  VerifyService(AccessRules rules, SessionStore sessions, SessionCookies cookies, AuthService auth) {
    this.rules = rules;
    this.sessions = sessions;
    this.cookies = cookies;
    this.auth = auth;
  }

  Future<VerifyOutcome> verify(RoutingContext ctx, OriginalRequest original, Supplier<String> clientAddress) {
    AccessRules.Match match = rules.match(original);
    if (match.policy() == Policy.BYPASS) {
      return Future.succeededFuture(new VerifyOutcome.Allowed(null, "none"));
    }
    if (match.policy() == Policy.DENY) {
      return Future.succeededFuture(new VerifyOutcome.Denied("none"));
    }
    return identify(ctx, clientAddress).map(found -> {
      if (found.outcome() != null) {
        return found.outcome();
      }
      Identity identity = found.identity();
      if (!match.groups().isEmpty() && !inAny(identity, match.groups())) {
        return new VerifyOutcome.Forbidden(identity.credential());
      }
      return new VerifyOutcome.Allowed(identity, identity.credential());
    });
  }

  /** An identity, or the outcome that ends the request without one. */
  private record Found(Identity identity, VerifyOutcome outcome) {}

  private Future<Found> identify(RoutingContext ctx, Supplier<String> clientAddress) {
    Optional<SessionCookies.Found> token;
    try {
      token = cookies.find(ctx);
    } catch (BadRequestException authorizationTwice) {
      // The application behind the proxy might read the other copy: no identity from either.
      return Future.succeededFuture(new Found(null, new VerifyOutcome.Unauthenticated("none")));
    }
    if (token.isPresent()) {
      String credential = token.get().carrier() == SessionCookies.Carrier.COOKIE ? "session" : "bearer";
      // A session outlives nothing: an account suspended since it opened is refused at once.
      return sessions.find(token.get().token()).map(session -> session == null || auth.isBlocked(session.principal())
          ? new Found(null, new VerifyOutcome.Unauthenticated(credential))
          : new Found(new Identity(session.principal(), session.roles(), credential), null));
    }
    Optional<Credentials> basic;
    try {
      // One header at most: without a cookie, find has refused a second.
      basic = BasicCredentials.read(ctx.request().getHeader(HeaderNames.AUTHORIZATION));
    } catch (BadRequestException malformed) {
      return Future.succeededFuture(new Found(null, new VerifyOutcome.Unauthenticated("basic")));
    }
    if (basic.isEmpty()) {
      return Future.succeededFuture(new Found(null, new VerifyOutcome.Unauthenticated("none")));
    }
    return auth.authenticate(new AuthRequest(basic.get(), Optional.empty(), true, false), clientAddress.get())
        .map(decision -> {
          if (decision instanceof AuthDecision.Granted granted) {
            return new Found(new Identity(granted.principal(), granted.roles(), "basic"), null);
          }
          if (decision instanceof AuthDecision.Forbidden) {
            return new Found(null, new VerifyOutcome.Forbidden("basic"));
          }
          if (decision instanceof AuthDecision.Unavailable) {
            return new Found(null, new VerifyOutcome.Unavailable("basic"));
          }
          return new Found(null, new VerifyOutcome.Unauthenticated("basic"));
        });
  }

  private static boolean inAny(Identity identity, List<String> groups) {
    for (Group group : identity.principal().groups()) {
      for (String wanted : groups) {
        if (wanted.equalsIgnoreCase(group.name()) || wanted.toLowerCase(Locale.ROOT).equals(
            group.dn().toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
