/* The fleet's PostgreSQL schema and its migrations, versioned like the appliance's
 * (src/store/schema.c): steps are append only, each applied in its own transaction together
 * with the version it brings, under a lock, so two `init`s never apply a step twice. One row per
 * device keeps what was ingested last (the chains' last rows), so ingest checks continuity
 * without scanning the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

static const char *const fleet_steps[] = {
    /* 1: devices, their rows, and the record of every export ingested. */
    "CREATE TABLE devices ("
    "  device_id text PRIMARY KEY CHECK (device_id ~ '^[0-9a-f]{16}$'),"
    "  public_key bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),"
    "  ward text NOT NULL CHECK (length(ward) > 0),"
    "  enrolled_at timestamptz NOT NULL DEFAULT now(),"
    "  airing_seq bigint NOT NULL DEFAULT 0,"
    "  airing_hash text NOT NULL DEFAULT repeat('0', 64),"
    "  clock_seq bigint NOT NULL DEFAULT 0,"
    "  clock_hash text NOT NULL DEFAULT repeat('0', 64),"
    "  last_export_no bigint NOT NULL DEFAULT 0,"
    "  last_export_at timestamptz,"
    "  last_ingest_at timestamptz,"
    "  appliance_head bigint NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE exports ("
    "  device_id text NOT NULL REFERENCES devices,"
    "  export_no bigint NOT NULL,"
    "  sha256 text NOT NULL,"
    "  created_at timestamptz NOT NULL,"
    "  ingested_at timestamptz NOT NULL DEFAULT now(),"
    "  airing_first bigint NOT NULL, airing_last bigint NOT NULL,"
    "  rows_added bigint NOT NULL,"
    "  PRIMARY KEY (device_id, export_no)"
    ");"
    "CREATE TABLE airing_events ("
    "  device_id text NOT NULL REFERENCES devices, seq bigint NOT NULL, kind text NOT NULL,"
    "  airing bigint NOT NULL, item_id text, title text, topic text, sha256 text,"
    "  playlist_id text, playlist_version integer, session_id text, scheduled_at bigint,"
    "  started_at_ms bigint, ended_at_ms bigint, duration_ms bigint, status text NOT NULL,"
    "  reason text, clock_trusted smallint NOT NULL, logged_at_ms bigint NOT NULL,"
    "  text_sha256 text, prev_hash text NOT NULL, hash text NOT NULL,"
    "  PRIMARY KEY (device_id, seq)"
    ");"
    /* The report reads a period of every ward's slots; the remarks one ward's. */
    "CREATE INDEX airing_events_slot ON airing_events (scheduled_at) WHERE kind <> 'end';"
    "CREATE INDEX airing_events_device_slot ON airing_events (device_id, scheduled_at)"
    "  WHERE kind <> 'end';"
    "CREATE INDEX airing_events_end ON airing_events (device_id, airing) WHERE kind = 'end';"
    "CREATE TABLE clock_events ("
    "  device_id text NOT NULL REFERENCES devices, seq bigint NOT NULL,"
    "  detected_at_ms bigint NOT NULL, jump_ms bigint NOT NULL, mono_ns bigint NOT NULL,"
    "  note text, logged_at_ms bigint NOT NULL, prev_hash text NOT NULL, hash text NOT NULL,"
    "  PRIMARY KEY (device_id, seq)"
    ");"
    "CREATE TABLE impressions ("
    "  device_id text NOT NULL REFERENCES devices, day date NOT NULL, playlist_id text NOT NULL,"
    "  notice_id text NOT NULL, trusted smallint NOT NULL, shows bigint NOT NULL,"
    "  seconds double precision NOT NULL,"
    "  PRIMARY KEY (device_id, day, playlist_id, notice_id, trusted)"
    ");"
    "CREATE INDEX impressions_day ON impressions (day);"
    "CREATE TABLE target_sets ("
    "  device_id text NOT NULL REFERENCES devices, set_id bigint NOT NULL,"
    "  playlist_id text NOT NULL, playlist_version integer NOT NULL,"
    "  in_force_from bigint NOT NULL, recorded_at bigint NOT NULL,"
    "  PRIMARY KEY (device_id, set_id)"
    ");"
    "CREATE TABLE target_defs ("
    "  device_id text NOT NULL, set_id bigint NOT NULL, target_id text NOT NULL,"
    "  label text NOT NULL, channel text NOT NULL, topic text, period text NOT NULL,"
    "  minimum integer NOT NULL, counts text NOT NULL, from_day text, until_day text,"
    "  PRIMARY KEY (device_id, set_id, target_id),"
    "  FOREIGN KEY (device_id, set_id) REFERENCES target_sets"
    ");"
    "CREATE TABLE playlists ("
    "  device_id text NOT NULL REFERENCES devices, activation bigint NOT NULL,"
    "  id text NOT NULL, version integer NOT NULL, title text NOT NULL,"
    "  activated_at bigint NOT NULL,"
    "  PRIMARY KEY (device_id, activation)"
    ");"
    /* Refusals are kept: the report names devices whose exports did not hold together. */
    "CREATE TABLE refusals ("
    "  id bigserial PRIMARY KEY, device_id text, file text NOT NULL,"
    "  refused_at timestamptz NOT NULL DEFAULT now(), message text NOT NULL"
    ");",

    /* 2: no foreign keys on the rows: their per-row checks were half the time of a COPY
     * (bench/fleet.sh), and only ingest writes rows, for a device it has just read and locked. */
    "ALTER TABLE airing_events DROP CONSTRAINT IF EXISTS airing_events_device_id_fkey;"
    "ALTER TABLE clock_events DROP CONSTRAINT IF EXISTS clock_events_device_id_fkey;"
    "ALTER TABLE impressions DROP CONSTRAINT IF EXISTS impressions_device_id_fkey;"
    "ALTER TABLE target_defs DROP CONSTRAINT IF EXISTS target_defs_device_id_set_id_fkey;"
    "ALTER TABLE target_sets DROP CONSTRAINT IF EXISTS target_sets_device_id_fkey;"
    "ALTER TABLE playlists DROP CONSTRAINT IF EXISTS playlists_device_id_fkey;",

    /* 3: the report reads summaries that ingest keeps in the same transaction, not the raw
     * rows, and the raw rows keep only indexes that start with the device. An index on time
     * alone (airing_events_slot, impressions_day) took every ward's new rows at places spread
     * over the whole index, which is what made a COPY slower as the city grew; the impressions'
     * five-column key only checked what the export's own key already guarantees (ingest clears
     * a device's days before loading them). Summaries, by device and the appliance's local day
     * (UTC+7, as bt_time_day_of):
     *   ward_days: airings by outcome, completed minutes, airings under an untrusted clock, and
     *     the screen's trusted shows and seconds (all / of notices shown at least once);
     *   item_days: completed airings (kind 'start') by item and topics, for the loudspeaker
     *     targets (distinct items, airings, minutes);
     *   notice_months: the notices shown on a trusted day of a month, for the screen targets'
     *     distinct notices over whole months (the days of a partial month read impressions).
     * fleet_refresh(device, day) rebuilds a device's summaries from that day on; ingest calls
     * it from the first day its rows touched (an 'end' row touches its start's day). */
    "DROP INDEX IF EXISTS airing_events_slot;"
    "DROP INDEX IF EXISTS impressions_day;"
    "ALTER TABLE impressions DROP CONSTRAINT IF EXISTS impressions_pkey;"
    "CREATE INDEX impressions_device_day ON impressions (device_id, day);"
    "CREATE TABLE ward_days ("
    "  device_id text NOT NULL, day date NOT NULL,"
    "  done integer NOT NULL, missed integer NOT NULL, cut integer NOT NULL,"
    "  failed integer NOT NULL, untrusted integer NOT NULL, done_ms bigint NOT NULL,"
    "  shows bigint NOT NULL, secs double precision NOT NULL,"
    "  shown_secs double precision NOT NULL,"
    "  PRIMARY KEY (device_id, day)"
    ");"
    "CREATE INDEX ward_days_day ON ward_days (day);"
    "CREATE TABLE item_days ("
    "  device_id text NOT NULL, day date NOT NULL, item_id text, topic text,"
    "  airings integer NOT NULL, ms bigint NOT NULL"
    ");"
    "CREATE INDEX item_days_device_day ON item_days (device_id, day);"
    "CREATE INDEX item_days_day ON item_days (day);"
    "CREATE TABLE notice_months ("
    "  device_id text NOT NULL, month date NOT NULL, notice_id text NOT NULL,"
    "  PRIMARY KEY (device_id, month, notice_id)"
    ");"
    "CREATE INDEX notice_months_month ON notice_months (month);"
    "CREATE FUNCTION fleet_day(t bigint) RETURNS date LANGUAGE sql IMMUTABLE AS"
    "  $$ SELECT date '1970-01-01' + ((t + 25200) / 86400)::integer $$;"
    /* No nested loops: it runs right after a COPY, before any ANALYZE, when the planner takes
     * a device's thousands of new rows for a handful and joined them row by row (12 s for one
     * ward-year instead of 0.06 s). */
    "CREATE FUNCTION fleet_refresh(dev text, from_day date) RETURNS void LANGUAGE plpgsql"
    "  SET enable_nestloop = off AS $$"
    "DECLARE"
    "  t0 bigint := (from_day - date '1970-01-01')::bigint * 86400 - 25200;"
    "  m0 date := from_day - (extract(day FROM from_day)::integer - 1);"
    "BEGIN"
    "  DELETE FROM ward_days WHERE device_id = dev AND day >= from_day;"
    "  DELETE FROM item_days WHERE device_id = dev AND day >= from_day;"
    "  DELETE FROM notice_months WHERE device_id = dev AND month >= m0;"
    "  CREATE TEMP TABLE IF NOT EXISTS fleet_slots (day date, kind text, st text, trusted smallint,"
    "    item_id text, topic text, ms bigint) ON COMMIT DROP;"
    "  TRUNCATE fleet_slots;"
    "  INSERT INTO fleet_slots SELECT fleet_day(a.scheduled_at), a.kind,"
    "    CASE WHEN a.kind = 'record' THEN a.status ELSE COALESCE(e.status, 'airing') END,"
    "    a.clock_trusted, a.item_id, a.topic, e.duration_ms"
    "   FROM airing_events a LEFT JOIN airing_events e"
    "    ON e.device_id = a.device_id AND e.kind = 'end' AND e.airing = a.seq"
    "   WHERE a.device_id = dev AND a.kind <> 'end' AND a.scheduled_at >= t0;"
    "  INSERT INTO ward_days SELECT dev, day, sum(done), sum(missed), sum(cut), sum(failed),"
    "    sum(untrusted), sum(done_ms), sum(shows), sum(secs), sum(shown_secs) FROM ("
    "   SELECT day, count(*) FILTER (WHERE st = 'completed') AS done,"
    "    count(*) FILTER (WHERE st = 'missed') AS missed,"
    "    count(*) FILTER (WHERE st = 'interrupted') AS cut,"
    "    count(*) FILTER (WHERE st = 'failed') AS failed,"
    "    count(*) FILTER (WHERE trusted = 0) AS untrusted,"
    "    COALESCE(sum(ms) FILTER (WHERE st = 'completed'), 0) AS done_ms,"
    "    0 AS shows, 0 AS secs, 0 AS shown_secs FROM fleet_slots GROUP BY day"
    "   UNION ALL"
    "   SELECT day, 0, 0, 0, 0, 0, 0, sum(shows), sum(seconds),"
    "    COALESCE(sum(seconds) FILTER (WHERE shows > 0), 0) FROM impressions"
    "   WHERE device_id = dev AND trusted = 1 AND day >= from_day GROUP BY day) u"
    "  GROUP BY day;"
    "  INSERT INTO item_days SELECT dev, day, item_id, topic, count(*), COALESCE(sum(ms), 0)"
    "   FROM fleet_slots WHERE kind = 'start' AND st = 'completed'"
    "   GROUP BY day, item_id, topic;"
    /* The month by date arithmetic: date_trunc goes through a timestamp, 4 times slower. */
    "  INSERT INTO notice_months SELECT dev, day - (extract(day FROM day)::integer - 1),"
    "    notice_id FROM impressions WHERE device_id = dev AND trusted = 1 AND shows > 0"
    "    AND day >= m0 GROUP BY 2, 3;"
    "END $$;"
    /* The summaries of what an earlier version ingested. */
    "DO $$ BEGIN PERFORM fleet_refresh(device_id, date '1970-01-01') FROM devices; END $$;",

    /* 4: what staff recorded by hand on the channels the appliance cannot observe (export
     * format 2: the store's staff_records, step 11), kept by the store's row id; a correction
     * is a row of negative count naming the one it undoes. export_version: the newest export
     * format a device has sent — before 2 its records are unknown, not zero. */
    "CREATE TABLE staff_records ("
    "  device_id text NOT NULL, id bigint NOT NULL,"
    "  channel text NOT NULL, day date NOT NULL, title text, count integer NOT NULL,"
    "  topic text, link text, note text, source text NOT NULL, entry_key text,"
    "  corrects bigint, playlist_id text NOT NULL, playlist_version integer NOT NULL,"
    "  recorded_at bigint NOT NULL, updated_at bigint NOT NULL,"
    "  PRIMARY KEY (device_id, id)"
    ");"
    "CREATE INDEX staff_records_day ON staff_records (day);"
    "ALTER TABLE devices ADD COLUMN export_version integer NOT NULL DEFAULT 1;",

    /* 5: the screen's rows keyed by a device number, not the 16-character id: they are five
     * in six of the rows an export carries, and a COPY into the table and its (device, day)
     * index took a third less time with an integer there (bench/fleet.sh); and a video
     * notice's plays, whole and cut short (export format 3: the store's impressions
     * video_whole, video_cut, step 12), in the screen rows and each ward's days. */
    "ALTER TABLE devices ADD COLUMN device_no integer GENERATED ALWAYS AS IDENTITY UNIQUE;"
    "ALTER TABLE impressions RENAME TO impressions_v4;"
    "CREATE TABLE impressions ("
    "  device_no integer NOT NULL, day date NOT NULL, playlist_id text NOT NULL,"
    "  notice_id text NOT NULL, trusted smallint NOT NULL, shows bigint NOT NULL,"
    "  seconds double precision NOT NULL, video_whole integer NOT NULL DEFAULT 0,"
    "  video_cut integer NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO impressions (device_no, day, playlist_id, notice_id, trusted, shows, seconds)"
    "  SELECT d.device_no, i.day, i.playlist_id, i.notice_id, i.trusted, i.shows, i.seconds"
    "  FROM impressions_v4 i JOIN devices d USING (device_id);"
    "DROP TABLE impressions_v4;"
    "CREATE INDEX impressions_device_day ON impressions (device_no, day);"
    "ALTER TABLE ward_days ADD COLUMN video_whole bigint NOT NULL DEFAULT 0,"
    "  ADD COLUMN video_cut bigint NOT NULL DEFAULT 0;"
    /* The screen's rows read once for both summaries: by day and by month and notice. With
     * the default work_mem (4 MB) a ward-year's groups did not fit a hash table and were
     * sorted by their text keys under the database's collation instead: 0.18 s of CPU per
     * ward-year for the refresh, 0.12 s with room to hash (bench/fleet.sh, 20 wards × 1 year). */
    "CREATE OR REPLACE FUNCTION fleet_refresh(dev text, from_day date) RETURNS void"
    "  LANGUAGE plpgsql SET enable_nestloop = off SET work_mem = '64MB' AS $$"
    "DECLARE"
    "  t0 bigint := (from_day - date '1970-01-01')::bigint * 86400 - 25200;"
    "  m0 date := from_day - (extract(day FROM from_day)::integer - 1);"
    "  dno integer := (SELECT device_no FROM devices WHERE device_id = dev);"
    "BEGIN"
    "  DELETE FROM ward_days WHERE device_id = dev AND day >= from_day;"
    "  DELETE FROM item_days WHERE device_id = dev AND day >= from_day;"
    "  DELETE FROM notice_months WHERE device_id = dev AND month >= m0;"
    "  CREATE TEMP TABLE IF NOT EXISTS fleet_slots (day date, kind text, st text, trusted smallint,"
    "    item_id text, topic text, ms bigint) ON COMMIT DROP;"
    "  TRUNCATE fleet_slots;"
    "  INSERT INTO fleet_slots SELECT fleet_day(a.scheduled_at), a.kind,"
    "    CASE WHEN a.kind = 'record' THEN a.status ELSE COALESCE(e.status, 'airing') END,"
    "    a.clock_trusted, a.item_id, a.topic, e.duration_ms"
    "   FROM airing_events a LEFT JOIN airing_events e"
    "    ON e.device_id = a.device_id AND e.kind = 'end' AND e.airing = a.seq"
    "   WHERE a.device_id = dev AND a.kind <> 'end' AND a.scheduled_at >= t0;"
    "  CREATE TEMP TABLE IF NOT EXISTS fleet_screen (day date, month date, notice_id text,"
    "    by_month integer, seen boolean, shows bigint, secs double precision,"
    "    shown_secs double precision, video_whole bigint, video_cut bigint) ON COMMIT DROP;"
    "  TRUNCATE fleet_screen;"
    "  INSERT INTO fleet_screen SELECT day, month, notice_id, GROUPING(day),"
    "    bool_or(shows > 0), sum(shows), sum(seconds),"
    "    COALESCE(sum(seconds) FILTER (WHERE shows > 0), 0), sum(video_whole), sum(video_cut)"
    "   FROM (SELECT day, day - (extract(day FROM day)::integer - 1) AS month, notice_id, shows,"
    "     seconds, video_whole, video_cut FROM impressions"
    "     WHERE device_no = dno AND trusted = 1 AND day >= m0) i"
    "   GROUP BY GROUPING SETS ((day), (month, notice_id));"
    "  INSERT INTO ward_days SELECT dev, day, sum(done), sum(missed), sum(cut), sum(failed),"
    "    sum(untrusted), sum(done_ms), sum(shows), sum(secs), sum(shown_secs),"
    "    sum(video_whole), sum(video_cut) FROM ("
    "   SELECT day, count(*) FILTER (WHERE st = 'completed') AS done,"
    "    count(*) FILTER (WHERE st = 'missed') AS missed,"
    "    count(*) FILTER (WHERE st = 'interrupted') AS cut,"
    "    count(*) FILTER (WHERE st = 'failed') AS failed,"
    "    count(*) FILTER (WHERE trusted = 0) AS untrusted,"
    "    COALESCE(sum(ms) FILTER (WHERE st = 'completed'), 0) AS done_ms,"
    "    0 AS shows, 0 AS secs, 0 AS shown_secs, 0 AS video_whole, 0 AS video_cut"
    "    FROM fleet_slots GROUP BY day"
    "   UNION ALL"
    "   SELECT day, 0, 0, 0, 0, 0, 0, shows, secs, shown_secs, video_whole, video_cut"
    "    FROM fleet_screen WHERE by_month = 0 AND day >= from_day) u"
    "  GROUP BY day;"
    "  INSERT INTO item_days SELECT dev, day, item_id, topic, count(*), COALESCE(sum(ms), 0)"
    "   FROM fleet_slots WHERE kind = 'start' AND st = 'completed'"
    "   GROUP BY day, item_id, topic;"
    "  INSERT INTO notice_months SELECT dev, month, notice_id FROM fleet_screen"
    "   WHERE by_month = 1 AND seen;"
    "END $$;"
    "DO $$ BEGIN PERFORM fleet_refresh(device_id, date '1970-01-01') FROM devices; END $$;",
};

