package io.authgate.sync.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A directory's sync bookkeeping ({@code directory_sync_state}): the incremental watermark and
 * when the last full and the last successful sync ran. Immutable; nullable fields are null before
 * the first sync.
 *
 * @param watermark the highest change stamp seen
 * @param lastFullAt the last successful full sync
 * @param lastSuccessAt the last successful sync of either mode
 */
record SyncState(String watermark, Instant lastFullAt, Instant lastSuccessAt) {
  private static final String READ = "SELECT watermark, last_full_at, last_success_at FROM directory_sync_state "
      + "WHERE directory_id = $1";
  private static final String SAVE = """
      INSERT INTO directory_sync_state (directory_id, watermark, last_full_at, last_success_at, last_job_id)
      VALUES ($1, $2, CASE WHEN $3 THEN now() END, now(), $4)
      ON CONFLICT (directory_id) DO UPDATE SET watermark = coalesce(EXCLUDED.watermark, directory_sync_state.watermark),
        last_full_at = coalesce(EXCLUDED.last_full_at, directory_sync_state.last_full_at),
        last_success_at = now(), last_job_id = EXCLUDED.last_job_id, updated_at = now()
      RETURNING last_success_at""";

  static Future<SyncState> read(SqlClient client, UUID directoryId) {
    return client.preparedQuery(READ).execute(Tuple.of(directoryId)).map(rows -> {
      if (rows.size() == 0) {
        return new SyncState(null, null, null);
      }
      var row = rows.iterator().next();
      return new SyncState(row.getString("watermark"), instant(row.getOffsetDateTime("last_full_at")),
          instant(row.getOffsetDateTime("last_success_at")));
    });
  }

  /** Records a successful run. @return when */
  static Future<Instant> saveSuccess(SqlClient client, UUID directoryId, String watermark, boolean full, UUID jobId) {
    return client.preparedQuery(SAVE).execute(Tuple.of(directoryId, watermark, full, jobId))
        .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
