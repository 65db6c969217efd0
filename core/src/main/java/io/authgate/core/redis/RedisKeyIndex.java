package io.authgate.core.redis;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which keys under some prefixes may exist in Redis, so that reading a key known to be absent
 * costs no round trip: an uncached login then goes to the directory without first asking Redis
 * for a cache entry and a regulation record it does not have.
 *
 * <p>Redis keeps the index current itself. A connection of the index's own turns on client-side
 * caching in broadcasting mode for the prefixes ({@code CLIENT TRACKING ON BCAST PREFIX ...}), and
 * Redis pushes on it the name of every key under them that is written, deleted or expires, by any
 * process. Once tracking is on, the index {@code SCAN}s what already exists, and only when the
 * scan is complete does it answer "absent" ({@link #answering()}). Until then, and whenever its
 * connection is lost or Redis is flushed, it knows nothing and every read is sent, as without it.
 *
 * <p>A key stays known until a read sent after its last change finds nothing ({@link #absent}).
 * Keys that expire unread are dropped by a rebuild every {@code rebuildEvery} (a fresh scan, while
 * the current index keeps answering). Past {@code maxKeys} the index stops answering until its
 * next rebuild. A key written elsewhere is known here once Redis's message arrives, a fraction of
 * a millisecond later on a local network; a read in that window finds no entry, as a read sent a
 * moment earlier would have. Keys are held as 64-bit hashes in primitive maps: some 25 to 50 bytes
 * each, and no object per key for the garbage collector to trace.
 *
 * <p>Thread-safe: read from every event loop, changed from the index's own connection.
 */
public final class RedisKeyIndex {
  private static final Logger LOG = LoggerFactory.getLogger(RedisKeyIndex.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final int SCAN_COUNT = 1_000;

  private final Vertx vertx;
  private final Redis client;
  private final List<String> prefixes;
  private final String scanPattern;
  private final long maxKeys;
  private final long rebuildMillis;
  /** Incremented for every change Redis reports; a read remembers it when sent ({@link #mark}). */
  private final AtomicLong changes = new AtomicLong();
  /** The index that answers, or null while it knows nothing. */
  private volatile Hashes keys;
  /** The index a scan is filling, or null when none runs. */
  private volatile Hashes building;
  /** Bumped whenever the connection or a scan is abandoned, so their late answers are ignored. */
  private volatile long generation;
  private volatile RedisConnection connection;
  private volatile boolean closed;
  private volatile boolean refused;
  private volatile long rebuildTimer = -1;

  /**
   * @param vertx runs the reconnects and rebuilds
   * @param client a client used only by the index, with room for two connections: one Redis pushes on, one
   *     for its scans
   * @param prefixes the key prefixes to follow
   * @param maxKeys above this many keys the index stops answering until its next rebuild
   * @param rebuildEvery how often the index is rebuilt from a fresh scan
   */
  public RedisKeyIndex(Vertx vertx, Redis client, List<String> prefixes, long maxKeys, Duration rebuildEvery) {
    this.vertx = vertx;
    this.client = client;
    this.prefixes = List.copyOf(prefixes);
    this.scanPattern = globEscape(commonPrefix(prefixes)) + "*";
    this.maxKeys = maxKeys;
    this.rebuildMillis = rebuildEvery.toMillis();
  }

  /** Connects and starts following the prefixes; the index answers once its first scan completes. */
  public void start() {
    connect(1_000);
  }

  /** Registers {@code authgate_redis_key_index_keys} and {@code authgate_redis_key_index_answering}. */
  public void registerMeters(MeterRegistry registry) {
    Gauge.builder(MetricNames.REDIS_KEY_INDEX_KEYS, this, i -> {
      Hashes current = i.keys;
      return current == null ? 0 : current.size();
    }).description("Keys the Redis key index knows may exist (0 while it is not answering)").register(registry);
    Gauge.builder(MetricNames.REDIS_KEY_INDEX_ANSWERING, this, i -> i.answering() ? 1 : 0)
        .description("1 when the Redis key index answers for absent keys, 0 while every read goes to Redis")
        .register(registry);
  }

  /** @return whether the index is complete, so a key it does not hold is known to be absent */
  public boolean answering() {
    return keys != null;
  }

  /** @return whether Redis refused client-side caching, which leaves the index off for good */
  boolean refused() {
    return refused;
  }

  /** @return false only when the key is known not to exist in Redis */
  public boolean mayExist(String key) {
    Hashes current = keys;
    return current == null || current.contains(hash(key));
  }

  /** @return the mark to pass to {@link #absent} for a read sent now */
  public long mark() {
    return changes.get();
  }

  /**
   * A read sent when {@code mark} was taken found nothing: the key is forgotten unless Redis has
   * reported a change to it since.
   */
  public void absent(String key, long mark) {
    long hash = hash(key);
    forget(keys, hash, mark);
    forget(building, hash, mark);
  }

  /** This process has just written the key: it is known at once, before Redis's message arrives. */
  public void written(String key) {
    changed(hash(key));
  }

  /** Stops following and closes the connection. */
  public Future<Void> close() {
    closed = true;
    keys = null;
    building = null;
    if (rebuildTimer >= 0) {
      vertx.cancelTimer(rebuildTimer);
    }
    return client.close();
  }

  private static void forget(Hashes index, long hash, long mark) {
    if (index != null) {
      index.forget(hash, mark);
    }
  }

  private void changed(long hash) {
    long change = changes.incrementAndGet();
    // Building first: a scan that completes sets keys before it clears building, so a change
    // that finds no building finds the new index in keys.
    Hashes filling = building;
    Hashes current = keys;
    record(current, hash, change);
    record(filling, hash, change);
  }

  private void record(Hashes index, long hash, long change) {
    if (index != null) {
      index.put(hash, change);
      if (index.size() > maxKeys) {
        overflow(index);
      }
    }
  }

  private void overflow(Hashes index) {
    if (keys == index || building == index) {
      keys = null;
      building = null;
      LOG.warn("the redis key index holds more than {} keys (redis.keyIndexMaxKeys): every cache and regulation "
          + "read goes to redis until its next rebuild", maxKeys);
    }
  }

  private void connect(long retryMillis) {
    if (closed) {
      return;
    }
    long attempt = ++generation;
    client.connect()
        .onSuccess(c -> {
          connection = c;
          c.handler(message -> onMessage(attempt, message));
          c.exceptionHandler(e -> LOG.debug("redis key index connection failed: {}", e.toString()));
          c.endHandler(v -> lost(attempt));
          // RESP3, so that Redis pushes its messages on this connection (under RESP2 it would drop them).
          Request tracking = Request.cmd(Command.CLIENT).arg("TRACKING").arg("ON").arg("BCAST");
          prefixes.forEach(p -> tracking.arg("PREFIX").arg(p));
          c.send(Request.cmd(Command.HELLO).arg(3)).compose(hello -> c.send(tracking))
              .onSuccess(ok -> {
                if (attempt == generation) {
                  LOG.debug("redis key index following {}", prefixes);
                  rebuild();
                  scheduleRebuilds();
                }
              })
              .onFailure(e -> {
                if (attempt != generation || closed) {
                  return;
                }
                if (!isErrorReply(e)) {
                  c.close();  // its end handler reconnects
                  return;
                }
                // Redis before 6, or an ACL without HELLO or CLIENT: no client-side caching.
                generation++;
                refused = true;
                LOG.info("redis does not offer client-side caching to authgate ({}): every L1 cache miss asks "
                    + "redis", e.getMessage());
                client.close();
              });
        })
        .onFailure(e -> {
          if (!closed) {
            LOG.debug("redis key index cannot connect: {}", e.toString());
            vertx.setTimer(retryMillis, t -> connect(Math.min(retryMillis * 2, MAX_BACKOFF_MILLIS)));
          }
        });
  }

  private void lost(long attempt) {
    if (attempt != generation || closed) {
      return;
    }
    generation++;
    connection = null;
    keys = null;
    building = null;
    LOG.info("redis key index connection lost: every cache and regulation read goes to redis until it has "
        + "reconnected and scanned again");
    vertx.setTimer(1_000, t -> connect(2_000));
  }

  private void scheduleRebuilds() {
    if (rebuildTimer < 0 && !closed) {
      rebuildTimer = vertx.setPeriodic(rebuildMillis, t -> {
        if (connection != null && building == null) {
          rebuild();
        }
      });
    }
  }

  /** Scans what exists into a new index; the current one, if any, keeps answering until it is done. */
  private void rebuild() {
    long attempt = generation;
    if (connection == null || closed) {
      return;
    }
    Hashes filling = new Hashes();
    building = filling;
    scan(attempt, filling, "0");
  }

  /**
   * One page of a scan, on another connection than the one Redis pushes on: the Vert.x client drops
   * the reply a command is waiting for when a push arrives before it, so nothing is ever sent on
   * that one once tracking is on.
   */
  private void scan(long attempt, Hashes filling, String cursor) {
    client.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(scanPattern).arg("COUNT").arg(SCAN_COUNT))
        .onSuccess(page -> {
          if (attempt != generation || building != filling) {
            return;
          }
          for (Response key : page.get(1)) {
            String name = key.toString();
            if (followed(name)) {
              filling.putIfAbsent(hash(name), 0);
            }
          }
          if (filling.size() > maxKeys) {
            overflow(filling);
            return;
          }
          String next = page.get(0).toString();
          if ("0".equals(next)) {
            keys = filling;
            building = null;
            LOG.debug("redis key index answering with {} keys", filling.size());
          } else {
            scan(attempt, filling, next);
          }
        })
        .onFailure(e -> {
          if (attempt == generation && building == filling) {
            building = null;
            LOG.warn("redis key index scan failed, the next rebuild tries again: {}", e.toString());
          }
        });
  }

  /** A push is {@code [invalidate, [key, ...]]}, or {@code [invalidate, null]} after a flush. */
  private void onMessage(long attempt, Response message) {
    if (attempt != generation || message == null || message.type() != ResponseType.PUSH || message.size() < 2
        || !"invalidate".equals(message.get(0).toString())) {
      return;
    }
    Response changed = message.get(1);
    if (changed == null) {
      // A flush, possibly of another database (tracking does not tell which): know nothing, scan again.
      keys = null;
      building = null;
      changes.incrementAndGet();
      rebuild();
      return;
    }
    for (Response key : changed) {
      changed(hash(key.toString()));
    }
  }

  /** @return whether {@code failure} is Redis's answer (its message starts with an error code such as ERR or NOPERM) */
  private static boolean isErrorReply(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.matches("[A-Z][A-Z_]+( .*)?");
  }

  private boolean followed(String key) {
    for (String prefix : prefixes) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * FNV-1a over the key's characters, then mixed. Two keys share a hash with odds of about one in
   * 2^64 per pair; such a pair is known or forgotten together.
   */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  static String commonPrefix(List<String> prefixes) {
    String common = prefixes.get(0);
    for (String prefix : prefixes) {
      int n = 0;
      while (n < common.length() && n < prefix.length() && common.charAt(n) == prefix.charAt(n)) {
        n++;
      }
      common = common.substring(0, n);
    }
    return common;
  }

  private static String globEscape(String literal) {
    return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  /**
   * Key hash → the change that last touched it, in primitive maps spread over stripes, each under
   * its own lock: readers on every event loop rarely meet the writer.
   */
  static final class Hashes {
    private static final int STRIPES = 64;
    private static final long MISSING = -1;
    private final Long2LongHashMap[] stripes = new Long2LongHashMap[STRIPES];
    private final AtomicInteger size = new AtomicInteger();

    Hashes() {
      for (int i = 0; i < STRIPES; i++) {
        stripes[i] = new Long2LongHashMap(1024, 0.6f, MISSING);
      }
    }

    private Long2LongHashMap stripe(long hash) {
      return stripes[(int) (hash >>> 58)];
    }

    boolean contains(long hash) {
      Long2LongHashMap stripe = stripe(hash);
      synchronized (stripe) {
        return stripe.containsKey(hash);
      }
    }

    void put(long hash, long change) {
      Long2LongHashMap stripe = stripe(hash);
      synchronized (stripe) {
        if (stripe.put(hash, change) == MISSING) {
          size.incrementAndGet();
        }
      }
    }

    void putIfAbsent(long hash, long change) {
      Long2LongHashMap stripe = stripe(hash);
      synchronized (stripe) {
        if (stripe.putIfAbsent(hash, change) == MISSING) {
          size.incrementAndGet();
        }
      }
    }

    /** Removes the hash unless a change after {@code mark} touched it. */
    void forget(long hash, long mark) {
      Long2LongHashMap stripe = stripe(hash);
      synchronized (stripe) {
        long lastChange = stripe.get(hash);
        if (lastChange != MISSING && lastChange <= mark) {
          stripe.remove(hash);
          size.decrementAndGet();
        }
      }
    }

    int size() {
      return size.get();
    }
  }
}
