/** The job endpoints: asking for a directory sync, following jobs, cancelling them. */
package io.authgate.admin.jobs;
