package io.authgate.core.directory.ad;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.directory.BindGate;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.directory.ldap.LdapDirectory;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Principal;
import io.authgate.core.testing.ActiveDirectoryEmulator;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Active Directory behaviour, against UnboundID's in-memory server made to answer as a domain
 * controller does ({@link ActiveDirectoryEmulator}): no real AD is available to these tests.
 */
@ExtendWith(NoBlockedThreads.class)
class ActiveDirectoryIT {
  private static Vertx vertx;
  private static InMemoryLdap ad;
  private static Directory directory;

  @BeforeAll
  static void start() {
    vertx = TestVertx.create();
    ad = ActiveDirectoryEmulator.start();
    directory = LdapDirectory.open(vertx, ConfigLoader.directory(Map.of(
        "name", "corp",
        "kind", "active-directory",
        "urls", List.of(ad.url()),
        "baseDn", ActiveDirectoryEmulator.BASE_DN,
        "bindDn", ActiveDirectoryEmulator.SERVICE_DN,
        "bindPassword", InMemoryLdap.SERVICE_PASSWORD,
        "pool", Map.of("max", 4))), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1).await();
  }

  @AfterAll
  static void stop() {
    directory.close().await();
    vertx.close().await();
    ad.close();
  }

  private static BindOutcome authenticate(String username, String password) {
    return directory.authenticate(new Credentials(username, password)).await();
  }

  @Test
  void samAccountNameAndUpnLoginsFindTheSameUserWithNestedGroups() {
    for (String login : List.of("jdoe", "jdoe@corp.test", "JDOE")) {
      BindOutcome outcome = authenticate(login, "jdoe-Secret-1");
      assertThat(outcome).as(login).isInstanceOf(BindOutcome.Authenticated.class);
      Principal principal = ((BindOutcome.Authenticated) outcome).principal();
      assertThat(principal.username()).isEqualTo("jdoe");
      assertThat(principal.dn()).isEqualTo("CN=John Doe,CN=Users,DC=corp,DC=test");
      assertThat(principal.email()).isEqualTo("john.doe@corp.test");
      // Engineering directly, All Staff and VPN Users through nesting (LDAP_MATCHING_RULE_IN_CHAIN).
      assertThat(principal.groupNames()).containsExactlyInAnyOrder("Engineering", "All Staff", "VPN Users");
    }
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
      "jdoe, wrong-Password-9, WRONG_PASSWORD",
      "disabled, disabled-Secret-1, ACCOUNT_DISABLED",
      "expired, expired-Secret-1, ACCOUNT_EXPIRED",
      "locked, locked-Secret-1, ACCOUNT_LOCKED",
      "stalepw, stalepw-Secret-1, PASSWORD_EXPIRED",
      "mustchange, mustchange-Secret-1, PASSWORD_MUST_CHANGE",
      "nightshift, nightshift-Secret-1, LOGON_HOURS",
      "ghost, ghost-Secret-1, NO_SUCH_USER"})
  void refusalsCarryThePreciseReason(String login, String password, RejectReason expected) {
    BindOutcome outcome = authenticate(login, password);
    assertThat(outcome).isEqualTo(new BindOutcome.Rejected(expected));
  }

  @Test
  void aLoginByUpnIsGatedAsTheAccountsSamAccountName() {
    // Regulation counts the failures of both names under this one account.
    List<String> heard = new CopyOnWriteArrayList<>();
    BindOutcome outcome = directory.authenticate(new Credentials("JDoe@corp.test", "wrong-Password-9"), account -> {
      heard.add(account);
      return BindGate.ADMIT;
    }).await();
    assertThat(outcome).isEqualTo(new BindOutcome.Rejected(RejectReason.WRONG_PASSWORD));
    assertThat(heard).containsExactly("jdoe");
  }

  @Test
  void aReferralInTheSearchScopeIsNotFollowed() {
    // The tree holds a referral to 127.0.0.1:9, where nothing listens; chasing it would fail or hang.
    long start = System.nanoTime();
    assertThat(authenticate("jdoe", "jdoe-Secret-1")).isInstanceOf(BindOutcome.Authenticated.class);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void diagnosticSubCodesAreRead() {
    assertThat(ActiveDirectoryDialect.subCode(ActiveDirectoryEmulator.diagnostic("775"))).contains("775");
    assertThat(ActiveDirectoryDialect.subCode("80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext "
        + "error, data 52E, v2580")).contains("52e");
    assertThat(ActiveDirectoryDialect.subCode("no code here")).isEmpty();
  }
}