#define STEP_COUNT ((int)(sizeof fleet_steps / sizeof fleet_steps[0]))

int fleet_schema_latest(void)
{
    return STEP_COUNT;
}

const char *fleet_pg_error(PGconn *db, char *buf, size_t size)
{
    const char *m = PQerrorMessage(db);
    size_t n = strcspn(m, "\n");
    snprintf(buf, size, "%.*s", (int)n, m);
    return buf;
}

PGconn *fleet_connect(const char *url, char *err, size_t err_size)
{
    PGconn *db = PQconnectdb(url);
    char why[512];
    if (!db || PQstatus(db) != CONNECTION_OK) {
        snprintf(err, err_size, "không kết nối được cơ sở dữ liệu \"%s\": %s. Kiểm tra --db "
                 "(ví dụ postgresql:///bangtin_fleet) và PostgreSQL đang chạy.",
                 url, db ? fleet_pg_error(db, why, sizeof why) : "hết bộ nhớ");
        PQfinish(db);
        return NULL;
    }
    /* Notices (a table already there …) are PostgreSQL's English: not for staff. */
    PQclear(PQexec(db, "SET client_min_messages = warning"));
    return db;
}

PGresult *fleet_exec(PGconn *db, ExecStatusType want, char *err, size_t err_size, const char *sql,
                     int n, const char *const *params)
{
    /* PostgreSQL refuses a parameter the statement does not use: the callers pass one set of
     * parameters to several statements, each using the first few. */
    char mark[16];
    for (; n > 0; n--) {
        snprintf(mark, sizeof mark, "$%d", n);
        if (strstr(sql, mark))
            break;
    }
    /* Every parameter is text (a statement casts what it needs): a parameter a statement
     * does not use then needs no type of its own. */
    static const Oid text_types[16] = {25, 25, 25, 25, 25, 25, 25, 25,
                                       25, 25, 25, 25, 25, 25, 25, 25};
    PGresult *r = PQexecParams(db, sql, n, n <= 16 ? text_types : NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) == want)
        return r;
    char why[512];
    snprintf(err, err_size, "lỗi cơ sở dữ liệu: %s", fleet_pg_error(db, why, sizeof why));
    PQclear(r);
    return NULL;
}

