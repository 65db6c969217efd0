package io.authgate.gateway.saml.web;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@code authgate_saml_responses_total{idp,result,reason}}: every response the ACS received, by
 * IdP ({@code unknown} before one is established), {@code accepted} or {@code rejected}, and a
 * reason from {@link SamlOutcome}. The IdP label takes only ids of IdPs configured or currently
 * trusted (managed through the admin API). Thread-safe.
 */
final class SamlMeters {
  static final String UNKNOWN_IDP = "unknown";
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final List<String> idps;
  private final Predicate<String> trusted;

  SamlMeters(MeterRegistry registry, List<String> idps, Predicate<String> trusted) {
    this.trusted = trusted;
    this.registry = registry;
    List<String> labels = new ArrayList<>(idps);
    labels.add(UNKNOWN_IDP);
    this.idps = List.copyOf(labels);
    for (String idp : this.idps) {
      counter(idp, "accepted", SamlOutcome.NONE);
    }
  }

  void accepted(String idp) {
    counter(idp, "accepted", SamlOutcome.NONE).increment();
  }

  void rejected(String idp, String reason) {
    counter(idp, "rejected", reason).increment();
  }

  private Counter counter(String idp, String result, String reason) {
    String label = idp != null && (idps.contains(idp) || trusted.test(idp)) ? idp : UNKNOWN_IDP;
    return counters.computeIfAbsent(label + '|' + result + '|' + reason, k -> Counter.builder(MetricNames.SAML_RESPONSES)
        .description("SAML responses received at the ACS, by IdP, result and reason")
        .tag(MetricNames.IDP, label).tag(MetricNames.RESULT, result).tag(MetricNames.REASON, reason)
        .register(registry));
  }
}
