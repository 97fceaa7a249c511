#include "seedrun/store/store.hpp"

#include "seedrun/store/migrations.hpp"
#include "seedrun/util/filesystem_kind.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace seedrun::store {
namespace {

std::string to_json_array(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump();
}

// The text columns of the typed fields, read once here. A word this binary does not know was
// written by a newer seedrun: an error that says so, never a guess.
template <class E> E typed(std::optional<E> v, const char* what, const std::string& text) {
  if (!v) {
    throw Error(fmt::format("the store holds {} '{}', which this seedrun does not know (written by a newer "
                            "version?)",
                            what, text));
  }
  return *v;
}

std::optional<util::TimePoint> opt_time(const std::optional<std::string>& text) {
  return text ? util::parse_iso8601(*text) : std::nullopt;
}

std::optional<std::string> opt_iso(const std::optional<util::TimePoint>& t) {
  return t ? std::optional<std::string>(util::iso8601(*t)) : std::nullopt;
}

std::optional<std::string> opt_cause(const std::optional<CancelCause>& c) {
  return c ? std::optional<std::string>(to_string(*c)) : std::nullopt;
}

std::vector<std::string> from_json_array(const std::string& s) {
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (!j.is_array()) {
    return {};
  }
  return j.get<std::vector<std::string>>();
}

constexpr const char* k_campaign_cols =
    "id, key, name, kind, flags, command_key, command, train_tokens, metric, goal, executor, state, verdict, "
    "config_path, created_at, updated_at, identity_key, identity, origin";

Campaign read_campaign(const Statement& st) {
  Campaign c;
  c.id = st.get_int(0);
  c.key = st.get_text(1);
  c.name = st.get_text(2);
  c.kind = st.get_text(3);
  c.flags = from_json_array(st.get_text(4));
  c.command_key = st.get_text(5);
  c.command = from_json_array(st.get_text(6));
  c.train_tokens = st.get_int(7);
  c.metric = st.get_text(8);
  c.goal = typed(parse_goal(st.get_text(9)), "the goal", st.get_text(9));
  c.executor = st.get_text(10);
  c.state = typed(parse_campaign_state(st.get_text(11)), "the campaign state", st.get_text(11));
  c.verdict = st.get_opt_text(12);
  c.config_path = st.get_text(13);
  c.created_at = util::parse_iso8601(st.get_text(14)).value_or(util::TimePoint{});
  c.updated_at = util::parse_iso8601(st.get_text(15)).value_or(util::TimePoint{});
  c.identity_key = st.get_opt_text(16);
  c.identity = st.get_opt_text(17);
  c.origin = st.get_opt_text(18);
  return c;
}

constexpr const char* k_run_cols =
    "r.id, r.campaign_id, r.arm, r.seed, r.phase, r.attempt, r.superseded, r.state, r.reason, r.exit_code, "
    "r.signal, r.started_at, r.ended_at, r.wall_time, r.log_path, r.log_offset, r.log_identity, r.output_dir, "
    "r.checkpoint_cleaned, r.submission_id, r.array_index, r.job_id, r.log_done, r.warning, r.metric_unreliable, "
    "(SELECT value FROM metric_points m WHERE m.run_id = r.id AND m.name = c.metric ORDER BY seq DESC LIMIT 1), "
    "r.output_dir_preexisted, r.cancel_cause";

Run read_run(const Statement& st) {
  Run r;
  r.id = st.get_int(0);
  r.campaign_id = st.get_int(1);
  r.arm = st.get_text(2);
  r.seed = st.get_int(3);
  r.phase = st.get_text(4);
  r.attempt = static_cast<int>(st.get_int(5));
  r.superseded = st.get_int(6) != 0;
  r.state = typed(parse_run_state(st.get_text(7)), "the run state", st.get_text(7));
  r.reason = st.get_opt_text(8);
  auto ec = st.get_opt_int(9);
  r.exit_code = ec ? std::optional<int>(static_cast<int>(*ec)) : std::nullopt;
  auto sig = st.get_opt_int(10);
  r.signal = sig ? std::optional<int>(static_cast<int>(*sig)) : std::nullopt;
  r.started_at = opt_time(st.get_opt_text(11));
  r.ended_at = opt_time(st.get_opt_text(12));
  r.wall_time = st.get_opt_double(13);
  r.log_path = st.get_text(14);
  r.log_offset = st.get_int(15);
  r.log_identity = st.get_opt_text(16);
  r.output_dir = st.get_text(17);
  r.checkpoint_cleaned = st.get_int(18) != 0;
  r.submission_id = st.get_opt_int(19);
  auto ai = st.get_opt_int(20);
  r.array_index = ai ? std::optional<int>(static_cast<int>(*ai)) : std::nullopt;
  r.job_id = st.get_opt_text(21);
  r.log_done = st.get_int(22) != 0;
  r.warning = st.get_opt_text(23);
  r.metric_unreliable = st.get_int(24) != 0;
  r.final_metric = st.get_opt_double(25);
  auto pre = st.get_opt_int(26);
  r.output_dir_preexisted = pre ? std::optional<bool>(*pre != 0) : std::nullopt;
  if (auto cause = st.get_opt_text(27)) {
    r.cancel_cause = typed(parse_cancel_cause(*cause), "the cancel cause", *cause);
  }
  return r;
}

std::optional<long long> opt_ll(const std::optional<int>& v) {
  return v ? std::optional<long long>(*v) : std::nullopt;
}

// Appends `points` to the run's series after its last seq (inside the caller's transaction),
// each under `name` when given, else under its own.
void insert_points(Database& db, long long run_id, const std::vector<MetricPoint>& points, const std::string* name) {
  auto seq_st = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM metric_points WHERE run_id = ?");
  seq_st.bind(1, run_id);
  seq_st.step();
  long long seq = seq_st.get_int(0);
  auto ins = db.prepare("INSERT INTO metric_points (run_id, seq, step, name, value) VALUES (?,?,?,?,?)");
  for (const auto& p : points) {
    ins.reset();
    ins.bind(1, run_id).bind(2, ++seq).bind(3, p.step).bind(4, name != nullptr ? *name : p.name).bind(5, p.value);
    ins.run();
  }
}

} // namespace

