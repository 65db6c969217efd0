package io.authgate.core.store;

import io.authgate.core.store.AccountException.Reason;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Accounts as administrators see them: listed with filters a page at a time, read, created by
 * hand and their profile changed. Every query is parameterised; column names come only from
 * {@link ProfileField}. Thread-safe.
 */
public final class UserQueries {
  /** The largest page {@link #list} returns. */
  public static final int MAX_PAGE = 500;
  private static final String COLUMNS = """
      u.resource_id, u.directory_id, d.name AS directory_name, u.username, u.email, u.first_name, u.last_name,
      u.display_name, u.department, u.employee_type, u.manager, u.status, u.provisioning_method, u.account_kind,
      u.saml_issuer IS NOT NULL AS saml_linked, u.last_login_at, u.last_sync_at, u.created_at, u.updated_at""";
  private static final String FROM = " FROM users u JOIN resources r ON r.id = u.resource_id"
      + " LEFT JOIN directories d ON d.id = u.directory_id ";
  private static final String BY_ID = "SELECT " + COLUMNS + FROM + "WHERE u.resource_id = $1 AND NOT r.deleted";
  private static final String DIRECTORY_ID = "SELECT id FROM directories WHERE name = $1";
  private static final String INSERT_RESOURCE = """
      INSERT INTO resources (type, typename, displayname, identifier, source_system)
      VALUES ('user', 'User', $1, $2, 'admin-api') RETURNING id""";
  private static final String INSERT_USER = """
      INSERT INTO users (resource_id, directory_id, username, email, first_name, last_name, display_name,
                         department, employee_type, manager, status, provisioning_method)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'manual')""";
  private static final String UNIQUE_VIOLATION = "23505";

  /** A profile field an administrator may change, and its column. */
  public enum ProfileField {
    /** The email address. */
    EMAIL("email"),
    /** The given name. */
    FIRST_NAME("first_name"),
    /** The family name. */
    LAST_NAME("last_name"),
    /** The name shown. */
    DISPLAY_NAME("display_name"),
    /** The department. */
    DEPARTMENT("department"),
    /** Employee, contractor, ... */
    EMPLOYEE_TYPE("employee_type"),
    /** The manager as the source names it. */
    MANAGER("manager");

    private final String column;

    ProfileField(String column) {
      this.column = column;
    }
  }

  /**
   * What to list. Every criterion may be null, meaning any.
   *
   * @param status only accounts in this status
   * @param department only accounts of this department, exactly
   * @param directory only accounts of the directory of this name
   * @param provisioningMethod only accounts provisioned this way
   * @param text found, ignoring case, in the username, email or display name
   * @param after only accounts whose id sorts after this one (the last of the previous page)
   * @param limit the page size, 1 to {@link #MAX_PAGE}
   */
  public record Filter(AccountStatus status, String department, String directory,
                       ProvisioningMethod provisioningMethod, String text, UUID after, int limit) {
    /** Checks the limit. */
    public Filter {
      if (limit < 1 || limit > MAX_PAGE) {
        throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
      }
    }
  }

  /**
   * One page of accounts in id order.
   *
   * @param items the accounts
   * @param more whether more accounts match after the last one
   */
  public record Page(List<Details> items, boolean more) {
  }

  /**
   * An account with everything an administrator sees of it. Immutable; nullable fields are null
   * when unset.
   *
   * @param id the resource id
   * @param directoryId the directory's id; null for an account of no directory
   * @param directory the directory's name; null likewise
   * @param username its username
   * @param profile its profile fields that are set
   * @param status where it is in its lifecycle
   * @param provisioningMethod how it came to exist
   * @param accountKind what kind of account it is
   * @param samlLinked whether a SAML subject names it
   * @param lastLoginAt its last sign-in, or null
   * @param lastSyncAt the last time sync saw it, or null
   * @param createdAt when it was created
   * @param updatedAt when the account itself last changed
   */
  public record Details(UUID id, UUID directoryId, String directory, String username,
                        Map<ProfileField, String> profile, AccountStatus status,
                        ProvisioningMethod provisioningMethod, AccountKind accountKind, boolean samlLinked,
                        Instant lastLoginAt, Instant lastSyncAt, Instant createdAt, Instant updatedAt) {
    /** Copies the profile. */
    public Details {
      profile = Map.copyOf(profile);
    }
  }

  /**
   * An account to create by hand.
   *
   * @param directoryId its directory, or null for none
   * @param username required, trimmed
   * @param profile the profile fields to set
   * @param status {@link AccountStatus#PENDING} or {@link AccountStatus#ACTIVE}
   */
  public record NewUser(UUID directoryId, String username, Map<ProfileField, String> profile, AccountStatus status) {
    /** Checks what the store would refuse less clearly. */
    public NewUser {
      Objects.requireNonNull(username, "username");
      profile = Map.copyOf(profile);
      if (status != AccountStatus.PENDING && status != AccountStatus.ACTIVE) {
        throw new IllegalArgumentException("a new account is pending or active");
      }
    }
  }

  private final Pool pool;

  /** @param pool the store */
  public UserQueries(Pool pool) {
    this.pool = pool;
  }

  /** @return the account with this id, or null when none (or only a deleted one) has it */
  public Future<Details> find(UUID id) {
    return find(pool, id);
  }

  /** @return the account with this id as the client sees it (in its transaction, say), or null */
  public Future<Details> find(SqlClient client, UUID id) {
    return client.preparedQuery(BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : details(rows.iterator().next()));
  }

