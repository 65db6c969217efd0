package io.authgate.gateway.auth;

import static io.authgate.gateway.GatewayHarness.basicAuthorization;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.redis.RedisStats;
import io.authgate.core.testing.ActiveDirectoryEmulator;
import io.authgate.core.testing.Eventually;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestServices;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/auth} end to end: a gateway with five directories (real OpenLDAP, an AD-like
 * server, in-memory servers that are restricted, failing and slow) and a real Redis, called over
 * HTTP the way applications call it.
 */
@ExtendWith(NoBlockedThreads.class)
class AuthApiIT {
  private static final String HMAC_KEY = "an-hmac-key-for-tests-only-0123456789";
  private static GatewayHarness gateway;
  private static InMemoryLdap ad;
  private static InMemoryLdap restricted;
  private static InMemoryLdap flaky;
  private static InMemoryLdap slow;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  /** Makes every bind take 1.5 s, like a directory across a slow WAN link. */
  static final class SlowBinds extends InMemoryOperationInterceptor {
    @Override
    public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @BeforeAll
  static void start() {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    ad = ActiveDirectoryEmulator.start();
    restricted = InMemoryLdap.start();
    flaky = InMemoryLdap.start();
    slow = InMemoryLdap.start(new SlowBinds());
    String yaml = """
        redis: {url: "%s", commandTimeout: 300ms}
        cache: {hmacKey: %s, freshTtl: 2s, staleWindow: 1h}
        defaultDirectory: main
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
            emailDomains: [example.org]
            roleMapping: {admins: [admin], developers: [developer], "cn=staff,ou=groups,dc=example,dc=org": [staff]}
            pool: {max: 8}
          - name: corp
            kind: active-directory
            urls: ["%s"]
            baseDn: DC=corp,DC=test
            bindDn: %s
            bindPassword: %s
            emailDomains: [corp.test]
          - name: restricted
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
            requiredGroups: [admins]
          - name: flaky
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
            timeouts: {connect: 3s, response: 3s}
            breaker: {maxFailures: 2, openFor: 60s}
          - name: slow
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
        """.formatted(TestServices.redisUrl(), HMAC_KEY,
        Slapd.shared().url(), Slapd.ADMIN_DN, Slapd.ADMIN_PASSWORD,
        ad.url(), ActiveDirectoryEmulator.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD,
        restricted.url(), InMemoryLdap.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD,
        flaky.url(), InMemoryLdap.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD,
        slow.url(), InMemoryLdap.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD);
    TestServices.flushRedis();  // before the gateway's key index scans, so it answers from the start
    gateway = GatewayHarness.start(yaml, Map.of());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    ad.close();
    restricted.close();
    flaky.close();
    slow.close();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
  }

  private static HttpResponse<Buffer> postJson(JsonObject body) {
    return gateway.client().post("/v1/auth").sendJsonObject(body).await();
  }

  private static HttpResponse<Buffer> postRaw(String json) {
    return gateway.client().post("/v1/auth").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(json)).await();
  }

  /** @param form a urlencoded body, sent as it is */
  private static HttpResponse<Buffer> postForm(String form) {
    return gateway.client().post("/v1/auth").putHeader("content-type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer(form)).await();
  }

  private static HttpResponse<Buffer> login(String username, String password) {
    return postJson(new JsonObject().put("username", username).put("password", password));
  }

  private static HttpResponse<Buffer> login(String realm, String username, String password) {
    return postJson(new JsonObject().put("username", username).put("password", password).put("realm", realm));
  }

  private static void assertRefused(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsString()).isEqualTo("{\"authenticated\":false,\"error\":\"invalid_credentials\"}");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String detail) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo(detail);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  @Test
  void aValidLoginAnswersWithTheUserFirstFromLdapThenFromTheCache() {
    HttpResponse<Buffer> first = login("alice", "alice-secret-1");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(first.getHeader("content-type")).isEqualTo("application/json");
    assertThat(first.getHeader("X-Request-Id")).isNotBlank();
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getBoolean("authenticated")).isTrue();
    assertThat(body.getString("source")).isEqualTo("ldap");
    JsonObject user = body.getJsonObject("user");
    assertThat(user.getString("username")).isEqualTo("alice");
    assertThat(user.getString("dn")).isEqualTo("uid=alice,ou=people,dc=example,dc=org");
    assertThat(user.getString("email")).isEqualTo("alice@example.org");
    assertThat(user.getString("displayName")).isEqualTo("Alice Liddell");
    assertThat(user.getJsonArray("groups").getList()).containsExactlyInAnyOrder("admins", "developers", "staff",
        "posix-devs");
    assertThat(user.getJsonArray("roles").getList()).containsExactly("admin", "developer", "staff");
    assertThat(user.getString("directory")).isEqualTo("main");
    assertThat(user.fieldNames()).containsExactlyInAnyOrder("username", "dn", "email", "displayName", "groups",
        "roles", "directory");