std::unique_ptr<Store> Store::open(const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create the state directory {}: {}", state_dir.string(), ec.message()));
  }
  std::unique_ptr<Store> s(new Store(state_dir / "seedrun.db"));
  auto fs = util::filesystem_kind(state_dir);
  s->m_filesystem = fs.name;
  // WAL needs shared memory between processes, which network filesystems do not give.
  s->m_db.exec(fs.network ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL");
  {
    auto jm = s->m_db.prepare("PRAGMA journal_mode");
    jm.step();
    s->m_journal_mode = jm.get_text(0);
  }
  s->m_db.exec("PRAGMA foreign_keys=ON");
  s->m_db.exec("PRAGMA synchronous=FULL");
  // 32 MiB of page cache (SQLite's default is 2 MiB): a refresh settling 100,000 runs touches
  // every page of runs and metric_points; allocated only as pages are read.
  s->m_db.exec("PRAGMA cache_size=-32768");
  migrate(s->m_db);
  return s;
}

std::optional<Campaign> Store::find_campaign(const std::string& key_or_name) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM campaigns WHERE key = ?1 OR name = ?1 ORDER BY "
                                     "(key = ?1) DESC, id DESC LIMIT 1",
                                     k_campaign_cols));
  st.bind(1, key_or_name);
  if (st.step()) {
    return read_campaign(st);
  }
  return std::nullopt;
}

std::optional<Campaign> Store::find_campaign_by_id(long long id) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM campaigns WHERE id = ?", k_campaign_cols));
  st.bind(1, id);
  if (st.step()) {
    return read_campaign(st);
  }
  return std::nullopt;
}

std::optional<Campaign> Store::find_baseline(const std::string& command_key, long long train_tokens) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM campaigns WHERE kind = 'baseline' AND command_key = ? AND "
                                     "train_tokens = ? ORDER BY id DESC LIMIT 1",
                                     k_campaign_cols));
  st.bind(1, command_key).bind(2, train_tokens);
  if (st.step()) {
    return read_campaign(st);
  }
  return std::nullopt;
}

