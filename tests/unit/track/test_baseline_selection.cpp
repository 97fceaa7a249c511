// ensure_baseline with identities: a change of code asks for a new baseline, --reuse-baseline
// keeps the old one, old stores keep working, and report twins are read back (or kept) when
// the store is gone. Real temp directories and a real SQLite store; runs are completed by
// writing their rows directly, as the tracker would.
#include "seedrun/report/reports.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-select-{}-{}", ::getpid(), rand());
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  util::TimePoint now = util::Clock::now();
  Project() {
    fs::create_directories(dir);
    util::write_file_atomic(dir / "train.py", "print('val_loss: 2.0')\n");
    cfg = config::parse_config("command: [python3, train.py, '{seed}']\ntrain_tokens: 1000\n", dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
  }
  ~Project() { fs::remove_all(dir); }
  track::BaselineIdentity identity() { return track::compute_identity(cfg, nullptr); }
  track::BaselineDecision ensure(bool reuse = false, bool force = false) {
    return track::ensure_baseline(cfg, *store, {force, reuse}, identity(), now);
  }
  // Completes every run of `c` with values 2.0, 2.1, ... and writes its reports.
  void complete(const store::Campaign& c) {
    double v = 2.0;
    for (auto r : store->runs(c.id)) {
      r.state = store::RunState::completed;
      r.wall_time = 3;
      r.log_done = true;
      store->update_run(r);
      store->append_metrics(r.id, {store::MetricPoint{std::nullopt, "val_loss", v}}, 10, std::nullopt);
      v += 0.1;
    }
    store->set_campaign_state(c.id, store::CampaignState::done, std::nullopt,
                              *util::parse_iso8601("2026-01-01T00:00:00Z"));
    report::write_reports(cfg, *store, *store->find_campaign_by_id(c.id), now);
  }
  void forget_store() {
    store.reset();
    fs::remove_all(cfg.paths.state);
    store = store::Store::open(cfg.paths.state);
  }
  fs::path twin(const std::string& suffix = "") const {
    return cfg.paths.reports / fmt::format("baseline_variance_1K{}.json", suffix);
  }
};

} // namespace

TEST_CASE("a complete baseline of the same code is skipped") {
  Project p;
  auto first = p.ensure();
  CHECK_FALSE(first.skipped);
  CHECK(first.campaign.key == "baseline_1K");
  CHECK(first.campaign.identity_key == p.identity().key);
  p.complete(first.campaign);
  auto again = p.ensure();
  CHECK(again.skipped);
  CHECK(again.campaign.id == first.campaign.id);
  CHECK_FALSE(again.code_changed);
}

TEST_CASE("after train.py changes a new baseline is planned under a suffixed key, saying which file changed") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto id = p.identity();
  auto d = p.ensure();
  CHECK_FALSE(d.skipped);
  CHECK(d.code_changed);
  CHECK(d.campaign.id != first.campaign.id);
  CHECK(d.campaign.key == "baseline_1K_" + id.short_key());
  CHECK(p.store->runs(d.campaign.id).size() == 5);
  CHECK(d.message.find("the code changed since baseline baseline_1K: train.py changed (sha256 ") == 0);
  CHECK(report::baseline_report_path(p.cfg, d.campaign).filename() ==
        fmt::format("baseline_variance_1K_{}.md", id.short_key()));
  // The first baseline's report is still its own.
  CHECK(report::baseline_report_path(p.cfg, first.campaign).filename() == "baseline_variance_1K.md");
}

TEST_CASE("--reuse-baseline keeps the complete baseline of other code and says so") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto d = p.ensure(true);
  CHECK(d.skipped);
  CHECK(d.reused_other_code);
  CHECK(d.campaign.id == first.campaign.id);
  CHECK(d.message.find("--reuse-baseline: using baseline baseline_1K although train.py changed") == 0);
  CHECK(p.store->campaigns().size() == 1);
}

TEST_CASE("switching the executor does not reuse the other executor's baseline") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  p.cfg.executor = config::ExecutorKind::slurm;
  auto d = p.ensure();
  CHECK(d.code_changed);
  CHECK(d.campaign.id != first.campaign.id);
  CHECK(d.campaign.executor == "slurm");
  CHECK(d.message.find("the executor changed (local → slurm)") != std::string::npos);
}

TEST_CASE("an experiment is linked to its code's baseline and names that baseline's report file") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto second = p.ensure();
  auto id = p.identity();
  auto exp = track::ensure_experiment(p.cfg, *p.store, "warm", {"--warm"}, second.campaign, id, p.now);
  auto linked = p.store->find_baseline(exp.command_key, exp.train_tokens);
  REQUIRE(linked);
  CHECK(linked->id == second.campaign.id);
  auto paths = report::write_reports(p.cfg, *p.store, exp, p.now);
  REQUIRE(paths.size() == 2);
  CHECK(util::read_file(paths[0]).find(fmt::format("[`baseline_variance_1K_{}.md`]", id.short_key())) !=
        std::string::npos);
  auto j = nlohmann::json::parse(util::read_file(paths[1]));
  CHECK(j["baseline_report"] == fmt::format("baseline_variance_1K_{}.md", id.short_key()));
  CHECK(j["identity"]["key"] == id.key);
  // The same experiment name against the old baseline is refused, with the way out.
  CHECK_THROWS_WITH_AS(track::ensure_experiment(p.cfg, *p.store, "warm", {"--warm"}, first.campaign, id, p.now),
                       doctest::Contains("was run against baseline"), seedrun::UsageError);
}

