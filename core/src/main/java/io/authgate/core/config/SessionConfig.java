package io.authgate.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Sessions opened by a login: how long they live and the cookie that carries them. Immutable.
 *
 * @param idleTimeout a session unused this long ends
 * @param absoluteTimeout a session ends this long after it began, used or not
 * @param cookieName the cookie's name
 * @param cookieDomain the cookie's domain, for single sign-on across subdomains; host-only when empty
 * @param secureCookie whether the cookie is only sent over HTTPS (turn off only for plain-HTTP development)
 */
public record SessionConfig(Duration idleTimeout, Duration absoluteTimeout, String cookieName,
                            Optional<String> cookieDomain, boolean secureCookie) {
  /** Default cookie name. */
  public static final String DEFAULT_COOKIE = "authgate_session";

  static SessionConfig read(ConfigNode n) {
    SessionConfig config = new SessionConfig(
        n.duration("idleTimeout", Duration.ofMinutes(30)),
        n.duration("absoluteTimeout", Duration.ofHours(12)),
        n.string("cookieName", DEFAULT_COOKIE),
        n.optionalString("cookieDomain").map(d -> d.startsWith(".") ? d.substring(1) : d),
        n.bool("secureCookie", true));
    if (config.idleTimeout().isZero() || config.absoluteTimeout().isZero()) {
      throw n.problem("idleTimeout", "idleTimeout and absoluteTimeout must be longer than zero");
    }
    if (config.idleTimeout().compareTo(config.absoluteTimeout()) > 0) {
      throw n.problem("idleTimeout", "must not be longer than absoluteTimeout (" + config.absoluteTimeout() + ")");
    }
    if (!config.cookieName().matches("[A-Za-z0-9_.-]{1,64}")) {
      throw n.problem("cookieName", "must be letters, digits, '_', '.' or '-'");
    }
    config.cookieDomain().ifPresent(d -> {
      if (!d.matches("[A-Za-z0-9.-]+")) {
        throw n.problem("cookieDomain", "\"" + d + "\" is not a domain name");
      }
    });
    n.rejectUnknownKeys();
    return config;
  }
}