std::optional<Campaign> Store::find_baseline_by_identity(const std::string& identity_key, long long train_tokens) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM campaigns WHERE kind = 'baseline' AND identity_key = ? AND "
                                     "train_tokens = ? ORDER BY id DESC LIMIT 1",
                                     k_campaign_cols));
  st.bind(1, identity_key).bind(2, train_tokens);
  if (st.step()) {
    return read_campaign(st);
  }
  return std::nullopt;
}

void Store::set_campaign_identity(long long id, const std::string& identity_key, const std::string& identity) {
  m_db.transaction([&] {
    auto st = m_db.prepare("UPDATE campaigns SET identity_key = ?, identity = ? WHERE id = ?");
    st.bind(1, identity_key).bind(2, identity).bind(3, id);
    st.run();
  });
}

std::vector<Campaign> Store::campaigns() {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM campaigns ORDER BY id", k_campaign_cols));
  std::vector<Campaign> out;
  while (st.step()) {
    out.push_back(read_campaign(st));
  }
  return out;
}

long long Store::insert_campaign(const Campaign& c) {
  long long id = 0;
  m_db.transaction([&] {
    auto st = m_db.prepare("INSERT INTO campaigns (key, name, kind, flags, command_key, command, train_tokens, "
                           "metric, goal, executor, state, verdict, config_path, created_at, updated_at, identity_key, "
                           "identity, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, c.key).bind(2, c.name).bind(3, c.kind).bind(4, to_json_array(c.flags)).bind(5, c.command_key);
    st.bind(6, to_json_array(c.command)).bind(7, c.train_tokens).bind(8, c.metric);
    st.bind(9, std::string(to_string(c.goal)));
    st.bind(10, c.executor).bind(11, std::string(to_string(c.state))).bind(12, c.verdict).bind(13, c.config_path);
    st.bind(14, util::iso8601(c.created_at))
        .bind(15, util::iso8601(c.updated_at))
        .bind(16, c.identity_key)
        .bind(17, c.identity);
    st.bind(18, c.origin);
    st.run();
    id = m_db.last_insert_id();
  });
  return id;
}

void Store::set_campaign_state(long long id, CampaignState state, const std::optional<std::string>& verdict,
                               util::TimePoint now) {
  m_db.transaction([&] {
    auto st = m_db.prepare("UPDATE campaigns SET state = ?, verdict = ?, updated_at = ? WHERE id = ?");
    st.bind(1, std::string(to_string(state))).bind(2, verdict).bind(3, util::iso8601(now)).bind(4, id);
    st.run();
  });
}

std::vector<Run> Store::runs(long long campaign_id, bool include_superseded) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM runs r JOIN campaigns c ON c.id = r.campaign_id "
                                     "WHERE r.campaign_id = ? {} ORDER BY r.id",
                                     k_run_cols, include_superseded ? "" : "AND r.superseded = 0"));
  st.bind(1, campaign_id);
  std::vector<Run> out;
  while (st.step()) {
    out.push_back(read_run(st));
  }
  return out;
}

namespace {

// The quoted names of the values of `all` that `keep` selects, for an SQL IN (...): the lists
// are derived from the domain's predicates, which stay the one owner of each rule.
template <class E, class Keep> std::string sql_names(const std::vector<E>& all, Keep keep) {
  std::string list;
  for (auto v : all) {
    if (keep(v)) {
      list += fmt::format("{}'{}'", list.empty() ? "" : ", ", to_string(v));
    }
  }
  return list;
}

// Current attempts Slurm has not finished: started or queued, not yet final.
const std::string& waiting_condition() {
  static const std::string condition =
      fmt::format("r.state IN ({}) AND r.superseded = 0", sql_names(all_run_states(), [](RunState s) {
                    return !is_final(s) && s != RunState::planned && s != RunState::submitting;
                  }));
  return condition;
}

} // namespace

void Store::each_waiting_run(const std::function<void(Run&&)>& fn) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM runs r JOIN campaigns c ON c.id = r.campaign_id WHERE {}",
                                     k_run_cols, waiting_condition()));
  while (st.step()) {
    fn(read_run(st));
  }
}

