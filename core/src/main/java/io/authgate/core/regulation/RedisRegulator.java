package io.authgate.core.regulation;

import io.authgate.core.config.RegulationConfig;
import io.authgate.core.events.Broadcaster;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Regulation shared by every gateway process through Redis. Failures live in sorted sets of
 * verifiers scored by time, so only distinct wrong passwords count; each step is one Lua script,
 * atomic and one round trip. New bans are broadcast so every process refuses the client on its
 * fast path. Thread-safe.
 */
public final class RedisRegulator implements Regulator {
  static final String FAILURES = "authgate:reg:fail:";
  static final String BANS = "authgate:reg:ban:";
  private static final HexFormat HEX = HexFormat.of();

  /** KEYS: ban user, ban user+address, failures of user. ARGV: verifier, now, window. */
  private static final String CHECK = """
      if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 'banned' end
      local at = redis.call('ZSCORE', KEYS[3], ARGV[1])
      if at and tonumber(at) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then
        redis.call('ZADD', KEYS[3], 'XX', ARGV[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[3])
        return 'repeated'
      end
      return 'allow'
      """;

  /**
   * KEYS: failures of user, failures of user+address, ban user, ban user+address.
   * ARGV: verifier, now, window, max failures, ban duration. Returns the scopes newly banned (1, 2).
   */
  private static final String FAIL = """
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
      """;

  private final Redis redis;
  private final RegulationConfig config;
  private final LocalBans bans;

  /**
   * @param vertx whose event bus carries bans from other processes
   * @param redis the shared store
   * @param config thresholds
   * @param broadcaster tells every process of new bans
   * @param registry where {@code authgate_regulation_bans_total} goes
   */
  public RedisRegulator(Vertx vertx, Redis redis, RegulationConfig config, Broadcaster broadcaster,
                        MeterRegistry registry) {
    this.redis = redis;
    this.config = config;
    this.bans = new LocalBans(vertx, broadcaster, registry);
  }

  @Override
  public boolean isBanned(String userKey, String address) {
    return bans.contains(userKey) || bans.contains(Regulator.userAddressKey(userKey, address));
  }

  @Override
  public Future<Verdict> check(String userKey, String address, byte[] verifier) {
    if (isBanned(userKey, address)) {
      return Future.succeededFuture(Verdict.BANNED);
    }
    Request eval = Request.cmd(Command.EVAL).arg(CHECK).arg(3)
        .arg(BANS + userKey).arg(BANS + Regulator.userAddressKey(userKey, address)).arg(FAILURES + userKey)
        .arg(HEX.formatHex(verifier)).arg(System.currentTimeMillis()).arg(config.window().toMillis());
    return redis.send(eval).map(r -> switch (r.toString()) {
      case "banned" -> Verdict.BANNED;
      case "repeated" -> Verdict.REPEATED_FAILURE;
      default -> Verdict.ALLOW;
    });
  }

  @Override
  public Future<Void> recordFailure(String userKey, String address, byte[] verifier) {
    long now = System.currentTimeMillis();
    String userAddress = Regulator.userAddressKey(userKey, address);
    Request eval = Request.cmd(Command.EVAL).arg(FAIL).arg(4)
        .arg(FAILURES + userKey).arg(FAILURES + userAddress).arg(BANS + userKey).arg(BANS + userAddress)
        .arg(HEX.formatHex(verifier)).arg(now).arg(config.window().toMillis()).arg(config.maxFailures())
        .arg(config.banDuration().toMillis());
    return redis.send(eval).compose(banned -> {
      long until = now + config.banDuration().toMillis();
      List<Future<Void>> broadcasts = new ArrayList<>();
      for (Response scope : banned) {
        boolean userScope = scope.toInteger() == 1;
        broadcasts.add(bans.ban(userScope ? userKey : userAddress, userScope, until));
      }
      return Future.all(broadcasts).mapEmpty();
    });
  }

  @Override
  public Future<Void> recordSuccess(String userKey, String address) {
    return redis.send(Request.cmd(Command.DEL).arg(FAILURES + userKey)
        .arg(FAILURES + Regulator.userAddressKey(userKey, address))).mapEmpty();
  }
}