int fleet_schema_version(PGconn *db)
{
    PGresult *r = PQexec(db, "SELECT version FROM fleet_schema");
    int v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                ? atoi(PQgetvalue(r, 0, 0))
                : PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        /* No table yet is version 0; anything else is an error. */
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        v = state && strcmp(state, "42P01") == 0 ? 0 : -1;
    }
    PQclear(r);
    return v;
}

int fleet_migrate(PGconn *db, int *version, char *err, size_t err_size)
{
    char why[512];
    PGresult *r = PQexec(db, "CREATE TABLE IF NOT EXISTS fleet_schema (version integer NOT NULL);"
                             "INSERT INTO fleet_schema SELECT 0 WHERE NOT EXISTS"
                             " (SELECT 1 FROM fleet_schema)");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        snprintf(err, err_size, "không tạo được bảng phiên bản: %s",
                 fleet_pg_error(db, why, sizeof why));
        return -1;
    }
    for (;;) {
        PQclear(PQexec(db, "BEGIN"));
        r = PQexec(db, "SELECT version FROM fleet_schema FOR UPDATE");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            PQclear(r);
            PQclear(PQexec(db, "ROLLBACK"));
            snprintf(err, err_size, "bảng fleet_schema hỏng: %s",
                     fleet_pg_error(db, why, sizeof why));
            return -1;
        }
        *version = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        if (*version > STEP_COUNT) {
            PQclear(PQexec(db, "ROLLBACK"));
            snprintf(err, err_size, "cơ sở dữ liệu có phiên bản %d, mới hơn phiên bản %d mà "
                     "bangtin-fleet này hiểu: cài bản mới hơn", *version, STEP_COUNT);
            return -1;
        }
        if (*version == STEP_COUNT) {
            PQclear(PQexec(db, "COMMIT"));
            return 0;
        }
        char set[96];
        snprintf(set, sizeof set, "UPDATE fleet_schema SET version = %d", *version + 1);
        r = PQexec(db, fleet_steps[*version]);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (ok) {
            r = PQexec(db, set);
            ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
        }
        if (!ok) {
            snprintf(err, err_size, "không nâng được cơ sở dữ liệu lên phiên bản %d: %s",
                     *version + 1, fleet_pg_error(db, why, sizeof why));
            PQclear(PQexec(db, "ROLLBACK"));
            return -1;
        }
        r = PQexec(db, "COMMIT");
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!ok) {
            snprintf(err, err_size, "không ghi được phiên bản %d: %s", *version + 1,
                     fleet_pg_error(db, why, sizeof why));
            return -1;
        }
    }
}
