package io.authgate.core.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** What Redis says of its own work, for tests that count how commands reach it. */
public final class RedisStats {
  private RedisStats() {}

  /** @return {@code total_reads_processed} from {@code INFO stats}, asked through {@code client} */
  static long readsProcessed(Redis client) {
    String stats = client.send(Request.cmd(Command.INFO).arg("stats")).await().toString();
    return stats.lines().filter(l -> l.startsWith("total_reads_processed:"))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("no total_reads_processed in INFO stats"));
  }

  /** @return how many times Redis has run {@code command} ({@code INFO commandstats}), asked through {@code redis} */
  public static long commandCalls(RedisCommands redis, String command) {
    String stats = redis.send(Request.cmd(Command.INFO).arg("commandstats")).await().toString();
    String prefix = "cmdstat_" + command + ":calls=";
    return stats.lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length(), l.indexOf(',')))).findFirst().orElse(0);
  }
}
