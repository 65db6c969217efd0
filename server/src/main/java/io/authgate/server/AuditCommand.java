package io.authgate.server;

import io.authgate.core.audit.AuditLog;
import io.authgate.core.audit.ChainCheck;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigException;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.store.Postgres;
import io.authgate.server.embedded.EmbeddedStore;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code authgate audit ...}: tools for the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Tools for the audit trail.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand {
  @ParentCommand
  Main main;

  /**
   * {@code authgate audit verify}: checks the hash chain of the audit log in the configured store
   * (or the embedded default's, which must not be running at the same time) and prints the count of
   * entries verified, or the id of the first broken one and what is wrong with it.
   */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify the audit log's hash chain. Exit status: 0 intact, 1 broken, 2 configuration "
          + "error, 3 store unreachable.")
  static final class Verify implements Callable<Integer> {
    /** Exit status: the chain is intact. */
    static final int INTACT = 0;
    /** Exit status: the chain is broken. */
    static final int BROKEN = 1;
    /** Exit status: the store cannot be read. */
    static final int STORE_FAILURE = 3;
    private static final String UNDEFINED_TABLE = "42P01";

    @ParentCommand
    AuditCommand audit;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (or AUTHGATE_CONFIG)")
    Path config;

    @Override
    public Integer call() {
      AuthgateConfig configuration;
      try {
        Path file = config != null ? config : audit.main.config;
        configuration = ConfigLoader.withEnvironment(System.getenv()).load(Optional.ofNullable(file));
      } catch (ConfigException e) {
        System.err.println("authgate: configuration error: " + e.getMessage());
        return Main.CONFIG_ERROR;
      }
      EmbeddedStore embedded = null;
      Vertx vertx = null;
      try {
        String uri = configuration.postgres().url().orElse(null);
        if (uri == null) {
          embedded = EmbeddedStore.start(configuration.embedded().dataDir(), 0);
          uri = embedded.uri();
        }
        PgConnectOptions options = Postgres.connectOptions(uri);
        vertx = Vertx.vertx();
        Pool pool = Postgres.pool(vertx, options, 2, configuration.postgres().queryTimeout());
        ChainCheck check = new AuditLog(pool).verify().await();
        System.out.println(check.describe());
        return check.intact() ? INTACT : BROKEN;
      } catch (PgException e) {
        System.err.println(UNDEFINED_TABLE.equals(e.getSqlState())
            ? "authgate: the store has no audit log yet; start authgate once to create its schema"
            : "authgate: cannot read the audit log: " + e.getErrorMessage());
        return STORE_FAILURE;
      } catch (Exception e) {
        System.err.println("authgate: cannot read the audit log: " + e.getMessage());
        return STORE_FAILURE;
      } finally {
        if (vertx != null) {
          vertx.close().await();
        }
        if (embedded != null) {
          try {
            embedded.close();
          } catch (Exception ignored) {
            // the process ends anyway
          }
        }
      }
    }
  }
}