    HttpResponse<Buffer> second = login("Alice", "alice-secret-1");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("source")).isEqualTo("cache");
  }

  @Test
  void formAndBasicCredentialsWorkToo() {
    HttpResponse<Buffer> form = gateway.client().post("/v1/auth")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("username", "bob").add("password", "bob-secret-1")).await();
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo("bob");

    HttpResponse<Buffer> basic = gateway.client().post("/v1/auth")
        .basicAuthentication("bob", "bob-secret-1").send().await();
    assertThat(basic.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> badBasic = gateway.client().post("/v1/auth")
        .basicAuthentication("bob", "not-bobs").send().await();
    assertRefused(badBasic);
    assertThat(badBasic.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"authgate\", charset=\"UTF-8\"");
    assertThat(login("bob", "not-bobs-either").getHeader("WWW-Authenticate")).isNull();
  }

  @Test
  void everyRefusalLooksTheSameFromOutside() {
    assertRefused(login("nobody-at-all", "whatever-1"));
    assertRefused(login("carol", "not-carols-password"));
    assertRefused(login("locked", "locked-secret-1"));
    assertRefused(login("corp", "disabled", "disabled-Secret-1"));
    assertRefused(login("corp", "locked", "locked-Secret-1"));
    assertRefused(login("corp", "expired", "expired-Secret-1"));
    assertRefused(login("twin@example.org", "twin-secret-1"));
  }

  @Test
  void theReasonGoesToLogsAndMetricsButThePasswordNeverDoes() {
    String password = "a-very-distinctive-wrong-password";
    assertRefused(login("corp", "jdoe", password));
    List<ILoggingEvent> refusals = new ArrayList<>(LOGS.list).stream()
        .filter(e -> e.getFormattedMessage().equals("authentication refused")).toList();
    assertThat(refusals).anySatisfy(e -> assertThat(e.getKeyValuePairs().toString())
        .contains("reason=\"wrong_password\"").contains("directory=\"corp\"").contains("username=\"jdoe\""));
    assertThat(new ArrayList<>(LOGS.list)).noneSatisfy(e -> assertThat(e.getFormattedMessage()
        + e.getKeyValuePairs()).contains(password));
    assertThat(gateway.rejections("corp", "wrong_password")).isPositive();
    String scrape = gateway.client().get("/metrics").send().await().bodyAsString();
    assertThat(scrape).contains("authgate_auth_requests_total{directory=\"corp\",result=\"invalid_credentials\"")
        .contains("authgate_auth_duration_seconds_bucket").contains("authgate_cache_requests_total")
        .contains("authgate_ldap_operations_total").contains("authgate_ldap_pool_connections")
        .contains("authgate_circuit_breaker_state").contains("jvm_memory_used_bytes")
        .contains("vertx_http_server_requests_total").doesNotContain("jdoe").doesNotContain(password);
  }

  @Test
  void aLoginForAUserRedisHasNothingOnGoesToTheDirectoryWithoutAskingRedisFirst() {
    RedisCommands redis = new RedisCommands(gateway.vertx(), Redis.createClient(gateway.vertx(), TestServices.redisUrl()));
    Eventually.until("the key index answers", () -> gateway.client().get("/metrics").send().await().bodyAsString()
        .contains("authgate_redis_key_index_answering 1.0"));
    long gets = RedisStats.commandCalls(redis, "get");
    long exists = RedisStats.commandCalls(redis, "exists");

    assertRefused(login("never-seen-before", "a-wrong-password-1"));
    assertThat(RedisStats.commandCalls(redis, "get")).as("cache GETs").isEqualTo(gets);
    assertThat(RedisStats.commandCalls(redis, "exists")).as("regulation EXISTS").isEqualTo(exists);

    // The failure left a regulation marker, known to the index at once: the replay is checked in Redis.
    assertRefused(login("never-seen-before", "a-wrong-password-1"));
    assertThat(RedisStats.commandCalls(redis, "exists")).as("regulation EXISTS (the marker's, then the script's)")
        .isGreaterThan(exists);
    assertThat(gateway.rejections("main", "repeated_failure")).isPositive();
  }

  @Test
  void aRedisThatStopsAnsweringHoldsALoginUpByTheCommandTimeoutNotTheStall() {
    Redis admin = Redis.createClient(gateway.vertx(), TestServices.redisUrl());
    // Redis holds every write (the regulation script included) for 5 s, then goes on: a stall that
    // closes no connection. Reads still answer.
    admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(5_000).arg("WRITE")).await();
    try {
      long start = System.nanoTime();
      assertRefused(login("nobody-while-redis-stalls", "a-wrong-password-2"));
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms, with redis.commandTimeout 300ms").isLessThan(2_000);
      start = System.nanoTime();
      assertThat(login("zoe", "zoe-secret-1").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
      admin.close();
    }
    assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage().startsWith("redis has not answered for"));
    // The stalled connection was replaced: readiness pings Redis on the event loop's connection.
    JsonObject ready = gateway.client().get("/health/ready").send().await().bodyAsJsonObject();
    assertThat(ready.getJsonObject("checks").getJsonObject("redis").getString("status")).isEqualTo("UP");
  }

  @Test
  void whileRedisHoldsWritesRegulationGoesOnInTheProcess() {
    Redis admin = Redis.createClient(gateway.vertx(), TestServices.redisUrl());
    // Redis takes no failure (the script writes) and carries no ban broadcast, for 10 s; reads
    // still answer, and say the user has nothing on record there.
    admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(10_000).arg("WRITE")).await();
    try {
      double before = gateway.binds("main");
      for (int i = 0; i < 5; i++) {
        assertRefused(login("comma,user", "a-stale-password"));
      }
      assertThat(gateway.binds("main") - before).as("binds for one stale password sent five times").isEqualTo(1);
      for (int i = 1; i <= 4; i++) {
        assertRefused(login("comma,user", "guess-while-redis-holds-writes-" + i));
      }
      double binds = gateway.binds("main");
      assertRefused(login("comma,user", "comma-secret-1"));
      assertThat(gateway.binds("main")).as("binds once five wrong passwords banned the user").isEqualTo(binds);
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
      admin.close();
    }
    assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage()
        .startsWith("regulation: redis did not record a failure"));
  }

  @Test
  void routingByRealmAndByEmailDomain() {
    HttpResponse<Buffer> byDomain = login("jdoe@corp.test", "jdoe-Secret-1");
    assertThat(byDomain.statusCode()).isEqualTo(200);
    assertThat(byDomain.bodyAsJsonObject().getJsonObject("user").getString("directory")).isEqualTo("corp");
    assertThat(byDomain.bodyAsJsonObject().getJsonObject("user").getJsonArray("groups").getList())
        .containsExactlyInAnyOrder("Engineering", "All Staff", "VPN Users");
    HttpResponse<Buffer> byRealm = login("CORP", "jdoe", "jdoe-Secret-1");
    assertThat(byRealm.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo("jdoe");
    assertThat(login("dave@example.org", "dave-secret-1").bodyAsJsonObject().getJsonObject("user")
        .getString("directory")).isEqualTo("main");
    assertProblem(login("nowhere", "jdoe", "jdoe-Secret-1"), 400, "unknown realm");
  }

  @Test
  void aMissingRequiredGroupIsForbiddenOnlyAfterValidCredentials() {
    HttpResponse<Buffer> bob = login("restricted", "bob", "bob-secret-1");
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.bodyAsString()).isEqualTo("{\"authenticated\":false,\"error\":\"forbidden\"}");
    assertRefused(login("restricted", "bob", "wrong-for-bob"));
    assertThat(login("restricted", "alice", "alice-secret-1").statusCode()).isEqualTo(200);
  }

  @Test
  void malformedRequestsAre400AndNeverReachTheDirectory() {
    double binds = gateway.binds("main");
    assertProblem(gateway.client().post("/v1/auth").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{not json")).await(), 400, "the body is not valid JSON");
    assertProblem(gateway.client().post("/v1/auth").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("[1,2]")).await(), 400, "the body must be a JSON object");
    assertProblem(gateway.client().post("/v1/auth").putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer("alice:pw")).await(), 400,
        "send application/json or application/x-www-form-urlencoded");
    assertProblem(gateway.client().post("/v1/auth").send().await(), 400, "username and password are required");
    assertProblem(postJson(new JsonObject().put("username", "alice")), 400, "password is required");
    assertProblem(login("alice", ""), 400, "password is required");
    assertProblem(login("alice", "   \t "), 400, "password must not be blank");
    assertProblem(postJson(new JsonObject().put("username", 42).put("password", "x")), 400,
        "username must be a string");
    assertProblem(login("ali\u0000ce", "alice-secret-1"), 400, "username contains a control or formatting character");
    assertProblem(login("alice\u202e", "alice-secret-1"), 400, "username contains a control or formatting character");
    assertProblem(login("a".repeat(300), "alice-secret-1"), 400, "username is longer than 256 characters");
    assertProblem(gateway.client().post("/v1/auth").putHeader("Authorization", "Basic !!!notbase64").send().await(),
        400, "the Basic credentials are not valid base64");
    // Latin-1, though the gateway asks for UTF-8 (WWW-Authenticate's charset): refused as such, not
    // bound as another password that would count against alice.
    String notUtf8 = "holds U+FFFD, the mark of bytes that were not UTF-8: send credentials in UTF-8";
    String latin1Basic = "Basic " + Base64.getEncoder().encodeToString("alice:alice-secret-\u00e4".getBytes(StandardCharsets.ISO_8859_1));
    assertProblem(gateway.client().post("/v1/auth").putHeader("Authorization", latin1Basic).send().await(), 400,
        "password " + notUtf8);
    assertProblem(postForm("username=alice&password=alice-secret-%E4"), 400, "password " + notUtf8);
    assertProblem(postForm("username=m%FCller&password=alice-secret-1"), 400, "username " + notUtf8);
    // An empty password would be an anonymous bind that succeeds: it must never get near LDAP.
    assertThat(gateway.binds("main")).isEqualTo(binds);
  }

  @Test
  void aFieldGivenTwiceIsRefusedWhereverItComesFrom() {
    double binds = gateway.binds("main");
    double searches = gateway.searches("main");
    // JSON parsers disagree on a repeated key (the first or the last wins): a proxy or application
    // reading the body too could act on bob while the gateway checked alice's password.
    assertProblem(postRaw("{\"username\":\"bob\",\"username\":\"alice\",\"password\":\"alice-secret-1\"}"), 400,
        "username is given more than once");
    assertProblem(postRaw("{\"username\":\"alice\",\"user\\u006eame\":\"bob\",\"password\":\"alice-secret-1\"}"),
        400, "username is given more than once");
    assertProblem(postRaw("{\"username\":\"alice\",\"password\":\"x\",\"password\":\"alice-secret-1\"}"), 400,
        "password is given more than once");
    assertProblem(postRaw("{\"username\":null,\"username\":\"alice\",\"password\":\"alice-secret-1\"}"), 400,
        "username is given more than once");
    assertProblem(postRaw("{\"username\":\"alice\",\"password\":\"alice-secret-1\",\"realm\":\"main\",\"realm\":\"ad\"}"),
        400, "realm is given more than once");
    assertProblem(gateway.client().post("/v1/auth").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("username", "bob").add("username", "alice").add("password", "alice-secret-1")).await(), 400,
        "username is given more than once");
    assertProblem(gateway.client().post("/v1/auth?realm=main&realm=other").basicAuthentication("alice", "alice-secret-1")
        .send().await(), 400, "realm is given more than once");
    // HTTP allows one Authorization header; two would let a proxy and the gateway read different users.
    assertProblem(gateway.client().post("/v1/auth")
        .putHeader("Authorization", List.of(basicAuthorization("bob", "alice-secret-1"),
            basicAuthorization("alice", "alice-secret-1")))
        .send().await(), 400, "Authorization is given more than once");
    // Nor is anything after the object, or an object left open.
    assertProblem(postRaw("{\"username\":\"alice\",\"password\":\"alice-secret-1\"} {}"), 400,
        "the body is not valid JSON");
    assertProblem(postRaw("{\"username\":\"alice\",\"password\":\"alice-secret-1\""), 400,
        "the body is not valid JSON");
    assertProblem(postRaw("{\"username\":\"alice\",\"password\":\"alice-secret-1\",\"session\":\"yes\"}"), 400,
        "session must be true or false");
    assertProblem(postRaw("  "), 400, "the body is not valid JSON");
    assertThat(gateway.binds("main")).isEqualTo(binds);
    assertThat(gateway.searches("main")).isEqualTo(searches);

    // Keys it does not know are skipped, nested or not; a null field is an absent one.
    HttpResponse<Buffer> extra = postRaw("{\"client\":{\"username\":\"alice\",\"tags\":[1,{\"a\":null}]},"
        + "\"username\":\"bob\",\"password\":\"bob-secret-1\",\"realm\":null,\"client\":2}");
    assertThat(extra.statusCode()).isEqualTo(200);
    assertThat(extra.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo("bob");
  }

  @Test
  void anOversizedBodyIs413() {
    HttpResponse<Buffer> response = postJson(new JsonObject().put("username", "alice")
        .put("password", "x".repeat(20_000)));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    assertThat(gateway.client().get("/v1/nothing").send().await().statusCode()).isEqualTo(404);
    HttpResponse<Buffer> get = gateway.client().get("/v1/auth").send().await();
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.getHeader("content-type")).isEqualTo("application/problem+json");
  }

  @Test
  void fiveDistinctWrongPasswordsBanTheUserWithoutFurtherBinds() {
    for (int i = 1; i <= 5; i++) {
      assertRefused(login("carol", "guess-number-" + i));
    }
    double binds = gateway.binds("main");
    assertRefused(login("carol", "carol-secret-1"));
    assertRefused(login("carol", "guess-number-6"));
    assertThat(gateway.binds("main")).isEqualTo(binds);
    assertThat(gateway.rejections("main", "banned")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aStalePasswordRetriedOverAndOverReachesTheDirectoryOnce() {
    double before = gateway.binds("main");
    for (int i = 0; i < 10; i++) {
      assertRefused(login("dave", "daves-old-password"));
    }
    assertThat(gateway.binds("main") - before).isEqualTo(1);
    assertThat(login("dave", "dave-secret-1").statusCode()).isEqualTo(200);
  }

  @Test
  void identicalConcurrentMissesMakeOneBind() {
    double before = gateway.binds("main");
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      responses.add(gateway.client().post("/v1/auth")
          .sendJsonObject(new JsonObject().put("username", "paren(user)").put("password", "paren-secret-1")));
    }
    Future.all(responses).await();
    responses.forEach(r -> assertThat(r.result().statusCode()).isEqualTo(200));
    assertThat(gateway.binds("main") - before).isEqualTo(1);
  }

  @Test
  void whenTheDirectoryIsDownACachedUserGetsAStaleAnswerAndOthersA503() throws Exception {
    assertThat(login("flaky", "alice", "alice-secret-1").bodyAsJsonObject().getString("source")).isEqualTo("ldap");
    Thread.sleep(2_100);
    flaky.stop();
    try {
      HttpResponse<Buffer> stale = login("flaky", "alice", "alice-secret-1");
      assertThat(stale.statusCode()).isEqualTo(200);
      assertThat(stale.bodyAsJsonObject().getString("source")).isEqualTo("stale-cache");

      HttpResponse<Buffer> unknown = login("flaky", "bob", "bob-secret-1");
      assertThat(unknown.statusCode()).isEqualTo(503);
      assertThat(unknown.bodyAsString()).isEqualTo("{\"authenticated\":false,\"error\":\"directory_unavailable\"}");
      // A wrong password never rides on a stale entry.
      assertThat(login("flaky", "alice", "not-alices").statusCode()).isEqualTo(503);

      // The breaker is open now: answers come at once, far below the 3 s connect timeout.
      long start = System.nanoTime();
      assertThat(login("flaky", "carol", "carol-secret-1").statusCode()).isEqualTo(503);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      assertThat(gateway.registry().get("authgate.directory.unavailable").tags("directory", "flaky",
          "cause", "circuit_open").counter().count()).isPositive();
      assertThat(login("flaky", "alice", "alice-secret-1").bodyAsJsonObject().getString("source"))
          .isEqualTo("stale-cache");
      String ready = gateway.client().get("/health/ready").send().await().bodyAsString();
      assertThat(new JsonObject(ready).getJsonObject("checks").getJsonObject("directory:flaky").getString("status"))
          .isEqualTo("DOWN");
    } finally {
      flaky.restart();
    }
  }

  @Test
  void aSlowDirectoryNeverHoldsUpTheEventLoops() {
    Future<HttpResponse<Buffer>> slowLogin = gateway.client().post("/v1/auth")
        .sendJsonObject(new JsonObject().put("username", "alice").put("password", "alice-secret-1")
            .put("realm", "slow"));
    for (int i = 0; i < 10; i++) {
      long start = System.nanoTime();
      assertThat(gateway.client().get("/health/live").send().await().statusCode()).isEqualTo(200);
      // Each bind takes 1.5 s; a blocked event loop would hold these up that long.
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    }
    assertThat(slowLogin.isComplete()).isFalse();
    assertThat(slowLogin.await().statusCode()).isEqualTo(200);
  }
}