int Store::count_waiting_runs() {
  auto st = m_db.prepare(fmt::format("SELECT count(*) FROM runs r WHERE {}", waiting_condition()));
  return st.step() ? static_cast<int>(st.get_int(0)) : 0;
}

std::vector<Run> Store::runs_in_state(long long campaign_id, RunState state) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM runs r JOIN campaigns c ON c.id = r.campaign_id "
                                     "WHERE r.campaign_id = ? AND r.state = ? AND r.superseded = 0 ORDER BY r.id",
                                     k_run_cols));
  st.bind(1, campaign_id).bind(2, std::string(to_string(state)));
  std::vector<Run> out;
  while (st.step()) {
    out.push_back(read_run(st));
  }
  return out;
}

std::vector<Run> Store::runs_after(long long campaign_id, long long after_id, int limit) {
  auto st = m_db.prepare(fmt::format("SELECT {} FROM runs r JOIN campaigns c ON c.id = r.campaign_id "
                                     "WHERE r.campaign_id = ? AND r.id > ? AND r.superseded = 0 ORDER BY r.id LIMIT ?",
                                     k_run_cols));
  st.bind(1, campaign_id).bind(2, after_id).bind(3, static_cast<long long>(limit));
  std::vector<Run> out;
  while (st.step()) {
    out.push_back(read_run(st));
  }
  return out;
}

int Store::count_runs(long long campaign_id, bool include_superseded) {
  auto st = m_db.prepare(include_superseded ? "SELECT count(*) FROM runs WHERE campaign_id = ?"
                                            : "SELECT count(*) FROM runs WHERE campaign_id = ? AND superseded = 0");
  st.bind(1, campaign_id);
  return st.step() ? static_cast<int>(st.get_int(0)) : 0;
}

bool Store::has_interrupted_runs(long long campaign_id) {
  static const std::string causes = sql_names(all_cancel_causes(), is_interruption);
  auto st = m_db.prepare(fmt::format("SELECT EXISTS (SELECT 1 FROM runs WHERE campaign_id = ? AND superseded = 0 "
                                     "AND state = '{}' AND cancel_cause IN ({}))",
                                     to_string(RunState::cancelled), causes));
  st.bind(1, campaign_id);
  return st.step() && st.get_int(0) != 0;
}

bool Store::settled(long long campaign_id) {
  static const std::string unfinished = sql_names(all_run_states(), [](RunState s) { return !is_final(s); });
  auto st = m_db.prepare(fmt::format("SELECT EXISTS (SELECT 1 FROM runs WHERE campaign_id = ? AND superseded = 0 "
                                     "AND (log_done = 0 OR state IN ({})))",
                                     unfinished));
  st.bind(1, campaign_id);
  return st.step() && st.get_int(0) == 0;
}

std::optional<Run> Store::run(long long run_id) {
  auto st = m_db.prepare(
      fmt::format("SELECT {} FROM runs r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = ?", k_run_cols));
  st.bind(1, run_id);
  if (st.step()) {
    return read_run(st);
  }
  return std::nullopt;
}

