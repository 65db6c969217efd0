package io.authgate.core.config;

import java.nio.file.Path;

/**
 * The embedded default: where it keeps its data and which loopback ports its in-memory directory
 * and PostgreSQL use. Immutable.
 *
 * @param dataDir the directory for the embedded PostgreSQL and generated keys
 * @param ldapPort the in-memory directory's loopback port (0 picks a free one)
 * @param postgresPort the embedded PostgreSQL's loopback port (0 picks a free one)
 */
public record EmbeddedConfig(Path dataDir, int ldapPort, int postgresPort) {
  static EmbeddedConfig read(ConfigNode n) {
    EmbeddedConfig config = new EmbeddedConfig(
        Path.of(n.string("dataDir", "data")),
        n.integer("ldapPort", 1389, 0, 65535),
        n.integer("postgresPort", 0, 0, 65535));
    n.rejectUnknownKeys();
    return config;
  }
}
