package io.authgate.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin API's own settings. Immutable.
 *
 * @param bootstrapKey the bootstrap admin API key, {@code agk_<32 hex digits>_<at least 32 base64url
 *     characters>}; empty means the embedded default generates one at the first start and prints it once
 * @param groups the directory groups whose members may use the admin API with their gateway session,
 *     by role ({@code admin}, {@code operator}, {@code auditor}); the highest role of any group wins
 * @param deprovisionAfter how long an offboarded account stays suspended before it is deprovisioned
 * @param anonymiseAfter how long after offboarding an account's personal data is erased
 * @param sweepInterval how often the sync worker applies offboarding dates that have come
 */
public record AdminConfig(Optional<Secret> bootstrapKey, Map<String, List<String>> groups,
                          Duration deprovisionAfter, Duration anonymiseAfter, Duration sweepInterval) {
  /** Default of {@code admin.offboarding.deprovisionAfter}. */
  public static final Duration DEFAULT_DEPROVISION_AFTER = Duration.ofDays(30);
  /** Default of {@code admin.offboarding.anonymiseAfter}. */
  public static final Duration DEFAULT_ANONYMISE_AFTER = Duration.ofDays(90);
  /** Default of {@code admin.offboarding.sweepInterval}. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
  /** The roles {@code admin.groups} may name. */
  public static final List<String> ROLES = List.of("admin", "operator", "auditor");
  /** The shape of an API key, as {@code io.authgate.core.apikeys.ApiKeyFormat} parses it. */
  private static final Pattern API_KEY = Pattern.compile("agk_[0-9a-f]{32}_[A-Za-z0-9_-]{32,219}");

  /** Copies the groups. */
  public AdminConfig {
    groups = Map.copyOf(groups);
  }

  static AdminConfig read(ConfigNode n) {
    Optional<Secret> bootstrapKey = n.secret("bootstrapKey");
    bootstrapKey.ifPresent(key -> {
      if (!API_KEY.matcher(key.reveal()).matches()) {
        throw n.problem("bootstrapKey", "must look like agk_<32 lowercase hex digits>_<at least 32 base64url "
            + "characters>, e.g. agk_$(openssl rand -hex 16)_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')");
      }
    });
    Map<String, List<String>> groups = n.stringLists("groups");
    groups.keySet().forEach(role -> {
      if (!ROLES.contains(role)) {
        throw n.problem("groups", "\"" + role + "\" is not a role; roles are admin, operator, auditor");
      }
    });
    ConfigNode offboarding = n.child("offboarding");
    Duration deprovision = offboarding.duration("deprovisionAfter", DEFAULT_DEPROVISION_AFTER);
    Duration anonymise = offboarding.duration("anonymiseAfter", DEFAULT_ANONYMISE_AFTER);
    Duration sweep = offboarding.duration("sweepInterval", DEFAULT_SWEEP_INTERVAL);
    if (deprovision.isNegative()) {
      throw offboarding.problem("deprovisionAfter", "must not be negative");
    }
    if (anonymise.compareTo(deprovision) < 0) {
      throw offboarding.problem("anonymiseAfter", "must not come before deprovisionAfter (" + deprovision + ")");
    }
    if (sweep.compareTo(Duration.ofSeconds(1)) < 0) {
      throw offboarding.problem("sweepInterval", "must be at least 1s");
    }
    offboarding.rejectUnknownKeys();
    AdminConfig config = new AdminConfig(bootstrapKey, groups, deprovision, anonymise, sweep);
    n.rejectUnknownKeys();
    return config;
  }
}