  /** @return the id of the directory of this name, or null when there is none */
  public Future<UUID> directoryId(String name) {
    return pool.preparedQuery(DIRECTORY_ID).execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  /** @return one page of the accounts the filter matches, soft-deleted ones left out, in id order */
  public Future<Page> list(Filter filter) {
    List<String> where = new ArrayList<>(List.of("NOT r.deleted"));
    Tuple params = Tuple.tuple();
    if (filter.status() != null) {
      params.addString(filter.status().id());
      where.add("u.status = $" + params.size());
    }
    if (filter.department() != null) {
      params.addString(filter.department());
      where.add("u.department = $" + params.size());
    }
    if (filter.directory() != null) {
      params.addString(filter.directory());
      where.add("d.name = $" + params.size());
    }
    if (filter.provisioningMethod() != null) {
      params.addString(filter.provisioningMethod().id());
      where.add("u.provisioning_method = $" + params.size());
    }
    if (filter.text() != null) {
      params.addString("%" + likeEscaped(filter.text().toLowerCase(Locale.ROOT)) + "%");
      String p = "$" + params.size();
      where.add("(lower(u.username) LIKE " + p + " OR lower(u.email) LIKE " + p
          + " OR lower(u.display_name) LIKE " + p + ")");
    }
    if (filter.after() != null) {
      params.addUUID(filter.after());
      where.add("u.resource_id > $" + params.size());
    }
    params.addInteger(filter.limit() + 1);
    String sql = "SELECT " + COLUMNS + FROM + "WHERE " + String.join(" AND ", where)
        + " ORDER BY u.resource_id LIMIT $" + params.size();
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      List<Details> items = new ArrayList<>();
      rows.forEach(row -> items.add(details(row)));
      boolean more = items.size() > filter.limit();
      return new Page(more ? List.copyOf(items.subList(0, filter.limit())) : List.copyOf(items), more);
    });
  }

  /**
   * Creates an account by hand: provisioning method {@code manual}.
   *
   * @return the account created
   * @throws AccountException (as the failure) {@link Reason#USERNAME_TAKEN} when another account
   *     of the same directory (or of none) has the username, ignoring case
   */
  public Future<Details> create(NewUser user) {
    return pool.withTransaction(connection -> create(connection, user));
  }

  /**
   * Creates an account by hand in the caller's transaction.
   *
   * @param connection a connection with a transaction begun
   * @return the account created
   * @throws AccountException (as the failure) {@link Reason#USERNAME_TAKEN} as {@link #create(NewUser)}
   */
  public Future<Details> create(SqlConnection connection, NewUser user) {
    return insert(connection, user)
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? new AccountException(Reason.USERNAME_TAKEN, "another account has the username") : e))
        .compose(id -> find(connection, id));
  }

  private static Future<UUID> insert(SqlConnection connection, NewUser user) {
    Map<ProfileField, String> p = user.profile();
    String shown = p.getOrDefault(ProfileField.DISPLAY_NAME, user.username());
    return connection.preparedQuery(INSERT_RESOURCE).execute(Tuple.of(shown, user.username()))
        .compose(rows -> {
          UUID id = rows.iterator().next().getUUID("id");
          return connection.preparedQuery(INSERT_USER).execute(Tuple.from(new Object[] {
              id, user.directoryId(), user.username(), p.get(ProfileField.EMAIL), p.get(ProfileField.FIRST_NAME),
              p.get(ProfileField.LAST_NAME), p.get(ProfileField.DISPLAY_NAME), p.get(ProfileField.DEPARTMENT),
              p.get(ProfileField.EMPLOYEE_TYPE), p.get(ProfileField.MANAGER), user.status().id()}))
              .map(id);
        });
  }

  /**
   * Changes profile fields: each field in the map is set to its value, or cleared when the value
   * is null; the others are kept.
   *
   * @param changes at least one field
   * @return the account as changed, or null when no (undeleted) account has the id
   */
  public Future<Details> patch(UUID id, Map<ProfileField, String> changes) {
    return patch(pool, id, changes);
  }

  /** As {@link #patch(UUID, Map)}, through the client (a connection in a transaction, say). */
  public Future<Details> patch(SqlClient client, UUID id, Map<ProfileField, String> changes) {
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("nothing to change");
    }
    List<ProfileField> fields = List.copyOf(changes.keySet());
    Tuple params = Tuple.of(id);
    fields.forEach(f -> params.addValue(changes.get(f)));
    String sets = fields.stream().map(f -> f.column + " = $" + (fields.indexOf(f) + 2))
        .collect(Collectors.joining(", "));
    String sql = "UPDATE users u SET " + sets + " FROM resources r WHERE r.id = u.resource_id AND NOT r.deleted"
        + " AND u.resource_id = $1";
    return client.preparedQuery(sql).execute(params)
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null) : find(client, id));
  }

  private static Details details(Row row) {
    Map<ProfileField, String> profile = new EnumMap<>(ProfileField.class);
    for (ProfileField field : ProfileField.values()) {
      String value = row.getString(field.column);
      if (value != null) {
        profile.put(field, value);
      }
    }
    return new Details(row.getUUID("resource_id"), row.getUUID("directory_id"), row.getString("directory_name"),
        row.getString("username"), profile, AccountStatus.of(row.getString("status")),
        ProvisioningMethod.of(row.getString("provisioning_method")), AccountKind.of(row.getString("account_kind")),
        row.getBoolean("saml_linked"), instant(row.getOffsetDateTime("last_login_at")),
        instant(row.getOffsetDateTime("last_sync_at")), instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  /** Escapes LIKE's wildcards and its escape character (backslash) so the text matches literally. */
  static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
