/** Runs durable jobs: worker verticles claim them under a lease, heartbeat, and retry with backoff. */
package io.authgate.sync.jobs;
