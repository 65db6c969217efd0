package io.authgate.core.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.DirectoryUnavailableException.Cause;
import io.authgate.core.identity.Credentials;
import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A directory behind its circuit breaker. The breaker opens after {@code breaker.maxFailures}
 * consecutive connection failures or timeouts (a refused password is an answer, not a failure),
 * stays open {@code breaker.openFor} while every call fails at once with
 * {@link Cause#CIRCUIT_OPEN}, then lets one probe call through. Thread-safe.
 */
public final class GuardedDirectory implements Directory {
  /** Failures older than this no longer count towards opening; any success resets the count. */
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

  private final Directory delegate;
  private final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private volatile Gauge stateGauge;

  /**
   * @param vertx the Vert.x instance that runs the breaker's timers
   * @param delegate the directory to guard
   * @param registry where {@code authgate_circuit_breaker_state} goes
   */
  public GuardedDirectory(Vertx vertx, Directory delegate, MeterRegistry registry) {
    this.delegate = delegate;
    DirectoryConfig.Breaker settings = delegate.config().breaker();
    this.breaker = CircuitBreaker.create("authgate-directory-" + delegate.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.maxFailures())
        .setResetTimeout(settings.openFor().toMillis())
        .setTimeout(settings.callTimeout().isZero() ? -1 : settings.callTimeout().toMillis())
        .setFailuresRollingWindow(FAILURE_WINDOW.toMillis())
        .setNotificationAddress(null));
    breaker.failurePolicy(result -> result.failed() && countsAsFailure(result.cause()));
    this.registry = registry;
    this.stateGauge = Gauge.builder(MetricNames.CIRCUIT_BREAKER_STATE, breaker, b -> stateValue(b.state()))
        .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
        .tag(MetricNames.DIRECTORY, delegate.name())
        .register(registry);
  }

  @Override
  public DirectoryConfig config() {
    return delegate.config();
  }

  @Override
  public Future<BindOutcome> authenticate(Credentials credentials, BindGate gate) {
    return breaker.<BindOutcome>execute(() -> delegate.authenticate(credentials, gate)).recover(this::translate);
  }

  @Override
  public Future<Long> probe() {
    return delegate.probe();
  }

  @Override
  public void releaseMeters() {
    Gauge gauge = stateGauge;
    stateGauge = null;
    if (gauge != null) {
      registry.remove(gauge);
    }
    delegate.releaseMeters();
  }

  @Override
  public Future<Void> close() {
    releaseMeters();
    breaker.close();
    return delegate.close();
  }

  /** @return the breaker's state */
  public CircuitBreakerState state() {
    return breaker.state();
  }

  private <T> Future<T> translate(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return Future.failedFuture(new DirectoryUnavailableException(name(), Cause.CIRCUIT_OPEN, "circuit open"));
    }
    if (failure instanceof TimeoutException) {
      return Future.failedFuture(new DirectoryUnavailableException(name(), Cause.TIMEOUT,
          "no answer within " + config().breaker().callTimeout()));
    }
    return Future.failedFuture(failure);
  }

  private static boolean countsAsFailure(Throwable cause) {
    if (cause instanceof DirectoryUnavailableException unavailable) {
      return unavailable.kind() != Cause.POOL_EXHAUSTED;
    }
    return true;
  }

  private static int stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }
}
