package io.authgate.core.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldif.LDIFException;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.BindGate;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Principal;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestCertificates;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Search-then-bind, DN templates, groups, escaping, TLS and failover against a real OpenLDAP
 * (slapd) and UnboundID's in-memory server, both seeded with the same entries.
 */
@ExtendWith(NoBlockedThreads.class)
class LdapDirectoryIT {
  private static Vertx vertx;
  private static InMemoryLdap inMemory;
  private static PrometheusMeterRegistry registry;

  /** One of the two servers: its name in test output, URLs and service account. */
  record Server(String name, String url, String startTlsUrl, String ldapsUrl, String bindDn, String bindPassword,
                boolean openLdap) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = TestVertx.create(registry);
    inMemory = InMemoryLdap.start();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    inMemory.close();
  }

  static Stream<Server> servers() {
    Slapd slapd = Slapd.shared();
    return Stream.of(
        new Server("openldap", slapd.url(), slapd.localhostUrl(), slapd.ldapsUrl(), Slapd.ADMIN_DN,
            Slapd.ADMIN_PASSWORD, true),
        new Server("in-memory", inMemory.url(), inMemory.localhostUrl(), inMemory.ldapsUrl(), InMemoryLdap.SERVICE_DN,
            InMemoryLdap.SERVICE_PASSWORD, false));
  }

  static Map<String, Object> settings(Server server) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("name", "test");
    settings.put("urls", List.of(server.url()));
    settings.put("baseDn", "dc=example,dc=org");
    settings.put("bindDn", server.bindDn());
    settings.put("bindPassword", server.bindPassword());
    settings.put("pool", Map.of("max", 4));
    settings.put("timeouts", Map.of("connect", "2s", "response", "3s"));
    return settings;
  }

  /** @return {@link #settings} binding to a DN template, without a service account */
  static Map<String, Object> templateSettings(Server server) {
    Map<String, Object> settings = settings(server);
    settings.remove("bindDn");
    settings.remove("bindPassword");
    settings.put("userDnTemplate", "uid={username},ou=people,dc=example,dc=org");
    return settings;
  }

  static Directory open(Map<String, Object> settings) {
    DirectoryConfig config = ConfigLoader.directory(settings);
    return LdapDirectory.open(vertx, config, registry, 1).await();
  }

  static BindOutcome authenticate(Directory directory, String username, String password) {
    try {
      return directory.authenticate(new Credentials(username, password)).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in 10 s", e);
    }
  }

  static Principal principal(BindOutcome outcome) {
    assertThat(outcome).isInstanceOf(BindOutcome.Authenticated.class);
    return ((BindOutcome.Authenticated) outcome).principal();
  }

  static RejectReason reason(BindOutcome outcome) {
    assertThat(outcome).isInstanceOf(BindOutcome.Rejected.class);
    return ((BindOutcome.Rejected) outcome).reason();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void searchThenBindResolvesTheUserAndTheirGroups(Server server) {
    Directory directory = open(settings(server));
    try {
      Principal alice = principal(authenticate(directory, "alice", "alice-secret-1"));
      assertThat(alice.username()).isEqualTo("alice");
      assertThat(alice.dn()).isEqualToIgnoringCase("uid=alice,ou=people,dc=example,dc=org");
      assertThat(alice.email()).isEqualTo("alice@example.org");
      assertThat(alice.displayName()).isEqualTo("Alice Liddell");
      assertThat(alice.directory()).isEqualTo("test");
      // groupOfNames, groupOfUniqueNames and posixGroup all count with the default search.
      assertThat(alice.groupNames()).containsExactlyInAnyOrder("admins", "developers", "staff", "posix-devs");
      assertThat(principal(authenticate(directory, "dave", "dave-secret-1")).groupNames())
          .containsExactly("posix-devs");
      // Without displayName the common name stands in.
      assertThat(principal(authenticate(directory, "bob", "bob-secret-1")).displayName()).isEqualTo("Bob Builder");
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aMailAddressFindsTheEntryAndTheBindUsesTheDnTheSearchReturned(Server server) {
    Directory directory = open(settings(server));
    try {
      Principal alice = principal(authenticate(directory, "alice@example.org", "alice-secret-1"));
      assertThat(alice.username()).isEqualTo("alice");
      assertThat(alice.dn()).isEqualToIgnoringCase("uid=alice,ou=people,dc=example,dc=org");
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void refusalsSayWhy(Server server) {
    Directory directory = open(settings(server));
    try {
      assertThat(reason(authenticate(directory, "alice", "wrong-password"))).isEqualTo(RejectReason.WRONG_PASSWORD);
      assertThat(reason(authenticate(directory, "nobody", "whatever-1"))).isEqualTo(RejectReason.NO_SUCH_USER);
      assertThat(reason(authenticate(directory, "twin@example.org", "twin-secret-1")))
          .isEqualTo(RejectReason.AMBIGUOUS_USER);
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void filterMetacharactersInTheUsernameAreEscaped(Server server) {
    Directory directory = open(settings(server));
    try {
      // Unescaped, "*" would match every entry and "alice)(uid=*" would widen the filter.
      assertThat(reason(authenticate(directory, "*", "alice-secret-1"))).isEqualTo(RejectReason.NO_SUCH_USER);
      assertThat(reason(authenticate(directory, "alice)(uid=*", "alice-secret-1")))
          .isEqualTo(RejectReason.NO_SUCH_USER);
      assertThat(reason(authenticate(directory, "a*", "alice-secret-1"))).isEqualTo(RejectReason.NO_SUCH_USER);
      // Parentheses that really are in a uid still match.
      assertThat(principal(authenticate(directory, "paren(user)", "paren-secret-1")).username())
          .isEqualTo("paren(user)");
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aDnTemplateBindsWithoutASearchAndEscapesTheValue(Server server) {
    Directory directory = open(templateSettings(server));
    try {
      Principal alice = principal(authenticate(directory, "alice", "alice-secret-1"));
      assertThat(alice.email()).isEqualTo("alice@example.org");
      assertThat(alice.groupNames()).contains("admins", "developers");
      assertThat(principal(authenticate(directory, "comma,user", "comma-secret-1")).username())
          .isEqualTo("comma,user");
      assertThat(reason(authenticate(directory, "alice", "wrong-password"))).isEqualTo(RejectReason.WRONG_PASSWORD);
      // A value trying to add an RDN is escaped into one, non-existent, name.
      assertThat(authenticate(directory, "alice,ou=people", "alice-secret-1"))
          .isInstanceOf(BindOutcome.Rejected.class);
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void ldapsAndStartTlsWorkWithTheConfiguredCa(Server server) {
    Map<String, Object> ldaps = settings(server);
    ldaps.put("urls", List.of(server.ldapsUrl()));
    ldaps.put("caFile", TestCertificates.get().caFile().toString());
    Map<String, Object> startTls = settings(server);
    startTls.put("urls", List.of(server.startTlsUrl()));
    startTls.put("startTls", true);
    startTls.put("caFile", TestCertificates.get().caFile().toString());
    for (Map<String, Object> settings : List.of(ldaps, startTls)) {
      Directory directory = open(settings);
      try {
        assertThat(principal(authenticate(directory, "alice", "alice-secret-1")).username()).isEqualTo("alice");
      } finally {
        directory.close().await();
      }
    }
  }

  /**
   * Logins started together share the event loop's search connection, whose requests of one turn
   * leave in one write (in clear and under StartTLS): each still gets its own answer.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void loginsStartedTogetherEachGetTheirOwnAnswer(Server server) {
    Map<String, Object> startTls = settings(server);
    startTls.put("urls", List.of(server.startTlsUrl()));
    startTls.put("startTls", true);
    startTls.put("caFile", TestCertificates.get().caFile().toString());
    String[][] logins = {{"alice", "alice-secret-1", "alice"}, {"bob", "bob-secret-1", "bob"},
        {"dave", "dave-secret-1", "dave"}, {"alice", "wrong", null}, {"nobody", "x-secret", null}};
    for (Map<String, Object> settings : List.of(settings(server), startTls)) {
      Directory directory = open(settings);
      try {
        List<io.vertx.core.Future<BindOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          String[] login = logins[i % logins.length];
          outcomes.add(directory.authenticate(new Credentials(login[0], login[1])));
        }
        io.vertx.core.Future.join(outcomes).await(20, TimeUnit.SECONDS);
        for (int i = 0; i < outcomes.size(); i++) {
          String expected = logins[i % logins.length][2];
          BindOutcome outcome = outcomes.get(i).result();
          if (expected == null) {
            assertThat(outcome).as("login %d", i).isInstanceOf(BindOutcome.Rejected.class);
          } else {
            assertThat(principal(outcome).username()).as("login %d", i).isEqualTo(expected);
          }
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no answers in 20 s", e);
      } finally {
        directory.close().await();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aServerCertificateFromAnotherCaIsRefused(Server server) {
    Map<String, Object> settings = settings(server);
    settings.put("urls", List.of(server.ldapsUrl()));
    settings.put("caFile", TestCertificates.get().otherCaFile().toString());
    Directory directory = open(settings);
    try {
      assertThatThrownBy(() -> directory.authenticate(new Credentials("alice", "alice-secret-1")).await())
          .isInstanceOf(DirectoryUnavailableException.class);
    } finally {
      directory.close().await();
    }
  }

  @Test
  void theServerCertificateMustNameTheHostConnectedTo() {
    try (InMemoryLdap localhostOnly = InMemoryLdap.startWithCertificate(
        TestCertificates.get().localhostOnlyKeyStore())) {
      String port = localhostOnly.ldapsUrl().substring(localhostOnly.ldapsUrl().lastIndexOf(':') + 1);
      Map<String, Object> byName = settings(servers().toList().get(1));
      byName.put("urls", List.of("ldaps://localhost:" + port));
      byName.put("caFile", TestCertificates.get().caFile().toString());
      Map<String, Object> byAddress = new HashMap<>(byName);
      byAddress.put("urls", List.of("ldaps://127.0.0.1:" + port));
      Directory named = open(byName);
      Directory addressed = open(byAddress);
      try {
        assertThat(principal(authenticate(named, "alice", "alice-secret-1")).username()).isEqualTo("alice");
        // Same trusted CA, but the certificate does not name 127.0.0.1: refused.
        assertThatThrownBy(() -> addressed.authenticate(new Credentials("alice", "alice-secret-1")).await())
            .isInstanceOf(DirectoryUnavailableException.class);
      } finally {
        named.close().await();
        addressed.close().await();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aDeadFirstUrlFailsOverToTheNext(Server server) {
    Map<String, Object> settings = settings(server);
    settings.put("urls", List.of("ldap://127.0.0.1:" + FreePorts.next(), server.url()));
    Directory directory = open(settings);
    try {
      assertThat(principal(authenticate(directory, "alice", "alice-secret-1")).username()).isEqualTo("alice");
      assertThat(directory.probe().await()).isNotNegative();
    } finally {
      directory.close().await();
    }
  }

  @Test
  void anUnreachableDirectoryFailsAsUnavailableNotAsARefusal() {
    Map<String, Object> settings = settings(servers().toList().get(1));
    settings.put("urls", List.of("ldap://127.0.0.1:" + FreePorts.next()));
    Directory directory = open(settings);
    try {
      assertThatThrownBy(() -> directory.authenticate(new Credentials("alice", "alice-secret-1")).await())
          .isInstanceOfSatisfying(DirectoryUnavailableException.class,
              e -> assertThat(e.kind()).isEqualTo(DirectoryUnavailableException.Cause.UNREACHABLE));
      assertThatThrownBy(() -> directory.probe().await()).isInstanceOf(DirectoryUnavailableException.class);
    } finally {
      directory.close().await();
    }
  }

  @Test
  void openLdapMemberOfOverlayAndPasswordPolicyLocks() {
    Server openLdap = servers().toList().get(0);
    Map<String, Object> settings = settings(openLdap);
    settings.put("groups", Map.of("strategy", "member-of"));
    Directory directory = open(settings);
    try {
      // The memberof overlay maintains memberOf for groupOfNames only.
      assertThat(principal(authenticate(directory, "alice", "alice-secret-1")).groupNames())
          .containsExactlyInAnyOrder("admins", "developers");
      assertThat(reason(authenticate(directory, "locked", "locked-secret-1"))).isEqualTo(RejectReason.ACCOUNT_LOCKED);
    } finally {
      directory.close().await();
    }
  }

  /**
   * ppolicy with {@code pwdMustChange}: a password an administrator set makes slapd accept the
   * user's bind with {@code changeAfterReset} and restrict the connection to a password change.
   * That is no login, by search-then-bind or by DN template, until the user has changed it.
   */
  @Test
  void openLdapRefusesAPasswordAnAdministratorResetUntilTheUserChangesIt() throws Exception {
    Server openLdap = servers().toList().get(0);
    try (LDAPConnection admin = Slapd.shared().adminConnection();
         PolicyUser reset = PolicyUser.add(admin, "reset", "pwdMustChange: TRUE")) {
      admin.modify(reset.dn(), new Modification(ModificationType.REPLACE, "userPassword", "reset-temporary-1"));
      assertThat(admin.getEntry(reset.dn(), "pwdReset").getAttributeValue("pwdReset")).isEqualTo("TRUE");
      for (Map<String, Object> settings : List.of(settings(openLdap), templateSettings(openLdap))) {
        Directory directory = open(settings);
        try {
          assertThat(reason(authenticate(directory, "reset", "reset-temporary-1")))
              .isEqualTo(RejectReason.PASSWORD_MUST_CHANGE);
          assertThat(reason(authenticate(directory, "reset", "reset-wrong-1"))).isEqualTo(RejectReason.WRONG_PASSWORD);
        } finally {
          directory.close().await();
        }
      }
      try (LDAPConnection user = new LDAPConnection("127.0.0.1", Slapd.shared().port())) {
        user.bind(reset.dn(), "reset-temporary-1");
        assertThat(user.processExtendedOperation(new PasswordModifyExtendedRequest("reset-temporary-1",
            "reset-chosen-1")).getResultCode()).isEqualTo(ResultCode.SUCCESS);
      }
      Directory directory = open(settings(openLdap));
      try {
        assertThat(principal(authenticate(directory, "reset", "reset-chosen-1")).username()).isEqualTo("reset");
      } finally {
        directory.close().await();
      }
    }
  }

  /** A password past ppolicy's {@code pwdMaxAge} with grace logins left: slapd accepts it with a warning, a login. */
  @Test
  void openLdapGraceLoginsAfterTheExpiryStillSignIn() throws Exception {
    Server openLdap = servers().toList().get(0);
    try (LDAPConnection admin = Slapd.shared().adminConnection();
         PolicyUser grace = PolicyUser.add(admin, "grace", "pwdMaxAge: 1", "pwdGraceAuthNLimit: 1")) {
      Thread.sleep(2_100);
      Directory directory = open(settings(openLdap));
      try {
        assertThat(principal(authenticate(directory, "grace", "grace-secret-1")).username()).isEqualTo("grace");
        // The one grace login is spent: now the bind is refused, as expired.
        assertThat(reason(authenticate(directory, "grace", "grace-secret-1"))).isEqualTo(RejectReason.PASSWORD_EXPIRED);
      } finally {
        directory.close().await();
      }
    }
  }

  /**
   * A lock ppolicy sets after failed binds lasts the policy's {@code pwdLockoutDuration}: refused
   * while it lasts, a login once it has run out, though its stamp stays on the entry until that bind.
   */
  @Test
  void openLdapALockAfterFailedBindsEndsWithItsDuration() throws Exception {
    Server openLdap = servers().toList().get(0);
    try (LDAPConnection admin = Slapd.shared().adminConnection();
         PolicyUser lockout = PolicyUser.add(admin, "lockout", "pwdLockout: TRUE", "pwdMaxFailure: 2",
             "pwdLockoutDuration: 2")) {
      Directory directory = open(settings(openLdap));
      try {
        assertThat(reason(authenticate(directory, "lockout", "lockout-wrong-1"))).isEqualTo(RejectReason.WRONG_PASSWORD);
        assertThat(reason(authenticate(directory, "lockout", "lockout-wrong-2"))).isEqualTo(RejectReason.WRONG_PASSWORD);
        assertThat(reason(authenticate(directory, "lockout", "lockout-secret-1"))).isEqualTo(RejectReason.ACCOUNT_LOCKED);
        Thread.sleep(2_100);
        assertThat(admin.getEntry(lockout.dn(), OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME)
            .hasAttribute(OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME)).as("the lock's stamp, after the lock").isTrue();
        assertThat(principal(authenticate(directory, "lockout", "lockout-secret-1")).username()).isEqualTo("lockout");
      } finally {
        directory.close().await();
      }
    }
  }

  /** A user of slapd's people with a password policy of its own, both removed on close. */
  private record PolicyUser(LDAPConnection admin, String dn, String policyDn) implements AutoCloseable {
    static PolicyUser add(LDAPConnection admin, String uid, String... policy) throws LDAPException, LDIFException {
      String policyDn = "cn=" + uid + "-policy,ou=policies,dc=example,dc=org";
      String dn = "uid=" + uid + ",ou=people,dc=example,dc=org";
      List<String> policyEntry = new ArrayList<>(List.of("dn: " + policyDn, "objectClass: person",
          "objectClass: pwdPolicy", "cn: " + uid + "-policy", "sn: policy", "pwdAttribute: userPassword"));
      policyEntry.addAll(List.of(policy));
      admin.add(policyEntry.toArray(String[]::new));
      admin.add("dn: " + dn, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid, "sn: " + uid,
          "userPassword: " + uid + "-secret-1", "pwdPolicySubentry: " + policyDn);
      return new PolicyUser(admin, dn, policyDn);
    }

    @Override
    public void close() throws LDAPException {
      admin.delete(dn);
      admin.delete(policyDn);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void theGateHearsTheAccountFoundAndMayRefuseBeforeTheBind(Server server) {
    Directory directory = open(settings(server));
    try {
      List<String> heard = new CopyOnWriteArrayList<>();
      BindGate listening = account -> {
        heard.add(account);
        return BindGate.ADMIT;
      };
      Credentials byMail = new Credentials("Alice@Example.org", "alice-secret-1");
      assertThat(directory.authenticate(byMail, listening).await()).isInstanceOf(BindOutcome.Authenticated.class);
      assertThat(directory.authenticate(new Credentials("alice@example.org", "wrong-password"), listening).await())
          .isEqualTo(new BindOutcome.Rejected(RejectReason.WRONG_PASSWORD));
      assertThat(directory.authenticate(new Credentials("nobody", "whatever-1"), listening).await())
          .isEqualTo(new BindOutcome.Rejected(RejectReason.NO_SUCH_USER));
      assertThat(heard).as("the entry's uid, whatever name was typed").containsExactly("alice", "alice");

      double binds = bindsOf("test");
      BindGate banning = account -> Future.succeededFuture(Optional.of(RejectReason.BANNED));
      assertThat(directory.authenticate(byMail, banning).await())
          .isEqualTo(new BindOutcome.Rejected(RejectReason.BANNED));
      assertThat(bindsOf("test")).as("refused before the bind").isEqualTo(binds);
    } finally {
      directory.close().await();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void withADnTemplateTheGateHearsTheNameTyped(Server server) {
    Map<String, Object> settings = templateSettings(server);
    settings.put("name", "templated");
    Directory directory = open(settings);
    try {
      List<String> heard = new CopyOnWriteArrayList<>();
      BindGate banning = account -> {
        heard.add(account);
        return Future.succeededFuture(Optional.of(RejectReason.REPEATED_FAILURE));
      };
      assertThat(directory.authenticate(new Credentials("alice", "alice-secret-1"), banning).await())
          .isEqualTo(new BindOutcome.Rejected(RejectReason.REPEATED_FAILURE));
      assertThat(heard).containsExactly("alice");
      assertThat(bindsOf("templated")).isZero();
    } finally {
      directory.close().await();
    }
  }

  private static double bindsOf(String directory) {
    return registry.find("authgate.ldap.operations").tags("directory", directory, "operation", "bind").counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void operationsAreCountedByOutcome() {
    Directory directory = open(settings(servers().toList().get(1)));
    try {
      authenticate(directory, "alice", "alice-secret-1");
      authenticate(directory, "alice", "wrong-password");
      assertThat(registry.get("authgate.ldap.operations").tags("directory", "test", "operation", "bind",
          "result", "invalid_credentials").counter().count()).isPositive();
      assertThat(registry.get("authgate.ldap.pool.connections").tags("directory", "test", "pool", "search",
          "state", "open").gauge().value()).isEqualTo(1);
      assertThat(registry.get("authgate.ldap.pool.connections").tags("directory", "test", "pool", "bind",
          "state", "idle").gauge().value()).isEqualTo(1);
    } finally {
      directory.close().await();
    }
  }
}
