package io.authgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.authgate.core.directory.ldap.OpenLdapDialect;
import io.authgate.core.testing.ActiveDirectoryEmulator;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestServices;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regulation counts an account's failures whichever of its names is typed: OpenLDAP's {@code uid}
 * and {@code mail} (the default filter takes both), Active Directory's {@code sAMAccountName} and
 * UPN. Without it, each name had its own five wrong passwords, and a directory that locks accounts
 * out (AD's lockout threshold) saw twice as many failed binds as regulation promises. Each case runs
 * on a gateway regulating in Redis and on one regulating in process, each with its own users.
 */
@ExtendWith(NoBlockedThreads.class)
class AccountRegulationIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static InMemoryLdap ad;
  private static GatewayHarness shared;
  private static GatewayHarness local;

  @BeforeAll
  static void start() {
    ad = ActiveDirectoryEmulator.start();
    String directories = """
        defaultDirectory: main
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
            emailDomains: [example.org]
          - name: corp
            kind: active-directory
            urls: ["%s"]
            baseDn: DC=corp,DC=test
            bindDn: %s
            bindPassword: %s
            emailDomains: [corp.test]
        """.formatted(Slapd.shared().url(), Slapd.ADMIN_DN, Slapd.ADMIN_PASSWORD,
        ad.url(), ActiveDirectoryEmulator.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD);
    TestServices.flushRedis();
    shared = GatewayHarness.start("redis: {url: \"" + TestServices.redisUrl() + "\"}\n" + directories, Map.of());
    local = GatewayHarness.start(directories, Map.of());
  }

  @AfterAll
  static void stop() {
    if (shared != null) {
      shared.close();
    }
    if (local != null) {
      local.close();
    }
    ad.close();
  }

  /** The two gateways by name (the harnesses themselves are not arguments: JUnit closes those after each case). */
  static Stream<String> gateways() {
    return Stream.of("redis", "local");
  }

  private static GatewayHarness gateway(String regulation) {
    return regulation.equals("redis") ? shared : local;
  }

  /** Adds a person to the shared slapd: {@code uid} {@code name}, {@code mail} {@code name@example.org}. */
  private static String person(String regulation, String base) throws Exception {
    String name = base + "-" + regulation + "-" + RUN;
    try (LDAPConnection admin = Slapd.shared().adminConnection()) {
      admin.add(new Entry("uid=" + name + ",ou=people,dc=example,dc=org",
          new Attribute("objectClass", "top", "inetOrgPerson"),
          new Attribute("uid", name),
          new Attribute("cn", name),
          new Attribute("sn", base),
          new Attribute("mail", name + "@example.org"),
          new Attribute("userPassword", name + "-secret-1")));
    }
    return name;
  }

  /** Adds a user to the AD emulator: {@code sAMAccountName} {@code name}, UPN {@code name@corp.test}. */
  private static String adUser(String regulation, String base) throws Exception {
    String name = base + "-" + regulation + "-" + RUN;
    ad.server().add(new Entry("CN=" + name + ",CN=Users,DC=corp,DC=test",
        new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
        new Attribute("cn", name),
        new Attribute("sAMAccountName", name),
        new Attribute("userPrincipalName", name + "@corp.test"),
        new Attribute("userAccountControl", "512"),
        new Attribute("accountExpires", "9223372036854775807"),
        new Attribute("userPassword", name + "-Secret-1")));
    return name;
  }

  /** Locks or unlocks an AD emulator user: while locked, its right password is refused with {@code data 775}. */
  private static void adLocked(String name, boolean locked) throws Exception {
    String dn = "CN=" + name + ",CN=Users,DC=corp,DC=test";
    ad.server().modify(dn, locked
        ? new Modification(ModificationType.REPLACE, "description", ActiveDirectoryEmulator.refusingBindsWith("775"))
        : new Modification(ModificationType.DELETE, "description"));
  }

  private static HttpResponse<Buffer> login(GatewayHarness gateway, String realm, String username, String password) {
    JsonObject body = new JsonObject().put("username", username).put("password", password);
    if (realm != null) {
      body.put("realm", realm);
    }
    return gateway.client().post("/v1/auth").sendJsonObject(body).await();
  }

  private static void assertRefused(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("{\"authenticated\":false,\"error\":\"invalid_credentials\"}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void wrongPasswordsUnderEachNameOfAnAccountCountTogether(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String uid = person(regulation, "frank");
    String mail = uid + "@example.org";
    double binds = gateway.binds("main");
    assertRefused(login(gateway, null, uid, "guess-1"));
    assertRefused(login(gateway, null, uid, "guess-2"));
    assertRefused(login(gateway, null, mail, "guess-3"));
    assertRefused(login(gateway, null, mail.toUpperCase(), "guess-4"));
    assertRefused(login(gateway, null, mail, "guess-5"));
    assertThat(gateway.binds("main") - binds).as("five wrong passwords, five binds").isEqualTo(5);

    // Five distinct wrong passwords for the account: it is banned under every name, right password
    // or not, without another bind.
    assertRefused(login(gateway, null, uid, uid + "-secret-1"));
    assertRefused(login(gateway, null, mail, uid + "-secret-1"));
    assertRefused(login(gateway, null, uid.toUpperCase(), "guess-6"));
    assertRefused(login(gateway, null, mail, "guess-7"));
    assertThat(gateway.binds("main") - binds).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void aPasswordTheAccountRefusedIsNotTriedAgainUnderAnotherName(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String uid = person(regulation, "grace");
    String mail = uid + "@example.org";
    double binds = gateway.binds("main");
    assertRefused(login(gateway, null, uid, "graces-old-password"));
    double searches = gateway.searches("main");
    // Found under the other name, and refused before the bind: the account already refused it.
    assertRefused(login(gateway, null, mail, "graces-old-password"));
    // Now the name typed knows it too: refused before the search.
    assertRefused(login(gateway, null, mail, "graces-old-password"));
    assertThat(gateway.binds("main") - binds).isEqualTo(1);
    assertThat(gateway.searches("main") - searches).isEqualTo(1);

    HttpResponse<Buffer> right = login(gateway, null, mail, uid + "-secret-1");
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo(uid);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void aBannedAccountIsRefusedFromTheCacheUnderAnotherNameToo(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String uid = person(regulation, "heidi");
    String mail = uid + "@example.org";
    assertThat(login(gateway, null, mail, uid + "-secret-1").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> cached = login(gateway, null, mail, uid + "-secret-1");
    assertThat(cached.bodyAsJsonObject().getString("source")).isEqualTo("cache");
    for (int i = 1; i <= 5; i++) {
      assertRefused(login(gateway, null, uid, "guess-" + i));
    }
    double searches = gateway.searches("main");
    double binds = gateway.binds("main");
    // The entry cached under the mail address is fresh for five minutes, but its account is banned.
    assertRefused(login(gateway, null, mail, uid + "-secret-1"));
    assertThat(gateway.searches("main")).as("answered from the cache, not the directory").isEqualTo(searches);
    assertThat(gateway.binds("main")).isEqualTo(binds);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void anActiveDirectoryAccountCountsItsSamAccountNameAndUpnTogether(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String sam = adUser(regulation, "kim");
    String upn = sam + "@corp.test";
    double binds = gateway.binds("corp");
    for (int i = 1; i <= 3; i++) {
      assertRefused(login(gateway, "corp", sam, "guess-" + i));
    }
    assertRefused(login(gateway, null, upn, "guess-4"));
    assertRefused(login(gateway, null, upn, "guess-5"));
    assertThat(gateway.binds("corp") - binds).isEqualTo(5);
    // Another five under the UPN would have been five more failed binds for AD's lockout to count.
    for (int i = 6; i <= 10; i++) {
      assertRefused(login(gateway, null, upn, "guess-" + i));
    }
    assertRefused(login(gateway, null, upn, sam + "-Secret-1"));
    assertThat(gateway.binds("corp") - binds).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void aLockedUserRetryingTheRightPasswordGetsInAsSoonAsTheLockIsLifted(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String uid = person(regulation, "ivan");
    String dn = "uid=" + uid + ",ou=people,dc=example,dc=org";
    try (LDAPConnection admin = Slapd.shared().adminConnection()) {
      admin.modify(dn, new Modification(ModificationType.ADD, OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME,
          OpenLdapDialect.LOCKED_BY_ADMINISTRATOR));
    }
    double locked = gateway.rejections("main", "account_locked");
    double repeated = gateway.rejections("main", "repeated_failure");
    // More retries than regulation's five failures: each one asks the directory, none is held
    // against the password, and the one password counts once.
    for (int i = 0; i < 6; i++) {
      assertRefused(login(gateway, null, uid, uid + "-secret-1"));
    }
    assertThat(gateway.rejections("main", "account_locked") - locked).isEqualTo(6);
    assertThat(gateway.rejections("main", "repeated_failure") - repeated).isZero();

    try (LDAPConnection admin = Slapd.shared().adminConnection()) {
      admin.modify(dn, new Modification(ModificationType.DELETE, OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME));
    }
    assertThat(login(gateway, null, uid, uid + "-secret-1").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void anActiveDirectoryUserUnlockedByTheHelpdeskSignsInAtOnce(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String sam = adUser(regulation, "lena");
    adLocked(sam, true);
    double binds = gateway.binds("corp");
    double locked = gateway.rejections("corp", "account_locked");
    assertRefused(login(gateway, "corp", sam, sam + "-Secret-1"));
    assertRefused(login(gateway, "corp", sam, sam + "-Secret-1"));
    assertThat(gateway.binds("corp") - binds).as("the retry asks AD again").isEqualTo(2);
    assertThat(gateway.rejections("corp", "account_locked") - locked).isEqualTo(2);

    adLocked(sam, false);
    assertThat(login(gateway, "corp", sam, sam + "-Secret-1").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void aPasswordRefusedForTheAccountsStateStillCountsTowardsABan(String regulation) throws Exception {
    GatewayHarness gateway = gateway(regulation);
    String sam = adUser(regulation, "mona");
    adLocked(sam, true);
    assertRefused(login(gateway, "corp", sam, sam + "-Secret-1"));
    for (int i = 1; i <= 4; i++) {
      assertRefused(login(gateway, "corp", sam, "guess-" + i));
    }
    // Five distinct passwords refused: banned, unlocked or not, without another bind.
    adLocked(sam, false);
    double binds = gateway.binds("corp");
    assertRefused(login(gateway, "corp", sam, sam + "-Secret-1"));
    assertThat(gateway.binds("corp")).isEqualTo(binds);
  }
}
