package io.authgate.core.store;

import io.authgate.core.store.AccountException.Reason;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Accounts in the {@code users} table, as single sign-on needs them: found by SAML subject or by
 * email, provisioned just in time, linked to a SAML subject, their sign-ins recorded. Every query
 * is parameterised. Not-found answers are a null account; refusals are an {@link AccountException}.
 * Thread-safe.
 */
public final class UserAccounts {
  private static final String FROM = " FROM users u JOIN resources r ON r.id = u.resource_id ";
  private static final String BY_ID = "SELECT " + UserAccount.COLUMNS + FROM + "WHERE u.resource_id = $1";
  private static final String BY_SUBJECT = "SELECT " + UserAccount.COLUMNS + FROM
      + "WHERE u.saml_issuer = $1 AND u.saml_name_id = $2";
  /** Two rows are enough to tell one match from several. */
  private static final String BY_EMAIL = "SELECT " + UserAccount.COLUMNS + FROM
      + "WHERE lower(u.email) = lower($1) AND NOT r.deleted ORDER BY u.created_at LIMIT 2";
  private static final String INSERT_RESOURCE = """
      INSERT INTO resources (type, typename, displayname, identifier, source_system)
      VALUES ('user', 'User', $1, $2, $3) RETURNING id""";
  private static final String INSERT_JIT_USER = """
      WITH u AS (
        INSERT INTO users (resource_id, username, email, first_name, last_name, display_name, status,
                           provisioning_method, saml_issuer, saml_name_id)
        VALUES ($1, $2, $3, $4, $5, $6, 'active', 'sso_jit', $7, $8)
        ON CONFLICT (saml_issuer, saml_name_id) WHERE saml_issuer IS NOT NULL DO NOTHING
        RETURNING *)
      SELECT\s""" + UserAccount.COLUMNS + " FROM u JOIN resources r ON r.id = u.resource_id";
  private static final String LINK = """
      WITH u AS (
        UPDATE users SET saml_issuer = $2, saml_name_id = $3
        WHERE resource_id = $1 AND (saml_issuer IS NULL OR (saml_issuer = $2 AND saml_name_id = $3))
        RETURNING *)
      SELECT\s""" + UserAccount.COLUMNS + " FROM u JOIN resources r ON r.id = u.resource_id";
  private static final String RECORD_LOGINS = """
      UPDATE users u SET last_login_at = greatest(u.last_login_at, v.at)
      FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)
      WHERE u.resource_id = v.id""";
  private static final String UNIQUE_VIOLATION = "23505";

  /** A concurrent first sign-in of the same subject inserted its account first. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super("lost the race to provision", null, false, false);
    }
  }

  private final Pool pool;

  /** @param pool the store */
  public UserAccounts(Pool pool) {
    this.pool = pool;
  }

  /** @return the account with this id, or null */
  public Future<UserAccount> findById(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(UserAccounts::single);
  }

  /**
   * Finds the account a SAML subject names, deleted or not: the caller refuses an account that
   * {@linkplain UserAccount#maySignIn() may not sign in}.
   *
   * @param issuer the IdP's entity ID
   * @param nameId the NameID it sent
   * @return the account, or null
   */
  public Future<UserAccount> findBySamlSubject(String issuer, String nameId) {
    return pool.preparedQuery(BY_SUBJECT).execute(Tuple.of(issuer, nameId)).map(UserAccounts::single);
  }

