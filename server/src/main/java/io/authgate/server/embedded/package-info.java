/** The embedded default: an in-memory demo directory and an embedded PostgreSQL under ./data. */
package io.authgate.server.embedded;