long long Store::insert_run(const Run& r) {
  long long id = 0;
  m_db.transaction([&] {
    auto st =
        m_db.prepare("INSERT INTO runs (campaign_id, arm, seed, phase, attempt, state, log_path, output_dir, "
                     "submission_id, array_index, job_id, output_dir_preexisted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, r.campaign_id).bind(2, r.arm).bind(3, r.seed).bind(4, r.phase).bind(5, r.attempt);
    st.bind(6, std::string(to_string(r.state))).bind(7, r.log_path).bind(8, r.output_dir).bind(9, r.submission_id);
    st.bind(10, opt_ll(r.array_index)).bind(11, r.job_id);
    st.bind(12, r.output_dir_preexisted ? std::optional<long long>(*r.output_dir_preexisted ? 1 : 0) : std::nullopt);
    st.run();
    id = m_db.last_insert_id();
  });
  return id;
}

void Store::update_run(const Run& r) {
  m_db.transaction([&] {
    auto st = m_db.prepare(
        "UPDATE runs SET state = ?, reason = ?, exit_code = ?, signal = ?, started_at = ?, ended_at = ?, "
        "wall_time = ?, log_path = ?, log_offset = ?, log_identity = ?, output_dir = ?, checkpoint_cleaned = ?, "
        "submission_id = ?, array_index = ?, job_id = ?, superseded = ?, log_done = ?, warning = ?, "
        "metric_unreliable = ?, cancel_cause = ? WHERE id = ?");
    st.bind(1, std::string(to_string(r.state)))
        .bind(2, r.reason)
        .bind(3, opt_ll(r.exit_code))
        .bind(4, opt_ll(r.signal));
    st.bind(5, opt_iso(r.started_at)).bind(6, opt_iso(r.ended_at)).bind(7, r.wall_time).bind(8, r.log_path);
    st.bind(9, r.log_offset).bind(10, r.log_identity).bind(11, r.output_dir).bind(12, r.checkpoint_cleaned ? 1 : 0);
    st.bind(13, r.submission_id).bind(14, opt_ll(r.array_index)).bind(15, r.job_id).bind(16, r.superseded ? 1 : 0);
    st.bind(17, r.log_done ? 1 : 0).bind(18, r.warning).bind(19, r.metric_unreliable ? 1 : 0);
    st.bind(20, opt_cause(r.cancel_cause)).bind(21, r.id);
    st.run();
  });
}

bool Store::update_scheduler_state(const Run& r, RunState expected) {
  bool written = false;
  m_db.transaction([&] {
    auto st = m_db.prepare("UPDATE runs SET state = ?, cancel_cause = ?, started_at = ?, ended_at = ?, wall_time = ?, "
                           "exit_code = ?, signal = ?, reason = ? WHERE id = ? AND state = ? AND superseded = 0");
    st.bind(1, std::string(to_string(r.state))).bind(2, opt_cause(r.cancel_cause)).bind(3, opt_iso(r.started_at));
    st.bind(4, opt_iso(r.ended_at)).bind(5, r.wall_time).bind(6, opt_ll(r.exit_code)).bind(7, opt_ll(r.signal));
    st.bind(8, r.reason).bind(9, r.id).bind(10, std::string(to_string(expected)));
    st.run();
    written = m_db.changes() == 1;
  });
  return written;
}

void Store::supersede_run(long long run_id) {
  m_db.transaction([&] {
    auto st = m_db.prepare("UPDATE runs SET superseded = 1 WHERE id = ?");
    st.bind(1, run_id);
    st.run();
  });
}

void Store::append_metrics(long long run_id, const std::vector<MetricPoint>& points, long long new_offset,
                           const std::optional<std::string>& log_identity) {
  m_db.transaction([&] {
    insert_points(m_db, run_id, points, nullptr);
    auto upd = m_db.prepare("UPDATE runs SET log_offset = ?, log_identity = ? WHERE id = ?");
    upd.bind(1, new_offset).bind(2, log_identity).bind(3, run_id);
    upd.run();
  });
}

void Store::reset_metrics(long long run_id) {
  m_db.transaction([&] {
    auto del = m_db.prepare("DELETE FROM metric_points WHERE run_id = ?1 AND name NOT IN "
                            "(SELECT name FROM metric_cursors WHERE run_id = ?1)");
    del.bind(1, run_id);
    del.run();
    auto upd = m_db.prepare("UPDATE runs SET log_offset = 0, log_identity = NULL WHERE id = ?");
    upd.bind(1, run_id);
    upd.run();
  });
}

void Store::finish_log(long long run_id, long long offset, const std::optional<std::string>& log_identity) {
  m_db.transaction([&] {
    auto upd = m_db.prepare("UPDATE runs SET log_offset = ?, log_identity = ?, log_done = 1 WHERE id = ?");
    upd.bind(1, offset).bind(2, log_identity).bind(3, run_id);
    upd.run();
  });
}

std::optional<std::string> Store::metric_cursor(long long run_id, const std::string& name) {
  auto st = m_db.prepare("SELECT cursor FROM metric_cursors WHERE run_id = ? AND name = ?");
  st.bind(1, run_id).bind(2, name);
  if (!st.step()) {
    return std::nullopt;
  }
  return st.get_text(0);
}

void Store::append_source_points(long long run_id, const std::string& name, const std::vector<MetricPoint>& points,
                                 const std::string& cursor, bool reset) {
  m_db.transaction([&] {
    if (reset) {
      auto del = m_db.prepare("DELETE FROM metric_points WHERE run_id = ? AND name = ?");
      del.bind(1, run_id).bind(2, name);
      del.run();
    }
    if (!points.empty()) {
      insert_points(m_db, run_id, points, &name);
    }
    auto upd = m_db.prepare("INSERT INTO metric_cursors (run_id, name, cursor) VALUES (?,?,?) "
                            "ON CONFLICT (run_id, name) DO UPDATE SET cursor = excluded.cursor");
    upd.bind(1, run_id).bind(2, name).bind(3, cursor);
    upd.run();
  });
}

std::vector<MetricPoint> Store::latest_metric_points(long long run_id) {
  // The newest point of each name: its highest seq (the table's key is (run_id, name, seq)).
  auto st = m_db.prepare("SELECT m.step, m.name, m.value FROM metric_points m JOIN "
                         "(SELECT name, MAX(seq) AS seq FROM metric_points WHERE run_id = ?1 GROUP BY name) l "
                         "ON m.name = l.name AND m.seq = l.seq WHERE m.run_id = ?1 ORDER BY m.name");
  st.bind(1, run_id);
  std::vector<MetricPoint> out;
  while (st.step()) {
    out.push_back({st.get_opt_int(0), st.get_text(1), st.get_double(2)});
  }
  return out;
}

std::vector<MetricPoint> Store::metric_points(long long run_id, const std::string& name) {
  auto st = m_db.prepare("SELECT step, name, value FROM metric_points WHERE run_id = ? AND name = ? ORDER BY seq");
  st.bind(1, run_id).bind(2, name);
  std::vector<MetricPoint> out;
  while (st.step()) {
    out.push_back({st.get_opt_int(0), st.get_text(1), st.get_double(2)});
  }
  return out;
}

long long Store::insert_submission(const Submission& s) {
  long long id = 0;
  m_db.transaction([&] {
    auto st = m_db.prepare("INSERT INTO submissions (campaign_id, arm, phase, job_name, state, job_id, array_spec, "
                           "created_at, message) VALUES (?,?,?,?,?,?,?,?,?)");
    st.bind(1, s.campaign_id).bind(2, s.arm).bind(3, s.phase).bind(4, s.job_name).bind(5, s.state);
    st.bind(6, s.job_id).bind(7, s.array_spec).bind(8, s.created_at).bind(9, s.message);
    st.run();
    id = m_db.last_insert_id();
  });
  return id;
}

void Store::update_submission(const Submission& s) {
  m_db.transaction([&] {
    auto st = m_db.prepare("UPDATE submissions SET state = ?, job_id = ?, message = ? WHERE id = ?");
    st.bind(1, s.state).bind(2, s.job_id).bind(3, s.message).bind(4, s.id);
    st.run();
  });
}

std::vector<Submission> Store::submissions(std::optional<long long> campaign_id) {
  auto st = m_db.prepare("SELECT id, campaign_id, arm, phase, job_name, state, job_id, array_spec, created_at, "
                         "message FROM submissions WHERE ?1 IS NULL OR campaign_id = ?1 ORDER BY id");
  st.bind(1, campaign_id);
  std::vector<Submission> out;
  while (st.step()) {
    Submission s;
    s.id = st.get_int(0);
    s.campaign_id = st.get_int(1);
    s.arm = st.get_text(2);
    s.phase = st.get_text(3);
    s.job_name = st.get_text(4);
    s.state = st.get_text(5);
    s.job_id = st.get_opt_text(6);
    s.array_spec = st.get_text(7);
    s.created_at = st.get_text(8);
    s.message = st.get_opt_text(9);
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace seedrun::store
