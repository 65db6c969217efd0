package io.authgate.server;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigException;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.Role;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar authgate.jar [--config FILE] [--roles gateway,sync-worker,admin-api]}. With no
 * configuration at all it starts the embedded default. A wrong setting stops the start with one
 * line naming the key (exit status 2). {@code java -jar authgate.jar audit verify} checks the audit
 * log's hash chain instead of starting ({@link AuditCommand}).
 */
@Command(name = "authgate", mixinStandardHelpOptions = true, version = "authgate 0.1.0",
    description = "A reactive authentication gateway for LDAP, Active Directory and SAML 2.0.",
    subcommands = AuditCommand.class)
public final class Main implements Callable<Integer> {
  /** Exit status for a configuration error. */
  static final int CONFIG_ERROR = 2;
  /** Exit status for a failure to start. */
  static final int START_FAILURE = 1;
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (or AUTHGATE_CONFIG)")
  Path config;

  @Option(names = "--roles", split = ",", paramLabel = "ROLE",
      description = "Roles to run: gateway, sync-worker, admin-api (default: all, or AUTHGATE_ROLES)")
  List<String> roles;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status = new CommandLine(new Main()).execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  @Override
  public Integer call() throws Exception {
    AuthgateConfig configuration;
    ConfigLoader loader = ConfigLoader.withEnvironment(System.getenv());
    try {
      configuration = loader.load(Optional.ofNullable(config));
      if (roles != null) {
        configuration = configuration.withRoles(parseRoles(roles));
      }
    } catch (ConfigException e) {
      System.err.println("authgate: configuration error: " + e.getMessage());
      return CONFIG_ERROR;
    }
    loader.unusedVariables().forEach(v -> LOG.warn("{} is set but names no configuration key", v));

    // Before anything starts: a stop asked for during the start (Ctrl-C while the embedded store
    // or a role comes up) waits for the start to finish or fail, then stops what it started.
    ProcessStop stop = ProcessStop.install();
    AuthgateServer server = null;
    try {
      server = AuthgateServer.start(configuration);
    } catch (Exception e) {
      return startFailed(e, stop.requested());
    } finally {
      if (server == null) {
        stop.started(null);  // after the message: the stop waits for it, the JVM's exit too
      }
    }
    try {
      // Printed even when a stop is already waiting: it may be the one showing of a generated
      // admin key. The stop waits for it, so the two do not interleave.
      System.out.println(Banner.of(server));
    } finally {
      stop.started(server);
    }
    stop.await();
    return 0;
  }

  /**
   * Says why the start failed, quietly when a stop interrupted it.
   *
   * @return the exit status
   */
  private static int startFailed(Exception e, boolean stopping) {
    if (stopping) {
      // Most likely the stop's doing (the JVM's exit stopping the embedded store under the start).
      LOG.debug("start interrupted by the stop", e);
      System.err.println("authgate: stopped during start-up (" + e.getMessage() + ")");
      return START_FAILURE;
    }
    if (e instanceof ConfigException) {
      System.err.println("authgate: configuration error: " + e.getMessage());
      return CONFIG_ERROR;
    }
    if (e instanceof StartFailure) {
      LOG.atError().setCause(e.getCause()).log("authgate failed to start");
    } else {
      LOG.error("authgate failed to start", e);
    }
    System.err.println("authgate: cannot start: " + e.getMessage());
    return START_FAILURE;
  }

  private static Set<Role> parseRoles(List<String> names) {
    Set<Role> parsed = EnumSet.noneOf(Role.class);
    for (String name : names) {
      parsed.add(Role.byId(name).orElseThrow(() -> new ConfigException("--roles",
          "unknown role \"" + name + "\"; roles are gateway, sync-worker, admin-api")));
    }
    return parsed;
  }
}
