package io.authgate.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may reach what behind the proxies: rules matched in order against the original request's
 * host, path and method, the first match deciding; the default policy when none matches.
 * Immutable.
 *
 * @param defaultPolicy the policy when no rule matches
 * @param rules the rules, in order
 */
public record AccessConfig(Policy defaultPolicy, List<Rule> rules) {

  /** What a matching rule does. */
  public enum Policy {
    /** Let the request through without asking who it is. */
    BYPASS("bypass"),
    /** Require a signed-in user (and the rule's groups, if any). */
    AUTHENTICATED("authenticated"),
    /** Refuse the request, signed in or not. */
    DENY("deny");

    private final String id;

    Policy(String id) {
      this.id = id;
    }

    /** @return the name used in configuration */
    public String id() {
      return id;
    }

    static Optional<Policy> byId(String id) {
      String wanted = id.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }
  }

  /**
   * One rule: every given condition must hold (an empty list matches anything).
   *
   * @param hosts host globs: {@code app.example.com}, {@code *.example.com}
   * @param paths path globs: {@code *} within a segment, {@code **} across segments
   * @param methods HTTP methods, upper case
   * @param policy what a match does
   * @param groups with {@code authenticated}: the user must be in one of these (name or DN)
   */
  public record Rule(List<String> hosts, List<String> paths, List<String> methods, Policy policy,
                     List<String> groups) {}

  static AccessConfig read(ConfigNode n) {
    Policy defaultPolicy = policy(n, "defaultPolicy").orElse(Policy.AUTHENTICATED);
    List<Rule> rules = new ArrayList<>();
    for (ConfigNode r : n.children("rules")) {
      Rule rule = new Rule(
          r.strings("hosts", List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
          r.strings("paths", List.of()),
          r.strings("methods", List.of()).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(),
          policy(r, "policy").orElseThrow(() -> r.problem("policy", "is required: bypass, authenticated or deny")),
          r.strings("groups", List.of()));
      rule.paths().forEach(p -> {
        if (!p.startsWith("/")) {
          throw r.problem("paths", "\"" + p + "\" must start with /");
        }
      });
      if (!rule.groups().isEmpty() && rule.policy() != Policy.AUTHENTICATED) {
        throw r.problem("groups", "only applies to the authenticated policy");
      }
      r.rejectUnknownKeys();
      rules.add(rule);
    }
    n.rejectUnknownKeys();
    return new AccessConfig(defaultPolicy, List.copyOf(rules));
  }

  private static Optional<Policy> policy(ConfigNode n, String key) {
    return n.parsed(key, v -> Policy.byId(v).orElseThrow(() ->
        new IllegalArgumentException("must be bypass, authenticated or deny, got \"" + v + "\"")));
  }
}
