/** Metric names and label values: every meter authgate exports is named here. */
package io.authgate.core.metrics;
