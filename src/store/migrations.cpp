// Schema history. Each entry moves user_version from its index to index+1; entries are never
// edited once released, only appended.
#include "seedrun/store/migrations.hpp"

#include <fmt/format.h>

namespace seedrun::store {
namespace {

const char* const k_migrations[] = {
    // v1: campaigns, runs (one row per attempt), metric points, submissions.
    R"sql(
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('baseline', 'experiment')),
  flags TEXT NOT NULL DEFAULT '[]',
  command_key TEXT NOT NULL,
  command TEXT NOT NULL,
  train_tokens INTEGER NOT NULL,
  metric TEXT NOT NULL,
  goal TEXT NOT NULL,
  executor TEXT NOT NULL,
  state TEXT NOT NULL,
  verdict TEXT,
  config_path TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  arm TEXT NOT NULL,
  phase TEXT NOT NULL,
  job_name TEXT NOT NULL,
  state TEXT NOT NULL,
  job_id TEXT,
  array_spec TEXT NOT NULL,
  created_at TEXT NOT NULL,
  message TEXT
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  arm TEXT NOT NULL,
  seed INTEGER NOT NULL,
  phase TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 1,
  superseded INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  reason TEXT,
  exit_code INTEGER,
  signal INTEGER,
  started_at TEXT,
  ended_at TEXT,
  wall_time REAL,
  log_path TEXT NOT NULL,
  log_offset INTEGER NOT NULL DEFAULT 0,
  log_identity TEXT,
  log_done INTEGER NOT NULL DEFAULT 0,
  warning TEXT,
  output_dir TEXT NOT NULL,
  checkpoint_cleaned INTEGER NOT NULL DEFAULT 0,
  submission_id INTEGER REFERENCES submissions(id),
  array_index INTEGER,
  job_id TEXT,
  UNIQUE (campaign_id, seed, attempt)
);
CREATE INDEX runs_by_campaign ON runs(campaign_id);
CREATE TABLE metric_points (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  step INTEGER,
  name TEXT NOT NULL,
  value,
  PRIMARY KEY (run_id, name, seq)
);
)sql",
    // v2: a run whose log vanished or was replaced while it ran has an unreliable last value.
    R"sql(
ALTER TABLE runs ADD COLUMN metric_unreliable INTEGER NOT NULL DEFAULT 0;
)sql",
    // v3: baseline identity (which code a campaign ran: docs/method.md "Baseline identity"),
    // baselines imported from a report's JSON twin, and whether a run's output directory
    // existed before seedrun planned the run (only directories seedrun created are removed).
    R"sql(
ALTER TABLE campaigns ADD COLUMN identity_key TEXT;
ALTER TABLE campaigns ADD COLUMN identity TEXT;
ALTER TABLE campaigns ADD COLUMN origin TEXT;
ALTER TABLE runs ADD COLUMN output_dir_preexisted INTEGER;
CREATE INDEX campaigns_by_identity ON campaigns(identity_key);
)sql",
    // v4: why a CANCELLED run was cancelled (store::CancelCause), explicit instead of read from
    // the reason's text; rows written before are given theirs from that text, once, here.
    R"sql(
ALTER TABLE runs ADD COLUMN cancel_cause TEXT;
UPDATE runs SET cancel_cause = CASE
  WHEN reason LIKE 'interrupted (Ctrl-C)%' THEN 'signal'
  WHEN reason LIKE 'interrupted%' THEN 'orphaned'
  WHEN reason LIKE 'cancelled by seedrun cancel%' THEN 'user_cancel'
  WHEN reason LIKE 'not run: fail\_fast%' ESCAPE '\' THEN 'fail_fast'
  ELSE 'external' END
WHERE state = 'CANCELLED';
)sql",
    // v5 (speed, bench/run.sh): an index on runs.state, so that an idle tick reads the unfinished
    // runs only (Store::waiting_runs), not every run ever stored; metric_points WITHOUT ROWID: the
    // table is its (run_id, name, seq) key, one b-tree insert per point instead of two.
    R"sql(
CREATE INDEX IF NOT EXISTS runs_by_state ON runs(state);
CREATE TABLE metric_points_v5 (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  step INTEGER,
  name TEXT NOT NULL,
  value,
  PRIMARY KEY (run_id, name, seq)
) WITHOUT ROWID;
INSERT INTO metric_points_v5 (run_id, seq, step, name, value) SELECT run_id, seq, step, name, value FROM metric_points;
DROP TABLE metric_points;
ALTER TABLE metric_points_v5 RENAME TO metric_points;
)sql",
    // v6 (issue 12): where each file source of a run (metrics.jsonl, trainer_state.json, TensorBoard
    // event files) was read up to, as the reader's cursor text (track::SourceCursor::encode), so
    // that a refresh reads only what is new. One row per run and metric read from a file.
    R"sql(
CREATE TABLE IF NOT EXISTS metric_cursors (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  cursor TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
)sql",
};

} // namespace

int latest_schema_version() {
  return static_cast<int>(std::size(k_migrations));
}

void migrate(Database& db) {
  if (db.user_version() == latest_schema_version()) {
    return; // current: nothing to write, so a read-only command (status) commits and fsyncs nothing
  }
  db.transaction([&] {
    int v = db.user_version();
    if (v > latest_schema_version()) {
      throw Error(fmt::format("the store was written by a newer seedrun (schema v{}, this one knows v{})", v,
                              latest_schema_version()));
    }
    for (; v < latest_schema_version(); ++v) {
      db.exec(k_migrations[v]);
    }
    db.set_user_version(latest_schema_version());
  });
}

} // namespace seedrun::store
