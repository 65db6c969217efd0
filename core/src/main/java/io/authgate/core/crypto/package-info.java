/** Secrets at rest: values sealed with AES-256-GCM under a master key from configuration or the data directory. */
package io.authgate.core.crypto;
