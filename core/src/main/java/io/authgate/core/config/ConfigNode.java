package io.authgate.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One object of the configuration tree, read key by key. Each read takes the value from the
 * key's environment variable if set, else from the file, else the default, and reports a wrong
 * value as a {@link ConfigException} naming the key. Not thread-safe: used once, at start.
 */
public final class ConfigNode {
  private final String path;
  private final JsonNode node;
  private final ConfigEnvironment env;
  private final Set<String> read = new HashSet<>();

  ConfigNode(String path, JsonNode node, ConfigEnvironment env) {
    this.path = path;
    this.node = node == null ? MissingNode.getInstance() : node;
    this.env = env;
    if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
      throw new ConfigException(displayPath(path), "must be a mapping of keys to values");
    }
  }

  /** @return this node's path, such as {@code directories[1].pool}; empty at the root */
  public String path() {
    return path;
  }

  /** @return the path of a key under this node */
  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** @return the nested object at {@code key}, empty if absent */
  public ConfigNode child(String key) {
    read.add(key);
    return new ConfigNode(keyPath(key), node.path(key), env);
  }

  /** @return the list of objects at {@code key}, including items only the environment defines */
  public List<ConfigNode> children(String key) {
    read.add(key);
    JsonNode list = node.path(key);
    String listPath = keyPath(key);
    if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
      throw new ConfigException(listPath, "must be a list");
    }
    int size = list.isArray() ? list.size() : 0;
    while (env.addressesItem(listPath + "[" + size + "]")) {
      size++;
    }
    List<ConfigNode> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      items.add(new ConfigNode(listPath + "[" + i + "]", list.path(i), env));
    }
    return items;
  }

  /** @return the string at {@code key}, trimmed, or empty when absent or blank */
  public Optional<String> optionalString(String key) {
    return raw(key).map(r -> r.text().trim()).filter(s -> !s.isEmpty());
  }

  /** @return the string at {@code key}, or {@code fallback} */
  public String string(String key, String fallback) {
    return optionalString(key).orElse(fallback);
  }

  /** @return the string at {@code key}; a {@link ConfigException} when absent */
  public String requiredString(String key) {
    return optionalString(key).orElseThrow(() -> problem(key, "is required"));
  }

  /** @return the secret at {@code key}, untrimmed, or empty when absent */
  public Optional<Secret> secret(String key) {
    return raw(key).map(Raw::text).filter(s -> !s.isEmpty()).map(Secret::of);
  }

  /** @return the integer at {@code key} within [min, max], or {@code fallback} */
  public int integer(String key, int fallback, int min, int max) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty()) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.get().text().trim());
    } catch (NumberFormatException e) {
      throw problem(key, value.get(), "must be a whole number, got \"" + value.get().text() + "\"");
    }
    if (parsed < min || parsed > max) {
      throw problem(key, value.get(), "must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** @return the boolean at {@code key} ({@code true/false/yes/no/on/off/1/0}), or {@code fallback} */
  public boolean bool(String key, boolean fallback) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().text().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw problem(key, value.get(), "must be true or false, got \"" + value.get().text() + "\"");
    };
  }

  /** @return the duration at {@code key} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601, {@code 0}) */
  public Duration duration(String key, Duration fallback) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Durations.parse(value.get().text());
    } catch (IllegalArgumentException e) {
      throw problem(key, value.get(), e.getMessage());
    }
  }

  /**
   * @param min the shortest allowed, written as in configuration ({@code 10ms})
   * @param max the longest allowed, written likewise
   * @return the duration at {@code key} within [min, max], or {@code fallback}
   */
  public Duration duration(String key, Duration fallback, String min, String max) {
    Duration parsed = duration(key, fallback);
    if (parsed.compareTo(Durations.parse(min)) < 0 || parsed.compareTo(Durations.parse(max)) > 0) {
      throw problem(key, "must be between " + min + " and " + max);
    }
    return parsed;
  }

  /** @return the list of strings at {@code key} (a YAML list, or comma-separated), or {@code fallback} */
  public List<String> strings(String key, List<String> fallback) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty()) {
      return fallback;
    }
    Raw r = value.get();
    List<String> out = new ArrayList<>();
    if (r.json() != null && r.json().isArray()) {
      for (JsonNode item : r.json()) {
        if (!item.isValueNode()) {
          throw problem(key, r, "must be a list of plain values");
        }
        out.add(item.asText().trim());
      }
    } else {
      for (String part : r.text().split(",")) {
        out.add(part.trim());
      }
    }
    out.removeIf(String::isEmpty);
    return List.copyOf(out);
  }

  /** @return the mapping at {@code key} of names to lists of strings (a YAML mapping), or empty */
  public Map<String, List<String>> stringLists(String key) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty()) {
      return Map.of();
    }
    Raw r = value.get();
    if (r.json() == null || !r.json().isObject()) {
      throw problem(key, r, "must be a mapping such as {group: [role, ...]}");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = r.json().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> values = new ArrayList<>();
      if (e.getValue().isArray()) {
        e.getValue().forEach(v -> values.add(v.asText().trim()));
      } else if (e.getValue().isValueNode()) {
        values.add(e.getValue().asText().trim());
      } else {
        throw problem(key, r, "entry \"" + e.getKey() + "\" must be a value or a list of values");
      }
      values.removeIf(String::isEmpty);
      out.put(e.getKey(), List.copyOf(values));
    }
    return Map.copyOf(out);
  }

  /** @return the value at {@code key} converted by {@code parse}, whose IllegalArgumentException becomes a ConfigException */
  public <T> Optional<T> parsed(String key, Function<String, T> parse) {
    Optional<Raw> value = raw(key);
    if (value.isEmpty() || value.get().text().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(value.get().text().trim()));
    } catch (IllegalArgumentException e) {
      throw problem(key, value.get(), e.getMessage());
    }
  }

  /** @return a {@link ConfigException} for {@code key}, naming where its value came from */
  public ConfigException problem(String key, String message) {
    return raw(key).map(r -> problem(key, r, message))
        .orElseGet(() -> new ConfigException(displayPath(keyPath(key)), message));
  }

  /** Fails when the file sets a key under this node that nothing read: most likely a typo. */
  public void rejectUnknownKeys() {
    if (!node.isObject()) {
      return;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!read.contains(name)) {
        throw new ConfigException(displayPath(keyPath(name)), "unknown key");
      }
    }
  }

  private ConfigException problem(String key, Raw raw, String message) {
    String where = raw.variable() == null ? "" : " (from " + raw.variable() + ")";
    return new ConfigException(displayPath(keyPath(key)) + where, message);
  }

  private static String displayPath(String path) {
    return path.isEmpty() ? "(root)" : path;
  }

  private Optional<Raw> raw(String key) {
    read.add(key);
    Optional<ConfigEnvironment.EnvValue> fromEnv = env.lookup(keyPath(key));
    if (fromEnv.isPresent()) {
      String text = fromEnv.get().value();
      JsonNode json = ConfigLoader.parseInlineYaml(text);
      return Optional.of(new Raw(text, json, fromEnv.get().variable()));
    }
    JsonNode value = node.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(new Raw(value.isValueNode() ? value.asText() : value.toString(), value, null));
  }

  /** A value as written, its parsed form when structured, and the variable it came from (or null). */
  private record Raw(String text, JsonNode json, String variable) {}
}
