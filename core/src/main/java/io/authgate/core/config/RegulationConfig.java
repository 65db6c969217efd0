package io.authgate.core.config;

import java.time.Duration;

/**
 * Brute-force regulation: after {@code maxFailures} distinct wrong passwords within {@code window},
 * a user (and, separately, a user from one address) is banned for {@code banDuration}. The
 * defaults sit below a typical Active Directory lockout threshold. Immutable.
 *
 * @param enabled whether regulation runs at all
 * @param maxFailures failures within the window that trigger a ban
 * @param window the sliding window failures are counted in
 * @param banDuration how long a ban lasts
 */
public record RegulationConfig(boolean enabled, int maxFailures, Duration window, Duration banDuration) {
  static RegulationConfig read(ConfigNode n) {
    RegulationConfig config = new RegulationConfig(
        n.bool("enabled", true),
        n.integer("maxFailures", 5, 1, 1000),
        n.duration("window", Duration.ofMinutes(2)),
        n.duration("banDuration", Duration.ofMinutes(5)));
    if (config.enabled() && (config.window().isZero() || config.banDuration().isZero())) {
      throw n.problem("window", "window and banDuration must be longer than zero");
    }
    n.rejectUnknownKeys();
    return config;
  }
}
