/** The audit trail: an append-only, hash-chained log of every admin change and lifecycle transition. */
package io.authgate.core.audit;