  /**
   * Finds the one account with this email, compared case-insensitively; deleted accounts do not count.
   *
   * @param email may be null, which finds nothing
   * @return the account, or null when none has it
   * @throws AccountException (as the failure) {@link Reason#AMBIGUOUS_EMAIL} when several have it
   */
  public Future<UserAccount> findByEmail(String email) {
    if (email == null || email.isBlank()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(BY_EMAIL).execute(Tuple.of(email)).compose(rows -> rows.size() > 1
        ? Future.failedFuture(new AccountException(Reason.AMBIGUOUS_EMAIL, "more than one account has the email"))
        : Future.succeededFuture(single(rows)));
  }

  /**
   * Creates the account of a SAML subject at its first sign-in: provisioning method
   * {@code sso_jit}, status active, no directory. When a concurrent first sign-in of the same
   * subject wins, its account is returned; there is never more than one.
   *
   * @param issuer the IdP's entity ID
   * @param nameId the NameID
   * @param email may be null
   * @param username required; unique among accounts of no directory, case-insensitively
   * @param firstName may be null
   * @param lastName may be null
   * @param displayName may be null
   * @return the account of the subject
   * @throws AccountException (as the failure) {@link Reason#USERNAME_TAKEN} when another account
   *     has the username
   */
  public Future<UserAccount> provisionJit(String issuer, String nameId, String email, String username,
                                          String firstName, String lastName, String displayName) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(nameId, "nameId");
    Objects.requireNonNull(username, "username");
    return pool.withTransaction(connection -> insertJit(connection, issuer, nameId, email, username, firstName,
            lastName, displayName))
        .recover(e -> {
          if (!(e instanceof LostRace) && !isUniqueViolation(e)) {
            return Future.failedFuture(e);
          }
          // Whoever holds the subject (or the username) has committed by now: the subject's account, if any, wins.
          return findBySamlSubject(issuer, nameId).compose(account -> account != null
              ? Future.succeededFuture(account)
              : Future.failedFuture(new AccountException(Reason.USERNAME_TAKEN, "another account has the username")));
        });
  }

  private static Future<UserAccount> insertJit(SqlConnection connection, String issuer, String nameId, String email,
                                               String username, String firstName, String lastName,
                                               String displayName) {
    String shown = displayName != null ? displayName : username;
    return connection.preparedQuery(INSERT_RESOURCE).execute(Tuple.of(shown, username, issuer))
        .compose(rows -> connection.preparedQuery(INSERT_JIT_USER).execute(Tuple.from(new Object[] {
            rows.iterator().next().getUUID("id"), username, email, firstName, lastName, displayName, issuer, nameId})))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(single(rows)) : Future.failedFuture(new LostRace()));
  }

  /**
   * Links an account found by email to the SAML subject that signed in. Linking an account to the
   * subject it already has changes nothing. The caller checks first that the account
   * {@linkplain UserAccount#maySignIn() may sign in}, and that its IdP is trusted to assert that email.
   *
   * @return the linked account
   * @throws AccountException (as the failure) {@link Reason#NOT_FOUND}, {@link Reason#ALREADY_LINKED}
   *     when the account has another subject, {@link Reason#SUBJECT_TAKEN} when another account has this one
   */
  public Future<UserAccount> linkSamlSubject(UUID userId, String issuer, String nameId) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(nameId, "nameId");
    return pool.preparedQuery(LINK).execute(Tuple.of(userId, issuer, nameId))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? new AccountException(Reason.SUBJECT_TAKEN, "another account has the SAML subject") : e))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(single(rows)) : findById(userId).compose(
            account -> Future.failedFuture(account == null
                ? new AccountException(Reason.NOT_FOUND, "no account " + userId)
                : new AccountException(Reason.ALREADY_LINKED, "account " + userId + " has another SAML subject"))));
  }

  /**
   * Records the sign-ins of many accounts in one statement; an earlier
   * time than the one recorded changes nothing (a login is not a change of the
   * account: {@code updated_at} stays). Accounts no longer there are skipped.
   *
   * @param logins the latest sign-in of each account
   * @return how many accounts were found
   */
  public Future<Integer> recordLogins(Map<UUID, Instant> logins) {
    if (logins.isEmpty()) {
      return Future.succeededFuture(0);
    }
    // In id order, so two processes writing overlapping batches lock the rows in the same order.
    List<Map.Entry<UUID, Instant>> sorted = logins.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
    UUID[] ids = sorted.stream().map(Map.Entry::getKey).toArray(UUID[]::new);
    OffsetDateTime[] ats = sorted.stream().map(e -> e.getValue().atOffset(ZoneOffset.UTC))
        .toArray(OffsetDateTime[]::new);
    return pool.preparedQuery(RECORD_LOGINS).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(ats))
        .map(RowSet::rowCount);
  }

  private static UserAccount single(RowSet<Row> rows) {
    return rows.size() == 0 ? null : UserAccount.fromRow(rows.iterator().next());
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
