/** The audit endpoints: the trail, newest first, and the check of its hash chain. */
package io.authgate.admin.audit;
