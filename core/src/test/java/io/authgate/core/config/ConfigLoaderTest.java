package io.authgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private AuthgateConfig load(Map<String, String> env) {
    return ConfigLoader.withEnvironment(env).load(Optional.empty());
  }

  private AuthgateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("authgate.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.withEnvironment(env).load(Optional.of(file));
  }

  private static String problem(Runnable load) {
    try {
      load.run();
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void nothingConfiguredMeansTheEmbeddedDefault() {
    AuthgateConfig config = load(Map.of());
    assertThat(config.usesEmbeddedDirectory()).isTrue();
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.values());
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().adminPort()).isEqualTo(8081);
    assertThat(config.postgres().url()).isEmpty();
    assertThat(config.redis().url()).isEmpty();
    assertThat(config.cache().freshTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.cache().staleWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(config.cache().redisWriteDelay()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.regulation()).isEqualTo(new RegulationConfig(true, 5, Duration.ofMinutes(2),
        Duration.ofMinutes(5)));
  }

  @Test
  void theFlatVariablesConfigureOneDirectoryAndTheServices() {
    AuthgateConfig config = load(Map.of(
        "AUTHGATE_LDAP_URL", "ldap://dc1.corp:389, ldap://dc2.corp:389",
        "AUTHGATE_LDAP_BASE_DN", "dc=corp,dc=example",
        "AUTHGATE_LDAP_BIND_DN", "cn=svc,dc=corp,dc=example",
        "AUTHGATE_LDAP_BIND_PASSWORD", " spaces kept ",
        "AUTHGATE_LDAP_USER_FILTER", "(sAMAccountName={username})",
        "AUTHGATE_POSTGRES_URL", "postgresql://u:p@db:5432/authgate",
        "AUTHGATE_REDIS_URL", "redis://cache:6379",
        "AUTHGATE_HTTP_PORT", "9090",
        "AUTHGATE_ADMIN_PORT", "9091",
        "AUTHGATE_ROLES", "gateway,admin-api"));
    DirectoryConfig d = config.directories().get(0);
    assertThat(d.name()).isEqualTo("default");
    assertThat(d.urls()).containsExactly("ldap://dc1.corp:389", "ldap://dc2.corp:389");
    assertThat(d.baseDn()).isEqualTo("dc=corp,dc=example");
    assertThat(d.bindDn()).contains("cn=svc,dc=corp,dc=example");
    assertThat(d.bindPassword().orElseThrow().reveal()).isEqualTo(" spaces kept ");
    assertThat(d.userFilter()).isEqualTo("(sAMAccountName={username})");
    assertThat(d.pool()).isEqualTo(new DirectoryConfig.Pool(20));
    assertThat(config.postgres().url()).contains("postgresql://u:p@db:5432/authgate");
    assertThat(config.redis().url()).contains("redis://cache:6379");
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().adminPort()).isEqualTo(9091);
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.GATEWAY, Role.ADMIN_API);
  }

  @Test
  void aYamlFileWithSeveralDirectoriesAndEveryKeyOverridableFromTheEnvironment() throws IOException {
    String yaml = """
        http:
          port: 8000
        defaultDirectory: corp
        cache:
          freshTtl: 10m
          staleWindow: 0
        directories:
          - name: corp
            kind: active-directory
            urls: [ldaps://dc1.corp.example:636]
            caFile: %s
            baseDn: DC=corp,DC=example
            bindDn: CN=svc,DC=corp,DC=example
            bindPassword: s3cret
            emailDomains: [Corp.Example]
            requiredGroups: [VPN Users]
            roleMapping:
              Domain Admins: [admin]
            pool: {max: 5}
          - name: partners
            urls: [ldap://ldap.partner.example]
            baseDn: dc=partner,dc=example
            groups: {strategy: member-of}
        """.formatted(writeCa());
    AuthgateConfig config = load(yaml, Map.of(
        "AUTHGATE_CACHE_FRESH_TTL", "30s",
        "AUTHGATE_DIRECTORIES_1_POOL_MAX", "7",
        "AUTHGATE_DIRECTORIES_1_ROLE_MAPPING", "{staff: [user, reader]}"));
    assertThat(config.http().port()).isEqualTo(8000);
    assertThat(config.defaultDirectoryName()).isEqualTo("corp");
    assertThat(config.cache().freshTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cache().staleWindow()).isZero();
    DirectoryConfig corp = config.directories().get(0);
    assertThat(corp.kind()).isEqualTo(DirectoryKind.ACTIVE_DIRECTORY);
    assertThat(corp.userFilter()).isEqualTo(DirectoryConfig.AD_USER_FILTER);
    assertThat(corp.attributes().username()).isEqualTo("sAMAccountName");
    assertThat(corp.groups().strategy()).isEqualTo(GroupsConfig.Strategy.IN_CHAIN);
    assertThat(corp.emailDomains()).containsExactly("corp.example");
    assertThat(corp.requiredGroups()).containsExactly("VPN Users");
    assertThat(corp.roleMapping()).containsEntry("Domain Admins", List.of("admin"));
    DirectoryConfig partners = config.directories().get(1);
    assertThat(partners.kind()).isEqualTo(DirectoryKind.OPENLDAP);
    assertThat(partners.groups().strategy()).isEqualTo(GroupsConfig.Strategy.MEMBER_OF);
    assertThat(partners.pool()).isEqualTo(new DirectoryConfig.Pool(7));
    assertThat(partners.roleMapping()).containsEntry("staff", List.of("user", "reader"));
  }

  private String writeCa() throws IOException {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    return ca.toString();
  }

  @Test
  void anEnvironmentVariableCanAddADirectoryTheFileDoesNotHave() {
    AuthgateConfig config = load(Map.of(
        "AUTHGATE_LDAP_URL", "ldap://one", "AUTHGATE_LDAP_BASE_DN", "dc=one",
        "AUTHGATE_DIRECTORIES_1_NAME", "two", "AUTHGATE_DIRECTORIES_1_URLS", "ldap://two",
        "AUTHGATE_DIRECTORIES_1_BASE_DN", "dc=two"));
    assertThat(config.directories()).extracting(DirectoryConfig::name).containsExactly("default", "two");
  }

  @Test
  void theRedisWriteDelayIsADurationOfAtMostASecond() {
    assertThat(load(Map.of("AUTHGATE_CACHE_REDIS_WRITE_DELAY", "0")).cache().redisWriteDelay()).isZero();
    assertThat(load(Map.of("AUTHGATE_CACHE_REDIS_WRITE_DELAY", "20ms")).cache().redisWriteDelay())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(problem(() -> load(Map.of("AUTHGATE_CACHE_REDIS_WRITE_DELAY", "2s"))))
        .startsWith("cache.redisWriteDelay").endsWith("must be at most 1s");
    assertThat(problem(() -> load(Map.of("AUTHGATE_CACHE_REDIS_WRITE_DELAY", "soon"))))
        .startsWith("cache.redisWriteDelay (from AUTHGATE_CACHE_REDIS_WRITE_DELAY): must be a duration");
  }

  @Test
  void theRedisCommandTimeoutIsADurationBetweenTenMillisecondsAndFiveMinutes() {
    assertThat(load(Map.of()).redis().commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(load(Map.of("AUTHGATE_REDIS_COMMAND_TIMEOUT", "250ms")).redis().commandTimeout())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_COMMAND_TIMEOUT", "0"))))
        .isEqualTo("redis.commandTimeout (from AUTHGATE_REDIS_COMMAND_TIMEOUT): must be between 10ms and 5m");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_COMMAND_TIMEOUT", "1h"))))
        .isEqualTo("redis.commandTimeout (from AUTHGATE_REDIS_COMMAND_TIMEOUT): must be between 10ms and 5m");
  }

  @Test
  void theShutdownTimeoutIsADurationOfAtMostFiveMinutes() {
    assertThat(load(Map.of()).http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(load(Map.of("AUTHGATE_HTTP_SHUTDOWN_TIMEOUT", "0")).http().shutdownTimeout()).isZero();
    assertThat(load(Map.of("AUTHGATE_HTTP_SHUTDOWN_TIMEOUT", "45s")).http().shutdownTimeout())
        .isEqualTo(Duration.ofSeconds(45));
    assertThat(problem(() -> load(Map.of("AUTHGATE_HTTP_SHUTDOWN_TIMEOUT", "1h"))))
        .isEqualTo("http.shutdownTimeout (from AUTHGATE_HTTP_SHUTDOWN_TIMEOUT): must be between 0s and 5m");
    assertThat(problem(() -> load(Map.of("AUTHGATE_HTTP_SHUTDOWN_TIMEOUT", "soon"))))
        .startsWith("http.shutdownTimeout (from AUTHGATE_HTTP_SHUTDOWN_TIMEOUT): must be a duration");
  }

  @Test
  void thePostgresQueryTimeoutIsADurationBetweenOneHundredMillisecondsAndAnHour() {
    assertThat(load(Map.of()).postgres().queryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(load(Map.of("AUTHGATE_POSTGRES_QUERY_TIMEOUT", "5m")).postgres().queryTimeout())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(problem(() -> load(Map.of("AUTHGATE_POSTGRES_QUERY_TIMEOUT", "50ms"))))
        .isEqualTo("postgres.queryTimeout (from AUTHGATE_POSTGRES_QUERY_TIMEOUT): must be between 100ms and 1h");
    assertThat(problem(() -> load(Map.of("AUTHGATE_POSTGRES_QUERY_TIMEOUT", "2h"))))
        .isEqualTo("postgres.queryTimeout (from AUTHGATE_POSTGRES_QUERY_TIMEOUT): must be between 100ms and 1h");
  }

  @Test
  void badValuesStopTheStartWithOneLineNamingTheKey() {
    assertThat(problem(() -> load(Map.of("AUTHGATE_HTTP_PORT", "eighty"))))
        .isEqualTo("http.port (from AUTHGATE_HTTP_PORT): must be a whole number, got \"eighty\"");
    assertThat(problem(() -> load(Map.of("AUTHGATE_HTTP_PORT", "70000"))))
        .isEqualTo("http.port (from AUTHGATE_HTTP_PORT): must be between 0 and 65535, got 70000");
    assertThat(problem(() -> load(Map.of("AUTHGATE_LDAP_URL", "http://dc1", "AUTHGATE_LDAP_BASE_DN", "dc=x"))))
        .isEqualTo("directories[0].urls (from AUTHGATE_LDAP_URL): \"http://dc1\" is not an ldap:// or ldaps:// URL");
    assertThat(problem(() -> load(Map.of("AUTHGATE_LDAP_URL", "ldap://dc1"))))
        .isEqualTo("directories[0].baseDn: is required");
    assertThat(problem(() -> load(Map.of("AUTHGATE_LDAP_URL", "ldap://dc1", "AUTHGATE_LDAP_BASE_DN", "dc=x",
        "AUTHGATE_LDAP_USER_FILTER", "(uid=alice)"))))
        .isEqualTo("directories[0].userFilter (from AUTHGATE_LDAP_USER_FILTER): must contain {username}");
    assertThat(problem(() -> load(Map.of("AUTHGATE_LDAP_URL", "ldap://dc1", "AUTHGATE_LDAP_BASE_DN", "dc=x",
        "AUTHGATE_LDAP_USER_FILTER", "(uid={username}"))))
        .startsWith("directories[0].userFilter (from AUTHGATE_LDAP_USER_FILTER): ").endsWith("is not a valid LDAP filter");
    assertThat(problem(() -> load(Map.of("AUTHGATE_ROLES", "gateway,proxy"))))
        .isEqualTo("roles (from AUTHGATE_ROLES): unknown role \"proxy\"; roles are gateway, sync-worker, admin-api");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "localhost:6379"))))
        .isEqualTo("redis.url (from AUTHGATE_REDIS_URL): must start with redis://, rediss:// or unix://");
    assertThat(problem(() -> load(Map.of("AUTHGATE_CACHE_FRESH_TTL", "five minutes"))))
        .isEqualTo("cache.freshTtl (from AUTHGATE_CACHE_FRESH_TTL): must be a duration such as 500ms, 30s, 5m, 1h or "
            + "2d, got \"five minutes\"");
    assertThat(problem(() -> load(Map.of("AUTHGATE_ADMIN_PORT", "8080"))))
        .isEqualTo("http.adminPort (from AUTHGATE_ADMIN_PORT): must differ from http.port (8080)");
  }

  @Test
  void aSecretIsNeverEchoedInAnError() {
    String message = problem(() -> load(Map.of("AUTHGATE_LDAP_URL", "ldap://dc1", "AUTHGATE_LDAP_BASE_DN", "dc=x",
        "AUTHGATE_LDAP_BIND_PASSWORD", "hunter2-very-secret")));
    assertThat(message).isEqualTo("directories[0].bindDn: is required when bindPassword is set")
        .doesNotContain("hunter2");
    assertThat(problem(() -> load(Map.of("AUTHGATE_CACHE_HMAC_KEY", "short-key"))))
        .isEqualTo("cache.hmacKey (from AUTHGATE_CACHE_HMAC_KEY): must be at least 32 characters");
    assertThat(Secret.of("hunter2").toString()).isEqualTo("******");
  }

  @Test
  void storeUrlsTheClientsCouldNotReadStopTheStartWithoutQuotingThem() {
    assertThat(problem(() -> load(Map.of("AUTHGATE_POSTGRES_URL", "postgresql://authgate:hunter2@db:99999/authgate"))))
        .isEqualTo("postgres.url (from AUTHGATE_POSTGRES_URL): cannot be read: it must look like "
            + "postgresql://user:password@host:5432/database, with a port of 1-65535");
    assertThat(problem(() -> load(Map.of("AUTHGATE_POSTGRES_URL", "postgresql://authgate:hunter2@db:abc/authgate"))))
        .startsWith("postgres.url (from AUTHGATE_POSTGRES_URL): cannot be read").doesNotContain("hunter2");
    assertThat(problem(() -> load(Map.of("AUTHGATE_POSTGRES_URL", "mysql://authgate:hunter2@db/authgate"))))
        .isEqualTo("postgres.url (from AUTHGATE_POSTGRES_URL): must look like "
            + "postgresql://user:password@host:5432/database");

    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "redis://:hunter2@cache:99999"))))
        .isEqualTo("redis.url (from AUTHGATE_REDIS_URL): port must be between 1 and 65535");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "redis://:hunter2@cache:abc"))))
        .startsWith("redis.url (from AUTHGATE_REDIS_URL): must name a host").doesNotContain("hunter2");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "redis://:hunter 2@cache:6379"))))
        .startsWith("redis.url (from AUTHGATE_REDIS_URL): is not a valid URL").doesNotContain("hunter");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "redis://cache:6379/sessions"))))
        .isEqualTo("redis.url (from AUTHGATE_REDIS_URL): the database after the host must be a number, as in "
            + "redis://host:6379/0");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "redis://cache:6379?db=one"))))
        .isEqualTo("redis.url (from AUTHGATE_REDIS_URL): the database in ?db= must be a number");
    assertThat(problem(() -> load(Map.of("AUTHGATE_REDIS_URL", "unix://"))))
        .startsWith("redis.url (from AUTHGATE_REDIS_URL): ");
  }

  @Test
  void storeUrlsInEveryFormTheClientsReadAreAccepted() {
    assertThat(load(Map.of("AUTHGATE_POSTGRES_URL", "postgres://u:p@db/authgate")).postgres().url())
        .contains("postgresql://u:p@db/authgate");
    assertThat(load(Map.of("AUTHGATE_POSTGRES_URL", "jdbc:postgresql://db:5432/authgate?sslmode=require"))
        .postgres().url()).contains("postgresql://db:5432/authgate?sslmode=require");
    for (String url : List.of("redis://cache", "redis://:p@cache:6379/2", "rediss://user:p@cache:6380?db=3",
        "redis://[::1]:6379", "unix:///run/redis/redis.sock")) {
      assertThat(load(Map.of("AUTHGATE_REDIS_URL", url)).redis().url()).contains(url);
    }
  }

  @Test
  void fileProblemsNameTheKeyAndLine() throws IOException {
    assertThat(problem(() -> {
      try {
        load("http:\n  prot: 8080\n", Map.of());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    })).isEqualTo("http.prot: unknown key");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "http:\n  port: [8080\n");
    assertThat(problem(() -> ConfigLoader.withEnvironment(Map.of()).load(Optional.of(broken))))
        .startsWith("config: " + broken + " is not valid YAML at line ");
    assertThat(problem(() -> ConfigLoader.withEnvironment(Map.of()).load(Optional.of(dir.resolve("missing.yaml")))))
        .isEqualTo("config: cannot read " + dir.resolve("missing.yaml"));
  }

  @Test
  void directoryNamesAndDomainsMustBeUnique() throws IOException {
    String twoDefaults = """
        directories:
          - {name: a, urls: [ldap://a], baseDn: dc=a, emailDomains: [x.org]}
          - {name: b, urls: [ldap://b], baseDn: dc=b, emailDomains: [X.org]}
        """;
    assertThat(problem(() -> {
      try {
        load(twoDefaults, Map.of());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    })).isEqualTo("directories[1].emailDomains: \"x.org\" is already routed to directory \"a\"");
  }

  @Test
  void anEmailDomainWrittenWithAnAtSignOrASpaceIsRefused() {
    Map<String, String> directory = Map.of("AUTHGATE_LDAP_URL", "ldap://dc1", "AUTHGATE_LDAP_BASE_DN", "dc=x");
    Map<String, String> withAt = new HashMap<>(directory);
    withAt.put("AUTHGATE_DIRECTORIES_0_EMAIL_DOMAINS", "corp.example,@Partners.Example");
    assertThat(problem(() -> load(withAt))).isEqualTo("directories[0].emailDomains (from "
        + "AUTHGATE_DIRECTORIES_0_EMAIL_DOMAINS): \"@partners.example\" is not a domain: write it without \"@\" or "
        + "spaces, as in corp.example.com");
    Map<String, String> withSpace = new HashMap<>(directory);
    withSpace.put("AUTHGATE_DIRECTORIES_0_EMAIL_DOMAINS", "[\"corp example\"]");
    assertThat(problem(() -> load(withSpace))).endsWith("\"corp example\" is not a domain: write it without \"@\" or "
        + "spaces, as in corp.example.com");
  }

  @Test
  void theEnvironmentVariableOfAKeyIsDerivedFromItsPath() {
    assertThat(ConfigEnvironment.variableFor("cache.freshTtl")).isEqualTo("AUTHGATE_CACHE_FRESH_TTL");
    assertThat(ConfigEnvironment.variableFor("directories[2].userDnTemplate"))
        .isEqualTo("AUTHGATE_DIRECTORIES_2_USER_DN_TEMPLATE");
    assertThat(ConfigEnvironment.variableFor("http.adminPort")).isEqualTo("AUTHGATE_HTTP_ADMIN_PORT");
  }

  @Test
  void unknownVariablesAreReportedAsLikelyTypos() {
    ConfigLoader loader = ConfigLoader.withEnvironment(Map.of("AUTHGATE_HTTP_PROT", "1", "AUTHGATE_CONFIG", "",
        "AUTHGATE_HTTP_PORT", "8000"));
    loader.load(Optional.empty());
    assertThat(loader.unusedVariables()).containsExactly("AUTHGATE_HTTP_PROT");
  }

  @Test
  void sessionsPortalAccessAndHeadersHaveSafeDefaultsAndCheckedValues() throws IOException {
    AuthgateConfig defaults = load(Map.of());
    assertThat(defaults.session()).isEqualTo(new SessionConfig(Duration.ofMinutes(30), Duration.ofHours(12),
        "authgate_session", Optional.empty(), true));
    assertThat(defaults.access().defaultPolicy()).isEqualTo(AccessConfig.Policy.AUTHENTICATED);
    assertThat(defaults.headers()).isEqualTo(new HeadersConfig("Remote-User", "Remote-Groups", "Remote-Email",
        "Remote-Name"));
    AuthgateConfig custom = load("""
        session: {idleTimeout: 10m, absoluteTimeout: 8h, cookieName: sso, cookieDomain: .example.com}
        portal: {url: "https://auth.example.com/login", allowedRedirectDomains: [Example.com]}
        access:
          defaultPolicy: deny
          rules:
            - {hosts: ["*.example.com"], paths: ["/admin/**"], methods: [get], policy: authenticated, groups: [admins]}
        headers: {user: X-User}
        """, Map.of());
    assertThat(custom.session().cookieDomain()).contains("example.com");
    assertThat(custom.portal().allowedRedirectDomains()).containsExactly("example.com");
    assertThat(custom.access().rules().get(0).methods()).containsExactly("GET");
    assertThat(custom.headers().user()).isEqualTo("X-User");
    assertThat(problem(() -> load(Map.of("AUTHGATE_SESSION_IDLE_TIMEOUT", "13h"))))
        .isEqualTo("session.idleTimeout (from AUTHGATE_SESSION_IDLE_TIMEOUT): must not be longer than absoluteTimeout "
            + "(PT12H)");
    assertThat(problem(() -> load(Map.of("AUTHGATE_PORTAL_URL", "/login"))))
        .isEqualTo("portal.url (from AUTHGATE_PORTAL_URL): must be an absolute http:// or https:// URL, got \"/login\"");
    assertThat(problem(() -> load(Map.of("AUTHGATE_ACCESS_DEFAULT_POLICY", "maybe"))))
        .isEqualTo("access.defaultPolicy (from AUTHGATE_ACCESS_DEFAULT_POLICY): must be bypass, authenticated or deny, "
            + "got \"maybe\"");
    assertThat(problem(() -> {
      try {
        load("access: {rules: [{paths: [admin], policy: deny}]}", Map.of());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    })).isEqualTo("access.rules[0].paths: \"admin\" must start with /");
    assertThat(problem(() -> load(Map.of("AUTHGATE_HEADERS_USER", "Remote User"))))
        .isEqualTo("headers.user (from AUTHGATE_HEADERS_USER): \"Remote User\" is not a header name");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("0")).isZero();
    assertThatThrownBy(() -> Durations.parse("-5m")).isInstanceOf(IllegalArgumentException.class);
  }
}
