/** Test fixtures shared by every module: real slapd, in-memory and AD-like directories, services, checks. */
package io.authgate.core.testing;
