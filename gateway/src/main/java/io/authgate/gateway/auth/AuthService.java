package io.authgate.gateway.auth;

import io.authgate.core.cache.CachedCredential;
import io.authgate.core.cache.CredentialCache;
import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.concurrent.SingleFlight;
import io.authgate.core.directory.BindGate;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryRouter;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Principal;
import io.authgate.core.lifecycle.BlockedAccounts;
import io.authgate.core.observability.RepeatedWarning;
import io.authgate.core.regulation.Regulator;
import io.authgate.core.regulation.Verdict;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.session.IssuedSession;
import io.authgate.core.session.SessionStore;
import io.authgate.gateway.http.BadRequestException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication path, in order: pick the directory; refuse a banned client; answer from a
 * fresh cache entry whose verifier matches; otherwise (one call per identical credentials in
 * flight) heed regulation (asked along with the cache's Redis lookup), then the directory behind
 * its breaker, which asks regulation again, by account, before it binds as an entry whose own name
 * is not the one typed ({@link AccountCheck}); fall back to a stale entry only when the directory
 * cannot answer; finally apply the directory's policy. Thread-safe; one per process.
 */
public final class AuthService {
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
  private static final RepeatedWarning RESET_FAILED = new RepeatedWarning(LOG);

  private volatile DirectoryRouter directories;
  private final CredentialVerifier verifier;
  private final CredentialCache cache;
  private final Regulator regulator;
  /** By directory name; a directory no longer routed to keeps its policy for the calls still in flight. */
  private final Map<String, AccessPolicy> policies = new ConcurrentHashMap<>();
  private final SingleFlight<Flight, AuthDecision> flights = new SingleFlight<>();
  private final AuthMeters meters;
  private final SessionStore sessions;
  private final BlockedAccounts blocked;

  /**
   * @param directories picks the directory of each login
   * @param accounts the process's user keys, credential cache, sessions and blocked accounts
   * @param regulator brute-force regulation
   * @param registry where the authentication meters go
   */
  public AuthService(DirectoryRouter directories, Accounts accounts, Regulator regulator, MeterRegistry registry) {
    this.sessions = accounts.sessions();
    this.blocked = accounts.blocked();
    this.directories = directories;
    this.verifier = accounts.verifier();
    this.cache = accounts.credentials();
    this.regulator = regulator;
    directories.all().forEach(d -> policies.put(d.name(), new AccessPolicy(d.config())));
    this.meters = new AuthMeters(registry, directories.all().stream().map(Directory::name).toList());
  }

  /**
   * Routes the logins that start from now on with another router (the directories changed); logins
   * in flight finish with the directory they started with.
   *
   * @param router the new router
   */
  public void use(DirectoryRouter router) {
    for (Directory d : router.all()) {
      policies.put(d.name(), new AccessPolicy(d.config()));
      meters.add(d.name());
    }
    this.directories = router;
  }

  /**
   * @param request the normalised request
   * @param address the client's address, for regulation
   * @return the decision; fails only with {@link BadRequestException} for an unknown realm
   */
  public Future<AuthDecision> authenticate(AuthRequest request, String address) {
    long start = System.nanoTime();
    Credentials credentials = request.credentials();
    DirectoryRouter directories = this.directories;
    Directory directory = request.realm()
        .map(realm -> directories.byRealm(realm).orElseThrow(() -> new BadRequestException("unknown realm")))
        .orElseGet(() -> directories.route(credentials.username()));
    String userKey = verifier.userKey(directory.name(), credentials.username());
    Future<AuthDecision> decision;
    if (regulator.isBanned(userKey, address)) {
      decision = Future.succeededFuture(new AuthDecision.Refused(directory.name(), RejectReason.BANNED));
    } else {
      byte[] presented = verifier.verifier(userKey, credentials.password());
      Future<CachedCredential> lookup = cache.lookup(userKey, presented);
      // A lookup that went to Redis: ask regulation at the same time, so both commands share one
      // round trip (the verdict is only used if the cache cannot answer).
      Future<Verdict> verdict = lookup.isComplete() ? null : regulator.check(userKey, address, presented);
      decision = lookup.compose(entry -> {
        if (entry != null && entry.isFresh(System.currentTimeMillis())) {
          return Future.succeededFuture(fromCache(entry.principal(), Source.CACHE, credentials.username(), address));
        }
        return flights.run(new Flight(userKey, presented), () -> {
          // An identical call may have finished while this one looked in Redis.
          CachedCredential justStored = cache.freshLocal(userKey, presented);
          return justStored != null
              ? Future.succeededFuture(fromCache(justStored.principal(), Source.CACHE, credentials.username(), address))
              : fromDirectory(directory, credentials, userKey, presented, address, entry,
                  verdict != null ? verdict : regulator.check(userKey, address, presented));
        });
      });
    }
    return decision.onSuccess(d -> meters.record(d, start));
  }

  private Future<AuthDecision> fromDirectory(Directory directory, Credentials credentials, String userKey,
                                             byte[] presented, String address, CachedCredential stale,
                                             Future<Verdict> regulation) {
    return regulation
        .recover(e -> {
          LOG.warn("regulation check failed, asking the directory anyway: {}", e.toString());
          return Future.succeededFuture(Verdict.ALLOW);
        })
        .compose(verdict -> switch (verdict) {
          case BANNED -> Future.succeededFuture(new AuthDecision.Refused(directory.name(), RejectReason.BANNED));
          case REPEATED_FAILURE ->
              Future.succeededFuture(new AuthDecision.Refused(directory.name(), RejectReason.REPEATED_FAILURE));
          case ALLOW, ALLOW_AFTER_FAILURES -> {
            AccountCheck account = new AccountCheck(directory.name(), credentials, address);
            yield directory.authenticate(credentials, account).compose(
                outcome -> settle(outcome, verdict, account, directory, userKey, presented, address),
                failure -> unavailable(failure, directory, stale, credentials.username(), address));
          }
        });
  }

  private Future<AuthDecision> settle(BindOutcome outcome, Verdict verdict, AccountCheck account, Directory directory,
                                      String userKey, byte[] presented, String address) {
    if (outcome instanceof BindOutcome.Authenticated authenticated) {
      cache.remember(userKey, presented, authenticated.principal());
      if (verdict == Verdict.ALLOW_AFTER_FAILURES) {
        resetFailures(userKey, address);
      }
      if (account.verdict == Verdict.ALLOW_AFTER_FAILURES) {
        resetFailures(account.key, address);
      }
      return Future.succeededFuture(decide(authenticated.principal(), Source.LDAP));
    }
    RejectReason reason = ((BindOutcome.Rejected) outcome).reason();
    List<Future<Void>> records = new ArrayList<>(2);
    // The gate refusing for a ban knows nothing of the password: nothing to record. For a password
    // the account already refused, or a bind it refused now, the name typed gets the failure.
    if (account.verdict != Verdict.BANNED) {
      records.add(record(reason, userKey, address, presented));
    }
    if (account.verdict != null && account.verdict.allows()) {
      records.add(record(reason, account.key, address, account.presented));
    }
    return Future.all(records)
        .onFailure(e -> LOG.warn("regulation record failed: {}", e.toString()))
        .transform(ignored -> Future.succeededFuture(new AuthDecision.Refused(directory.name(), reason)));
  }

  /** A wrong password is refused from memory when replayed; one refused for the account's state is asked again. */
  private Future<Void> record(RejectReason reason, String key, String address, byte[] verifier) {
    return reason.accountState()
        ? regulator.recordRefusal(key, address, verifier)
        : regulator.recordFailure(key, address, verifier);
  }

  private void resetFailures(String key, String address) {
    regulator.recordSuccess(key, address).onFailure(e -> RESET_FAILED.warn("regulation reset failed: {}", e));
  }

  private Future<AuthDecision> unavailable(Throwable failure, Directory directory, CachedCredential stale,
                                           String typed, String address) {
    if (stale != null && stale.isUsableWhenStale(System.currentTimeMillis())) {
      return Future.succeededFuture(fromCache(stale.principal(), Source.STALE_CACHE, typed, address));
    }
    if (failure instanceof DirectoryUnavailableException unavailable) {
      return Future.succeededFuture(new AuthDecision.Unavailable(directory.name(), unavailable.kind()));
    }
    LOG.error("unexpected failure authenticating against {}", directory.name(), failure);
    return Future.succeededFuture(new AuthDecision.Unavailable(directory.name(),
        DirectoryUnavailableException.Cause.SERVER_ERROR));
  }

  /**
   * A decision from a cache entry filed under the name typed. When that name is not the account's
   * own, a ban of the account (imposed through any of its names) refuses it too, as the directory
   * path's gate would.
   */
  private AuthDecision fromCache(Principal principal, Source source, String typed, String address) {
    if (!CredentialVerifier.sameKey(principal.username(), typed)
        && regulator.isBanned(verifier.userKey(principal.directory(), principal.username()), address)) {
      return new AuthDecision.Refused(principal.directory(), RejectReason.BANNED);
    }
    return decide(principal, source);
  }

  private AuthDecision decide(Principal principal, Source source) {
    if (isBlocked(principal)) {
      return new AuthDecision.Refused(principal.directory(), RejectReason.ACCOUNT_SUSPENDED);
    }
    AccessPolicy policy = policies.get(principal.directory());
    if (policy != null && !policy.admits(principal)) {
      return new AuthDecision.Forbidden(principal, source);
    }
    return new AuthDecision.Granted(principal, policy == null ? java.util.List.of() : policy.roles(principal), source);
  }

  /**
   * Opens a session for a user just granted access, keyed by their canonical name so every session
   * of the user can be revoked together.
   *
   * @return the session and its token
   */
  public Future<IssuedSession> openSession(AuthDecision.Granted granted) {
    return openSession(granted.principal(), granted.roles());
  }

  /**
   * Opens a session for someone authenticated elsewhere (a SAML IdP), under the same per-user key
   * scheme as directory logins, so revoking a user's sessions reaches these too.
   *
   * @param principal who; {@code directory} names where they were authenticated
   * @param roles their roles
   * @return the new session and its token
   */
  public Future<IssuedSession> openSession(Principal principal, List<String> roles) {
    return sessions.open(verifier.userKey(principal.directory(), principal.username()), principal, roles);
  }

  /** @return whether the store has suspended or deprovisioned the account of this principal */
  public boolean isBlocked(Principal principal) {
    return blocked.isBlocked(principal.directory(), principal.username());
  }

  /** @return the per-user session key of a user of a directory or IdP, as {@link #openSession} files it */
  public String sessionKey(String directory, String username) {
    return verifier.userKey(directory, username);
  }

  /**
   * Regulation by account for one login ({@link BindGate}). One account answers to several names
   * (a {@code uid} and a {@code mail}; a {@code sAMAccountName} and a UPN), and the name typed is
   * all regulation knows before the directory is asked. Once the entry is found, an account whose
   * own name is not the one typed has its own record heeded too, so wrong passwords under each of
   * its names count towards one ban, and a password the account refused under one name is not tried
   * again under another. When the names agree (the usual case) the record checked first was already
   * the account's, and nothing more is asked. Used by one login at a time.
   */
  private final class AccountCheck implements BindGate {
    private final String directory;
    private final Credentials credentials;
    private final String address;
    /** The account's key, and the verifier of the password under it, once the gate found an account not named as typed. */
    private String key;
    private byte[] presented;
    /** What regulation said of that account; null when it was not asked. */
    private Verdict verdict;

    AccountCheck(String directory, Credentials credentials, String address) {
      this.directory = directory;
      this.credentials = credentials;
      this.address = address;
    }

    @Override
    public Future<Optional<RejectReason>> admit(String account) {
      if (CredentialVerifier.sameKey(account, credentials.username())) {
        return BindGate.ADMIT;
      }
      CredentialVerifier keys = AuthService.this.verifier;
      key = keys.userKey(directory, account);
      presented = keys.verifier(key, credentials.password());
      return regulator.check(key, address, presented)
          .recover(e -> {
            LOG.warn("regulation check of the account failed, binding anyway: {}", e.toString());
            return Future.succeededFuture(Verdict.ALLOW);
          })
          .map(answer -> {
            verdict = answer;
            return switch (answer) {
              case BANNED -> Optional.of(RejectReason.BANNED);
              case REPEATED_FAILURE -> Optional.of(RejectReason.REPEATED_FAILURE);
              case ALLOW, ALLOW_AFTER_FAILURES -> Optional.empty();
            };
          });
    }
  }

  /** Identical credentials in flight: the user and the verifier of the password presented. */
  private record Flight(String userKey, byte[] verifier) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Flight f && f.userKey.equals(userKey) && Arrays.equals(f.verifier, verifier);
    }

    @Override
    public int hashCode() {
      return 31 * userKey.hashCode() + Arrays.hashCode(verifier);
    }
  }
}
