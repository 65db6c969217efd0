package io.authgate.core.directory.ldap;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The LDAP meters of one directory: operations by outcome, connections by pool and state. Every
 * counter is registered up front, so dashboards see zeros rather than gaps and recording is a
 * plain increment. Thread-safe.
 */
final class LdapMeters {
  /** An LDAP operation, the {@code operation} label. */
  enum Operation { SEARCH, BIND, GROUPS, PROBE }

  /** How it ended, the {@code result} label. */
  enum Outcome { SUCCESS, INVALID_CREDENTIALS, ERROR }

  private final MeterRegistry registry;
  private final String directory;
  private final Counter[][] counters = new Counter[Operation.values().length][Outcome.values().length];
  private final List<Meter> meters = new CopyOnWriteArrayList<>();

  LdapMeters(MeterRegistry registry, String directory) {
    this.registry = registry;
    this.directory = directory;
    for (Operation operation : Operation.values()) {
      for (Outcome outcome : Outcome.values()) {
        if (outcome == Outcome.INVALID_CREDENTIALS && operation != Operation.BIND) {
          continue;
        }
        Counter counter = Counter.builder(MetricNames.LDAP_OPERATIONS)
            .description("LDAP operations by outcome")
            .tag(MetricNames.DIRECTORY, directory).tag(MetricNames.OPERATION, label(operation))
            .tag(MetricNames.RESULT, label(outcome)).register(registry);
        counters[operation.ordinal()][outcome.ordinal()] = counter;
        meters.add(counter);
      }
    }
  }

  void record(Operation operation, Outcome outcome) {
    counters[operation.ordinal()][outcome.ordinal()].increment();
  }

  /** Registers the connection gauges, summed over the event loops' pools. */
  void pools(IntSupplier bindsInUse, IntSupplier bindsIdle, IntSupplier searchOpen) {
    gauge("bind", "in_use", bindsInUse);
    gauge("bind", "idle", bindsIdle);
    gauge("search", "open", searchOpen);
  }

  private void gauge(String pool, String state, IntSupplier value) {
    meters.add(Gauge.builder(MetricNames.LDAP_POOL_CONNECTIONS, value::getAsInt)
        .description("LDAP connections by pool and state")
        .tags(MetricNames.DIRECTORY, directory, MetricNames.POOL, pool, MetricNames.STATE, state)
        .register(registry));
  }

  /** Unregisters every meter, so a directory opened again under the same name reports its own. */
  void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
