/** The PostgreSQL store: Flyway migrations at start, vertx-pg-client at runtime; directories and user accounts. */
package io.authgate.core.store;
