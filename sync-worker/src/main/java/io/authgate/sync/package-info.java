/** The sync-worker role: directory sync, provisioning, import/export and lifecycle jobs. */
package io.authgate.sync;
