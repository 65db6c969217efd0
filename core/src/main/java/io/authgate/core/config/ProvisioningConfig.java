package io.authgate.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Provisioning from the store to a directory: opt-in per directory. Accounts of the directory that
 * did not come from it (created by hand, imported, JIT) are created under {@code baseDn} and kept
 * up to date there; suspended and deprovisioned ones are disabled or deleted. Immutable.
 *
 * @param enabled whether the directory is provisioned
 * @param baseDn where new entries are created ({@code uid=<username>,<baseDn>}); required when enabled
 * @param objectClasses the object classes of a new entry
 * @param onSuspend what happens to the entry of a suspended or deprovisioned account
 */
public record ProvisioningConfig(boolean enabled, Optional<String> baseDn, List<String> objectClasses,
                                 SuspendPolicy onSuspend) {

  /** What happens to the entry of an account that is suspended or deprovisioned. */
  public enum SuspendPolicy {
    /** Locked: OpenLDAP ppolicy's {@code pwdAccountLockedTime} (administrative lock). */
    DISABLE("disable"),
    /** Deleted from the directory. */
    DELETE("delete");

    private final String id;

    SuspendPolicy(String id) {
      this.id = id;
    }

    /** @return the name used in configuration */
    public String id() {
      return id;
    }

    static Optional<SuspendPolicy> byId(String id) {
      String wanted = id.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }
  }

  /** Copies the list. */
  public ProvisioningConfig {
    objectClasses = List.copyOf(objectClasses);
  }

  static ProvisioningConfig read(ConfigNode n, DirectoryKind kind) {
    boolean enabled = n.bool("enabled", false);
    Optional<String> baseDn = n.parsed("baseDn", LdapSyntax::dn);
    if (enabled && baseDn.isEmpty()) {
      throw n.problem("baseDn", "is required when provisioning is enabled");
    }
    if (enabled && kind == DirectoryKind.ACTIVE_DIRECTORY) {
      throw n.problem("enabled", "provisioning is supported for openldap directories only");
    }
    SuspendPolicy onSuspend = n.parsed("onSuspend", p -> SuspendPolicy.byId(p).orElseThrow(
        () -> new IllegalArgumentException("must be disable or delete, got \"" + p + "\""))).orElse(SuspendPolicy.DISABLE);
    ProvisioningConfig config = new ProvisioningConfig(enabled, baseDn,
        n.strings("objectClasses", List.of("top", "person", "organizationalPerson", "inetOrgPerson")), onSuspend);
    n.rejectUnknownKeys();
    return config;
  }
}
