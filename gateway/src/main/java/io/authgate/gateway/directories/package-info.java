/** The directories a gateway serves: configured ones, and those of the admin API reloaded live. */
package io.authgate.gateway.directories;
