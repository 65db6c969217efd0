package io.authgate.gateway.verify;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code authgate_verify_requests_total{result,credential}}, every combination registered up front. Thread-safe. */
final class VerifyMeters {
  static final List<String> RESULTS = List.of("allowed", "bypassed", "unauthenticated", "forbidden", "denied",
      "unavailable", "malformed");
  static final List<String> CREDENTIALS = List.of("session", "bearer", "basic", "none");
  private final Map<String, Counter> counters = new HashMap<>();

  VerifyMeters(MeterRegistry registry) {
    for (String result : RESULTS) {
      for (String credential : CREDENTIALS) {
        counters.put(result + '|' + credential, Counter.builder(MetricNames.VERIFY_REQUESTS)
            .description("Verify requests from reverse proxies by result and credential")
            .tag(MetricNames.RESULT, result).tag(MetricNames.CREDENTIAL, credential).register(registry));
      }
    }
  }

  /** A trusted proxy described the original request in a way that cannot be judged. */
  void recordMalformed() {
    counters.get("malformed|none").increment();
  }

  void record(VerifyOutcome outcome) {
    String result;
    if (outcome instanceof VerifyOutcome.Allowed allowed) {
      result = allowed.identity() == null ? "bypassed" : "allowed";
    } else if (outcome instanceof VerifyOutcome.Unauthenticated) {
      result = "unauthenticated";
    } else if (outcome instanceof VerifyOutcome.Forbidden) {
      result = "forbidden";
    } else if (outcome instanceof VerifyOutcome.Denied) {
      result = "denied";
    } else {
      result = "unavailable";
    }
    counters.get(result + '|' + outcome.credential()).increment();
  }
}
