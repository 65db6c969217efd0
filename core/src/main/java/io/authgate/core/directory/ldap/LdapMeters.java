package io.authgate.core.directory.ldap;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The LDAP meters of one directory: operations by outcome, pool connections by state. Thread-safe. */
final class LdapMeters {
  /** Operation names used as the {@code operation} label. */
  static final String SEARCH = "search";
  static final String BIND = "bind";
  static final String GROUPS = "groups";
  static final String PROBE = "probe";

  private final MeterRegistry registry;
  private final String directory;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new CopyOnWriteArrayList<>();

  LdapMeters(MeterRegistry registry, String directory) {
    this.registry = registry;
    this.directory = directory;
  }

  void operation(String operation, String result) {
    counters.computeIfAbsent(operation + '|' + result, k -> Counter.builder(MetricNames.LDAP_OPERATIONS)
        .description("LDAP operations by outcome")
        .tag(MetricNames.DIRECTORY, directory).tag(MetricNames.OPERATION, operation)
        .tag(MetricNames.RESULT, result).register(registry)).increment();
  }

  /** Registers the pool gauges, summed over the event loops' pools. */
  void pools(IntSupplier bindsInUse, IntSupplier bindsIdle, IntSupplier searchOpen) {
    gauge("bind", "in_use", bindsInUse);
    gauge("bind", "idle", bindsIdle);
    gauge("search", "open", searchOpen);
  }

  private void gauge(String pool, String state, IntSupplier value) {
    gauges.add(Gauge.builder(MetricNames.LDAP_POOL_CONNECTIONS, value::getAsInt)
        .description("LDAP connections by pool and state")
        .tags(MetricNames.DIRECTORY, directory, MetricNames.POOL, pool, MetricNames.STATE, state)
        .register(registry));
  }

  /** Unregisters the pool gauges, so a directory opened again under the same name reports its own pools. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
