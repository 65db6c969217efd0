/** The one runnable: reads configuration, starts the embedded default when asked, deploys the roles. */
package io.authgate.server;
