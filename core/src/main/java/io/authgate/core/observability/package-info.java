/** Health, metrics and logging every role shares: liveness, readiness, Prometheus, warnings that repeat. */
package io.authgate.core.observability;
