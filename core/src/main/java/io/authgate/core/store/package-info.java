/** The PostgreSQL store: Flyway migrations at start, vertx-pg-client at runtime. */
package io.authgate.core.store;
