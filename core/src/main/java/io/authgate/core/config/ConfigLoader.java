package io.authgate.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the configuration: the YAML file (when given), every key overridable by its environment
 * variable, validated into an {@link AuthgateConfig}. Not thread-safe; use once at start.
 */
public final class ConfigLoader {
  /** The environment variable naming the configuration file. */
  public static final String CONFIG_VARIABLE = "AUTHGATE_CONFIG";
  private static final YAMLMapper YAML = new YAMLMapper();

  private final ConfigEnvironment env;

  private ConfigLoader(Map<String, String> environment) {
    this.env = new ConfigEnvironment(environment);
  }

  /** @param environment the environment variables, usually {@code System.getenv()}; never null */
  public static ConfigLoader withEnvironment(Map<String, String> environment) {
    return new ConfigLoader(environment);
  }

  /**
   * @param file the YAML file; when empty, {@code AUTHGATE_CONFIG} names it, and without either
   *     the configuration comes from the environment and defaults alone
   * @return the validated configuration
   * @throws ConfigException naming the first wrong key
   */
  public AuthgateConfig load(Optional<Path> file) {
    Optional<Path> source = file.or(() -> env.lookupRaw(CONFIG_VARIABLE).map(Path::of));
    JsonNode tree = source.map(ConfigLoader::readFile).orElseGet(JsonNodeFactory.instance::objectNode);
    return AuthgateConfig.read(new ConfigNode("", tree, env));
  }

  /**
   * Reads one directory from settings given in code (such as the embedded demo directory), with
   * the same defaults and checks as the configuration file, ignoring the environment.
   *
   * @param settings the directory's keys and values, as they would appear in YAML
   * @return the validated directory
   */
  public static DirectoryConfig directory(Map<String, Object> settings) {
    JsonNode tree = YAML.valueToTree(settings);
    return DirectoryConfig.read(new ConfigNode("directories[0]", tree, new ConfigEnvironment(Map.of())), 0);
  }

  /**
   * Reads a directory defined at runtime (through the admin API), with the same defaults and checks
   * as the configuration file, ignoring the environment. A wrong value is reported under its key from
   * the definition's root, such as {@code urls} or {@code pool.max}; {@code name} is required.
   *
   * @param definition the directory's keys and values as a JSON object
   * @return the validated directory
   * @throws ConfigException naming the first wrong key
   */
  public static DirectoryConfig definedDirectory(String definition) {
    JsonNode tree;
    try {
      tree = YAML.readTree(definition);
    } catch (IOException e) {
      throw new ConfigException("(root)", "is not a JSON object");
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException("(root)", "is not a JSON object");
    }
    return DirectoryConfig.read(new ConfigNode("", tree, new ConfigEnvironment(Map.of())), 1);
  }

  /** @return {@code AUTHGATE_*} variables that named no key, to be reported as likely typos */
  public Set<String> unusedVariables() {
    return env.unusedVariables();
  }

  private static JsonNode readFile(Path path) {
    if (!Files.isReadable(path)) {
      throw new ConfigException("config", "cannot read " + path);
    }
    try {
      JsonNode tree = YAML.readTree(path.toFile());
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!tree.isObject()) {
        throw new ConfigException("config", path + " must hold a YAML mapping");
      }
      return tree;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException("config", path + " is not valid YAML" + where);
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read " + path + ": " + e.getMessage());
    }
  }

  /** @return an environment value written as YAML flow ({@code [a, b]}, {@code {k: v}}), else null */
  static JsonNode parseInlineYaml(String text) {
    String t = text.trim();
    if (!t.startsWith("[") && !t.startsWith("{")) {
      return null;
    }
    try {
      return YAML.readTree(t);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
