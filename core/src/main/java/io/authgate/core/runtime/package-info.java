/** The infrastructure one process shares between its roles: metrics, Redis, events, store, readiness. */
package io.authgate.core.runtime;
