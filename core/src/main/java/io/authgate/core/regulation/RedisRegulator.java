package io.authgate.core.regulation;

import io.authgate.core.config.RegulationConfig;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.observability.RepeatedWarning;
import io.authgate.core.redis.LuaScript;
import io.authgate.core.redis.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Regulation shared by every gateway process through Redis. Failures live in sorted sets of
 * verifiers scored by time, so only distinct wrong passwords count; each step is one Lua script,
 * atomic and one round trip, except that a check first asks with a plain {@code EXISTS} of one
 * key whether the user has anything on record at all (usually not): the failure script keeps a
 * marker per user that outlives every failure set and ban it writes for that user, from any
 * address; with a {@link io.authgate.core.redis.RedisKeyIndex} a marker known to be absent is not
 * even asked for. New bans are broadcast so every process refuses the client on its fast path.
 *
 * <p>When Redis does not answer (down, or stalled past {@code redis.commandTimeout}), regulation
 * goes on in this process rather than stopping: a failure Redis could not take is counted here, a
 * check Redis could not answer asks this process's record, and while that record holds anything,
 * checks Redis does answer heed it too. So during an outage a stale password still reaches the
 * directory once per window and a guesser still gets {@code maxFailures} tries, per process
 * instead of across them. Thread-safe.
 */
public final class RedisRegulator implements Regulator {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRegulator.class);
  private static final RepeatedWarning CHECK_FAILED = new RepeatedWarning(LOG);
  private static final RepeatedWarning RECORD_FAILED = new RepeatedWarning(LOG);
  static final String FAILURES = "authgate:reg:fail:";
  static final String BANS = "authgate:reg:ban:";
  /** Present while anything about the user (any address) may be on record: see {@link #FAIL}. */
  public static final String MARKER = "authgate:reg:any:";
  private static final HexFormat HEX = HexFormat.of();

  /** KEYS: ban user, ban user+address, failures of user, failures of user+address. ARGV: verifier, now, window. */
  private static final LuaScript CHECK = LuaScript.of("""
      if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 'banned' end
      local at = redis.call('ZSCORE', KEYS[3], ARGV[1])
      if at and tonumber(at) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then
        redis.call('ZADD', KEYS[3], 'XX', ARGV[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[3])
        return 'repeated'
      end
      if redis.call('EXISTS', KEYS[3], KEYS[4]) > 0 then return 'allow-after-failures' end
      return 'allow'
      """);

  /**
   * KEYS: failures of user, failures of user+address, ban user, ban user+address, the user's marker.
   * ARGV: verifier, now, window, max failures, ban duration. Returns the scopes newly banned (1, 2).
   * The marker is set for the longer of the window and the ban duration on every call, so it
   * outlives everything this call writes; the check's fast path relies on that.
   */
  private static final LuaScript FAIL = LuaScript.of("""
      redis.call('SET', KEYS[5], '1', 'PX', math.max(tonumber(ARGV[3]), tonumber(ARGV[5])))
      local banned = {}
      for i = 1, 2 do
        redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
        redis.call('ZADD', KEYS[i], ARGV[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[i], ARGV[3])
        if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[4]) then
          if redis.call('SET', KEYS[i + 2], ARGV[2], 'PX', ARGV[5], 'NX') then
            banned[#banned + 1] = i
          end
        end
      end
      return banned
      """);

  private final RedisCommands redis;
  private final RegulationConfig config;
  private final LocalBans bans;
  /** The failures Redis could not take; shares this process's bans. */
  private final LocalRegulator here;

  /**
   * @param vertx whose event bus carries bans from other processes
   * @param redis sends commands to the shared store
   * @param config thresholds
   * @param broadcaster tells every process of new bans
   * @param registry where {@code authgate_regulation_bans_total} goes
   */
  public RedisRegulator(Vertx vertx, RedisCommands redis, RegulationConfig config, Broadcaster broadcaster,
                        MeterRegistry registry) {
    this.redis = redis;
    this.config = config;
    this.bans = new LocalBans(vertx, broadcaster, registry);
    this.here = new LocalRegulator(config, bans);
  }

  @Override
  public boolean isBanned(String userKey, String address) {
    return bans.covers(userKey, address);
  }

  @Override
  public Future<Verdict> check(String userKey, String address, byte[] verifier) {
    if (isBanned(userKey, address)) {
      return Future.succeededFuture(Verdict.BANNED);
    }
    // Most logins have nothing on record: one plain EXISTS of the user's marker says so, at a
    // fraction of what the script (or an EXISTS of its four keys) costs Redis. Only a user with
    // something on record runs the script.
    String marker = MARKER + userKey;
    Future<Verdict> shared = redis.readIfPresent(marker, Request.cmd(Command.EXISTS).arg(marker)).compose(count ->
        count == null || count.toInteger() == 0
        ? Future.succeededFuture(Verdict.ALLOW)
        : redis.eval(CHECK, keys(userKey, address), List.of(HEX.formatHex(verifier), System.currentTimeMillis(),
            config.window().toMillis())).map(r -> switch (r.toString()) {
              case "banned" -> Verdict.BANNED;
              case "repeated" -> Verdict.REPEATED_FAILURE;
              case "allow-after-failures" -> Verdict.ALLOW_AFTER_FAILURES;
              default -> Verdict.ALLOW;
            }));
    return shared.transform(answer -> {
      if (answer.failed()) {
        CHECK_FAILED.warn("regulation: redis did not answer the check ({}), so this process's own record decides",
            answer.cause());
        return here.check(userKey, address, verifier);
      }
      return here.holdsFailures()
          ? here.check(userKey, address, verifier).map(answer.result()::and)
          : Future.succeededFuture(answer.result());
    });
  }

  @Override
  public Future<Void> recordFailure(String userKey, String address, byte[] verifier) {
    long now = System.currentTimeMillis();
    String userAddress = Regulator.userAddressKey(userKey, address);
    // Known to this process's key index before the script runs, so no check here can skip it.
    redis.written(MARKER + userKey);
    return redis.eval(FAIL, List.of(FAILURES + userKey, FAILURES + userAddress, BANS + userKey, BANS + userAddress,
            MARKER + userKey),
        List.of(HEX.formatHex(verifier), now, config.window().toMillis(), config.maxFailures(),
            config.banDuration().toMillis())).transform(recorded -> {
      if (recorded.failed()) {
        RECORD_FAILED.warn("regulation: redis did not record a failure ({}), so this process counts it",
            recorded.cause());
        // A ban decided here holds here at once; other processes hear of it only if Redis carries the broadcast.
        return here.recordFailure(userKey, address, verifier).otherwiseEmpty();
      }
      long until = now + config.banDuration().toMillis();
      List<Future<Void>> broadcasts = new ArrayList<>();
      for (Response scope : recorded.result()) {
        boolean userScope = scope.toInteger() == 1;
        broadcasts.add(bans.ban(userScope ? userKey : userAddress, userScope, until));
      }
      return Future.all(broadcasts).mapEmpty();
    });
  }

  /** @return the keys of {@link #CHECK}: ban user, ban user+address, failures of user, failures of user+address */
  private static List<String> keys(String userKey, String address) {
    String userAddress = Regulator.userAddressKey(userKey, address);
    return List.of(BANS + userKey, BANS + userAddress, FAILURES + userKey, FAILURES + userAddress);
  }

  @Override
  public Future<Void> recordSuccess(String userKey, String address) {
    here.recordSuccess(userKey, address);
    return redis.send(Request.cmd(Command.DEL).arg(FAILURES + userKey)
        .arg(FAILURES + Regulator.userAddressKey(userKey, address))).mapEmpty();
  }
}
