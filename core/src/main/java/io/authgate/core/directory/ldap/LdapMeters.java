package io.authgate.core.directory.ldap;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  void pool(String name, LdapPool pool) {
    gauges.add(Gauge.builder(MetricNames.LDAP_POOL_CONNECTIONS, pool, LdapPool::inUse)
        .description("LDAP pool connections by state")
        .tags(MetricNames.DIRECTORY, directory, MetricNames.POOL, name, MetricNames.STATE, "in_use")
        .register(registry));
    gauges.add(Gauge.builder(MetricNames.LDAP_POOL_CONNECTIONS, pool, LdapPool::idle)
        .description("LDAP pool connections by state")
        .tags(MetricNames.DIRECTORY, directory, MetricNames.POOL, name, MetricNames.STATE, "idle")
        .register(registry));
  }

  /** Unregisters the pool gauges, so a directory opened again under the same name reports its own pools. */
  void close() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
