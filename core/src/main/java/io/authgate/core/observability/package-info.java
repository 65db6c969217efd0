/** Health and metrics endpoints every role serves: liveness, readiness, Prometheus. */
package io.authgate.core.observability;
