/** Concurrency helpers for event-loop code. */
package io.authgate.core.concurrent;