TEST_CASE("a baseline recorded before identities is adopted for the same executor, with a note") {
  Project p;
  store::Campaign old;
  old.key = "baseline_1K";
  old.name = "baseline";
  old.kind = "baseline";
  old.command_key = config::command_key(p.cfg);
  old.command = p.cfg.command;
  old.train_tokens = 1000;
  old.metric = "val_loss";
  old.goal = store::Goal::minimize;
  old.executor = "local";
  old.state = store::CampaignState::active;
  old.created_at = old.updated_at = *util::parse_iso8601("2026-01-01T00:00:00Z");
  old.id = p.store->insert_campaign(old);
  track::plan_runs(p.cfg, *p.store, old, p.cfg.seeds.baseline, "initial");
  p.complete(old);
  auto d = p.ensure();
  CHECK(d.skipped);
  CHECK(d.campaign.id == old.id);
  CHECK(d.campaign.command_key == old.command_key); // experiments of the old store still find it
  CHECK(d.campaign.identity_key == p.identity().key);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].find("recorded before seedrun kept code identities") != std::string::npos);
}

TEST_CASE("with the store gone, a matching JSON twin is read back as a complete imported baseline") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  auto written = util::read_file(p.twin());
  p.forget_store();
  auto d = p.ensure();
  CHECK(d.skipped);
  CHECK(d.imported);
  CHECK(d.campaign.key == "baseline_1K");
  CHECK(d.campaign.state == store::CampaignState::done);
  CHECK(d.campaign.origin == std::optional<std::string>("imported:" + p.twin().string()));
  auto runs = p.store->runs(d.campaign.id);
  REQUIRE(runs.size() == 5);
  CHECK(runs[0].seed == 42);
  CHECK(runs[0].final_metric == doctest::Approx(2.0));
  CHECK(runs[4].final_metric == doctest::Approx(2.4));
  CHECK(runs[4].wall_time == doctest::Approx(3));
  CHECK(util::read_file(p.twin()) == written); // read, not rewritten
  // Rewriting the report from the imported campaign keeps the same numbers and says where they came from.
  report::write_reports(p.cfg, *p.store, d.campaign, p.now);
  auto j = nlohmann::json::parse(util::read_file(p.twin()));
  CHECK(j["baseline"]["mean"] == nlohmann::json::parse(written)["baseline"]["mean"]);
  CHECK(j["identity"]["origin"] == "imported:" + p.twin().string());
}

TEST_CASE("with the store gone, a twin of other code is kept and the new baseline gets a suffixed report") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  auto written = util::read_file(p.twin());
  p.forget_store();
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto d = p.ensure();
  CHECK_FALSE(d.skipped);
  CHECK_FALSE(d.imported);
  CHECK(d.campaign.key == "baseline_1K_" + p.identity().short_key());
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].find("kept, not overwritten: it holds a baseline of other code (train.py changed") !=
        std::string::npos);
  p.complete(d.campaign);
  CHECK(util::read_file(p.twin()) == written);
  CHECK(fs::exists(p.twin("_" + p.identity().short_key())));
}

TEST_CASE("--reuse-baseline reads back a twin of other code when the store is gone") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  p.forget_store();
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto d = p.ensure(true);
  CHECK(d.skipped);
  CHECK(d.imported);
  CHECK(d.reused_other_code);
  CHECK(d.campaign.key == "baseline_1K");
}

TEST_CASE("hand-edited or hostile twins are not read back and never crash") {
  Project p;
  auto first = p.ensure();
  p.complete(first.campaign);
  auto good = nlohmann::json::parse(util::read_file(p.twin()));
  std::vector<std::pair<std::string, std::string>> cases = {
      {"deep nesting", "{\"schema\": \"seedrun.baseline_report/1\", \"x\": " + std::string(100000, '[') +
                           std::string(100000, ']') + "}"},
      {"not JSON", "# a markdown file saved as .json\n"},
      {"not ours", R"({"schema": "someone.else/1"})"},
  };
  auto wrong_type = good;
  wrong_type["seeds"][0]["val_loss"] = "2.0";
  cases.push_back({"a value as a string", wrong_type.dump()});
  auto missing = good;
  missing["seeds"].erase(missing["seeds"].begin());
  cases.push_back({"a seed missing", missing.dump()});
  auto seedless = good;
  seedless["seeds"] = 7;
  cases.push_back({"seeds not an array", seedless.dump()});
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& [label, text] = cases[i];
    CAPTURE(label);
    p.forget_store();
    util::write_file_atomic(p.twin(), text);
    auto d = p.ensure();
    CHECK_FALSE(d.imported);
    CHECK(util::read_file(p.twin()) == text);
    if (i < 3) {
      CHECK(d.campaign.key != "baseline_1K"); // not seedrun's report of this code: not ours to overwrite
    } else {
      CHECK(d.campaign.key == "baseline_1K"); // an incomplete report of this very code: the new run replaces it
    }
  }
}
