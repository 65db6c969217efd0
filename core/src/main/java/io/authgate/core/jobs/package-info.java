/** Durable jobs in the store: enqueued, claimed under a lease, checkpointed, retried with backoff. */
package io.authgate.core.jobs;
