package io.authgate.core.redis;

import static io.authgate.core.testing.Eventually.until;
import static io.authgate.core.testing.TestVertx.onContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key index against a real Redis: what it learns from Redis's messages, its scans, and when it stops answering. */
class RedisKeyIndexIT {
  private static final String CRED = "authgate:cred:";
  private static final String MARK = "authgate:reg:any:";
  private static final Duration REBUILD = Duration.ofMinutes(10);

  private Vertx vertx;
  private Context eventLoop;
  private RedisCommands other;
  private RedisKeyIndex index;
  private RedisCommands reads;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
    eventLoop = vertx.getOrCreateContext();
    other = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()));
    other.send(Request.cmd(Command.FLUSHDB)).await();
  }

  @AfterEach
  void stop() {
    if (index != null) {
      index.close().await();
    }
    vertx.close().await();
  }

  private RedisKeyIndex startIndex(long maxKeys) {
    index = new RedisKeyIndex(vertx, Redis.createClient(vertx, TestServices.redisUrl()), List.of(CRED, MARK),
        maxKeys, REBUILD);
    reads = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()), Optional.of(index));
    index.start();
    until("the index answers", index::answering);
    return index;
  }

  private void set(String key) {
    other.send(Request.cmd(Command.SET).arg(key).arg("v")).await();
  }

  private void del(String key) {
    other.send(Request.cmd(Command.DEL).arg(key)).await();
  }

  private Response read(String key) {
    return onContext(eventLoop, () -> reads.readIfPresent(key, Request.cmd(Command.GET).arg(key)));
  }

  @Test
  void keysThatExistedBeforeItStartedAreFoundByItsScan() {
    for (int i = 0; i < 2_500; i++) {
      set(CRED + "before-" + i);
    }
    set(MARK + "someone");
    set("authgate:session:not-followed");

    startIndex(10_000);

    for (int i = 0; i < 2_500; i++) {
      assertThat(index.mayExist(CRED + "before-" + i)).as("key %d", i).isTrue();
    }
    assertThat(index.mayExist(MARK + "someone")).isTrue();
    assertThat(index.mayExist(CRED + "never-written")).isFalse();
    assertThat(index.mayExist(MARK + "never-failed")).isFalse();
  }

  @Test
  void aKeyAnotherConnectionWritesBecomesKnownAndAReadOfAnAbsentKeyIsNotSent() {
    startIndex(10_000);
    assertThat(index.mayExist(CRED + "alice")).isFalse();
    long commandsBefore = RedisStats.commandCalls(other, "get");

    assertThat(read(CRED + "alice")).isNull();
    assertThat(RedisStats.commandCalls(other, "get")).as("GETs Redis ran").isEqualTo(commandsBefore);

    set(CRED + "alice");
    until("alice's key is known", () -> index.mayExist(CRED + "alice"));
    assertThat(read(CRED + "alice")).hasToString("v");
    assertThat(RedisStats.commandCalls(other, "get")).as("GETs Redis ran").isEqualTo(commandsBefore + 1);
  }

  @Test
  void aReadThatFindsNothingForgetsTheKeyUntilItIsWrittenAgain() {
    set(CRED + "bob");
    startIndex(10_000);
    del(CRED + "bob");
    // The deletion is itself a change: the key stays known until a read finds nothing.
    until("the deletion has been reported", () -> index.mark() > 0);
    assertThat(index.mayExist(CRED + "bob")).isTrue();

    assertThat(read(CRED + "bob")).isNull();
    assertThat(index.mayExist(CRED + "bob")).isFalse();

    set(CRED + "bob");
    until("bob's key is known again", () -> index.mayExist(CRED + "bob"));
  }

  @Test
  void aChangeReportedAfterAReadWasSentKeepsTheKey() {
    set(CRED + "carol");
    startIndex(10_000);
    long sentAt = index.mark();
    del(CRED + "carol");
    set(CRED + "carol");
    until("both changes have been reported", () -> index.mark() >= sentAt + 2);

    index.absent(CRED + "carol", sentAt);

    assertThat(index.mayExist(CRED + "carol")).isTrue();
  }

  @Test
  void aKeyThisProcessWritesIsKnownAtOnce() {
    startIndex(10_000);
    reads.written(MARK + "dave");
    assertThat(index.mayExist(MARK + "dave")).isTrue();
  }

  @Test
  void aKeyThatExpiresIsReportedAsAChange() {
    startIndex(10_000);
    other.send(Request.cmd(Command.SET).arg(CRED + "erin").arg("v").arg("PX").arg(50)).await();
    until("erin's key is known", () -> index.mayExist(CRED + "erin"));
    long afterWrite = index.mark();
    until("the expiry has been reported", () -> {
      // Redis reports an expiry when it deletes the key: on access, or in its background cycle.
      other.send(Request.cmd(Command.EXISTS).arg(CRED + "erin")).await();
      return index.mark() > afterWrite;
    });
    assertThat(read(CRED + "erin")).isNull();
    assertThat(index.mayExist(CRED + "erin")).isFalse();
  }

  @Test
  void aLostConnectionMakesItKnowNothingUntilItHasScannedAgain() {
    set(CRED + "frank");
    startIndex(10_000);
    assertThat(index.mayExist(CRED + "nobody")).isFalse();

    other.send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(trackingClientId())).await();

    until("the index stops answering", () -> !index.answering());
    assertThat(index.mayExist(CRED + "nobody")).as("unknown while not answering").isTrue();
    set(CRED + "grace");
    until("the index answers again", index::answering);
    assertThat(index.mayExist(CRED + "frank")).isTrue();
    assertThat(index.mayExist(CRED + "grace")).as("written while it was reconnecting").isTrue();
    assertThat(index.mayExist(CRED + "nobody")).isFalse();
  }

  @Test
  void scansCompleteWhileRedisPushesChanges() {
    // The Vert.x client drops a command's reply when a push arrives before it on the same
    // connection: a scan sent where Redis pushes would hang whenever a change landed meanwhile.
    startIndex(10_000);
    for (int i = 0; i < 50; i++) {
      set(CRED + "heidi");
      until("heidi is known", () -> index.mayExist(CRED + "heidi"));
      other.send(Request.cmd(Command.FLUSHDB)).await();
      set(CRED + "ivan");
      until("the scan after flush " + i + " completed",
          () -> index.answering() && !index.mayExist(CRED + "heidi") && index.mayExist(CRED + "ivan"));
    }
  }

  @Test
  void pastItsLimitItStopsAnswering() {
    startIndex(5);
    for (int i = 0; i < 6; i++) {
      set(CRED + "many-" + i);
    }
    until("the index gives up", () -> !index.answering());
    assertThat(index.mayExist(CRED + "never-written")).isTrue();
  }

  @Test
  void aRedisThatRefusesTrackingLeavesTheIndexOffAndEveryReadIsSent() {
    other.send(Request.cmd(Command.ACL).arg("SETUSER").arg("authgate-no-tracking").arg("reset").arg("on")
        .arg(">pw").arg("~*").arg("+@all").arg("-client")).await();
    try {
      String url = TestServices.redisUrl().replace("redis://", "redis://authgate-no-tracking:pw@");
      index = new RedisKeyIndex(vertx, Redis.createClient(vertx, url), List.of(CRED, MARK), 10_000, REBUILD);
      reads = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()), Optional.of(index));
      index.start();
      until("the index gives up", index::refused);
      assertThat(index.answering()).isFalse();
      long before = RedisStats.commandCalls(other, "get");
      assertThat(read(CRED + "kim")).isNull();
      assertThat(RedisStats.commandCalls(other, "get")).isEqualTo(before + 1);
    } finally {
      other.send(Request.cmd(Command.ACL).arg("DELUSER").arg("authgate-no-tracking")).await();
    }
  }

  @Test
  void withoutAnIndexEveryReadIsSent() {
    RedisCommands plain = new RedisCommands(vertx, Redis.createClient(vertx, TestServices.redisUrl()));
    long before = RedisStats.commandCalls(other, "get");
    assertThat(onContext(eventLoop, () -> plain.readIfPresent(CRED + "judy", Request.cmd(Command.GET).arg(CRED + "judy"))))
        .isNull();
    assertThat(RedisStats.commandCalls(other, "get")).isEqualTo(before + 1);
  }

  /** @return the id of the connection with broadcast tracking on, from {@code CLIENT LIST} */
  private String trackingClientId() {
    String list = other.send(Request.cmd(Command.CLIENT).arg("LIST")).await().toString();
    return list.lines().filter(line -> line.matches(".* flags=\\S*t\\S*B\\S* .*|.* flags=\\S*B\\S*t\\S* .*"))
        .map(line -> line.replaceAll("^id=(\\d+) .*", "$1")).findFirst()
        .orElseThrow(() -> new AssertionError("no tracking connection in " + list));
  }
}
