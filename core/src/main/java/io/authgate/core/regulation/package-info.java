/** Brute-force regulation: failure counters per user and per user+address, bans, repeated-failure memory. */
package io.authgate.core.regulation;
