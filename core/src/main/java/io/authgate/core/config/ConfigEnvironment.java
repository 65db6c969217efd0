package io.authgate.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The environment variables that override configuration keys. Every key has one variable, derived
 * from its path: {@code AUTHGATE_} followed by the path in upper snake case, list indexes as
 * segments ({@code cache.freshTtl} is {@code AUTHGATE_CACHE_FRESH_TTL},
 * {@code directories[0].urls} is {@code AUTHGATE_DIRECTORIES_0_URLS}). A few flat aliases cover
 * the common single-directory case ({@code AUTHGATE_LDAP_URL} and friends). Thread-safe.
 */
final class ConfigEnvironment {
  static final String PREFIX = "AUTHGATE_";
  /** Variables that are not configuration keys. */
  private static final Set<String> NOT_KEYS = Set.of("AUTHGATE_CONFIG", "AUTHGATE_LOG_LEVEL");

  /** Key path to its flat alias variable. */
  private static final Map<String, String> ALIASES = Map.of(
      "directories[0].urls", "AUTHGATE_LDAP_URL",
      "directories[0].baseDn", "AUTHGATE_LDAP_BASE_DN",
      "directories[0].bindDn", "AUTHGATE_LDAP_BIND_DN",
      "directories[0].bindPassword", "AUTHGATE_LDAP_BIND_PASSWORD",
      "directories[0].userFilter", "AUTHGATE_LDAP_USER_FILTER",
      "http.adminPort", "AUTHGATE_ADMIN_PORT");

  private final Map<String, String> variables;
  private final Set<String> consumed = ConcurrentHashMap.newKeySet();

  ConfigEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** A value from the environment, and the variable it came from. */
  record EnvValue(String variable, String value) {}

  /** @return the variable that overrides the key at {@code path} */
  static String variableFor(String path) {
    StringBuilder out = new StringBuilder(PREFIX);
    char previous = '_';
    for (char c : path.toCharArray()) {
      char next;
      if (c == '.' || c == '[' || c == ']' || c == '-') {
        next = '_';
      } else if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
        out.append('_');
        next = c;
      } else {
        next = Character.toUpperCase(c);
      }
      if (next == '_' && out.charAt(out.length() - 1) == '_') {
        continue;
      }
      out.append(next);
      previous = c;
    }
    int end = out.length();
    while (out.charAt(end - 1) == '_') {
      end--;
    }
    return out.substring(0, end).toUpperCase(Locale.ROOT);
  }

  /** @return the value overriding the key at {@code path}, from its own variable or its alias */
  Optional<EnvValue> lookup(String path) {
    String own = variableFor(path);
    if (variables.containsKey(own)) {
      consumed.add(own);
      return Optional.of(new EnvValue(own, variables.get(own)));
    }
    String alias = ALIASES.get(path);
    if (alias != null && variables.containsKey(alias)) {
      consumed.add(alias);
      return Optional.of(new EnvValue(alias, variables.get(alias)));
    }
    return Optional.empty();
  }

  /** @return a variable's value, read as is and not as a configuration key */
  Optional<String> lookupRaw(String variable) {
    return Optional.ofNullable(variables.get(variable)).filter(v -> !v.isBlank());
  }

  /** @return whether any variable addresses a key under the list item at {@code itemPath} */
  boolean addressesItem(String itemPath) {
    String prefix = variableFor(itemPath) + "_";
    boolean direct = variables.keySet().stream().anyMatch(v -> v.startsWith(prefix));
    boolean aliased = ALIASES.entrySet().stream()
        .anyMatch(e -> e.getKey().startsWith(itemPath + ".") && variables.containsKey(e.getValue()));
    return direct || aliased;
  }

  /** @return the {@code AUTHGATE_*} variables no key read, most likely typos */
  Set<String> unusedVariables() {
    return variables.keySet().stream()
        .filter(v -> v.startsWith(PREFIX) && !NOT_KEYS.contains(v) && !consumed.contains(v))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
