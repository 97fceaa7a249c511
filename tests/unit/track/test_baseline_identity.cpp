// The identity of a baseline: which files it hashes, what changes it, git work trees (a real
// git in a temp directory through the real ProcessRunner), and the words for a difference.
#include "seedrun/track/baseline_identity.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/sha256.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-identity-{}-{}", ::getpid(), rand());
  fs::path outside = dir.string() + "-outside";
  config::Config cfg;
  std::unique_ptr<exec::ProcessRunner> runner = exec::make_process_runner();
  Project() {
    fs::create_directories(dir);
    fs::create_directories(outside);
    util::write_file_atomic(dir / "train.py", "print('val_loss: 2.0')\n");
    util::write_file_atomic(dir / "model.py", "LAYERS = 2\n");
    util::write_file_atomic(dir / "exp.yaml", "lr: 0.001\n");
    util::write_file_atomic(outside / "lib.py", "x = 1\n");
    load("command: [python3, train.py, --config, exp.yaml, '--extra={seed}', '" + (outside / "lib.py").string() +
         "', '{flags}']\n");
  }
  ~Project() {
    fs::remove_all(dir);
    fs::remove_all(outside);
  }
  void load(const std::string& yaml) {
    util::write_file_atomic(dir / "seedrun.yaml", yaml);
    cfg = config::load_config(dir / "seedrun.yaml");
  }
  void git(std::vector<std::string> args) {
    exec::ProcessRequest req;
    req.argv = {"git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"};
    req.argv.insert(req.argv.end(), args.begin(), args.end());
    req.cwd = dir;
    auto r = runner->run(req);
    REQUIRE_MESSAGE(r.ok(), r.err);
  }
};

} // namespace

TEST_CASE("the identity hashes the project files the command names, not placeholders or files outside") {
  Project p;
  auto id = track::compute_identity(p.cfg, nullptr);
  REQUIRE(id.files.size() == 2);
  CHECK(id.files[0].path == "train.py");
  CHECK(id.files[0].sha256 == util::sha256_hex("print('val_loss: 2.0')\n"));
  CHECK(id.files[1].path == "exp.yaml");
  CHECK(id.key.size() == 16);
  CHECK(id.executor == "local");
  CHECK_FALSE(id.git);
  CHECK(id.command_key == config::command_key(p.cfg));
  CHECK(track::compute_identity(p.cfg, nullptr).key == id.key); // stable
}

TEST_CASE("--opt=file arguments are hashed too") {
  Project p;
  p.load("command: [python3, train.py, '--config=exp.yaml', '{seed}']\n");
  auto id = track::compute_identity(p.cfg, nullptr);
  REQUIRE(id.files.size() == 2);
  CHECK(id.files[1].path == "exp.yaml");
}

TEST_CASE("editing a named file changes the identity, and the difference names the file with both short hashes") {
  Project p;
  auto before = track::compute_identity(p.cfg, nullptr);
  util::write_file_atomic(p.dir / "train.py", "print('val_loss: 1.0')\n");
  auto now = track::compute_identity(p.cfg, nullptr);
  CHECK(now.key != before.key);
  auto diffs = track::identity_differences(before, now);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0] == fmt::format("train.py changed (sha256 {} → {})", before.files[0].sha256.substr(0, 8),
                                now.files[0].sha256.substr(0, 8)));
  CHECK(track::identity_differences(now, now).empty());
}

TEST_CASE("switching the executor changes the identity and says so") {
  Project p;
  auto local = track::compute_identity(p.cfg, nullptr);
  p.cfg.executor = config::ExecutorKind::slurm;
  auto slurm = track::compute_identity(p.cfg, nullptr);
  CHECK(slurm.key != local.key);
  CHECK(track::identity_differences(local, slurm) == std::vector<std::string>{"the executor changed (local → slurm)"});
}

TEST_CASE("the identity round-trips through its JSON document and rejects a mistyped one") {
  Project p;
  auto id = track::compute_identity(p.cfg, nullptr);
  auto back = track::identity_from_text(id.to_json_text());
  REQUIRE(back);
  CHECK(back->key == id.key);
  CHECK(back->files.size() == id.files.size());
  CHECK(track::identity_differences(*back, id).empty());
  auto j = nlohmann::json::parse(id.to_json_text());
  j["files"] = "train.py";
  CHECK_FALSE(track::identity_from_json(j));
  CHECK_FALSE(track::identity_from_text("[[[["));
}

TEST_CASE("without git, or outside a work tree, the identity has no git part") {
  Project p;
  CHECK_FALSE(track::compute_identity(p.cfg, p.runner.get()).git);
}

TEST_CASE("in a git work tree the commit and dirty files are recorded; seedrun's own outputs change nothing") {
  Project p;
  p.git({"init", "-q"});
  p.git({"add", "train.py", "model.py", "exp.yaml", "seedrun.yaml"});
  p.git({"commit", "-q", "-m", "start"});
  auto clean = track::compute_identity(p.cfg, p.runner.get());
  REQUIRE(clean.git);
  CHECK(clean.git->commit.size() == 40);
  CHECK_FALSE(clean.git->dirty);

  // A report committed, seedrun.yaml edited (parallel), a log written: the code is the same.
  util::write_file_atomic(p.cfg.paths.reports / "baseline_variance_1M.md", "# report\n");
  p.git({"add", "-f", "docs"});
  p.git({"commit", "-q", "-m", "the baseline report"});
  util::write_file_atomic(p.dir / "seedrun.yaml", util::read_file(p.dir / "seedrun.yaml") + "parallel: 1\n");
  util::write_file_atomic(p.cfg.paths.state / "logs" / "x.log", "val_loss: 2\n");
  auto after_report = track::compute_identity(p.cfg, p.runner.get());
  CHECK(after_report.git->commit != clean.git->commit);
  CHECK_FALSE(after_report.git->dirty);
  CHECK(after_report.key == clean.key);

  // A tracked module the command does not name is edited: dirty, and the identity changes.
  util::write_file_atomic(p.dir / "model.py", "LAYERS = 4\n");
  auto dirty = track::compute_identity(p.cfg, p.runner.get());
  CHECK(dirty.git->dirty);
  CHECK(dirty.git->dirty_files == std::vector<std::string>{"model.py"});
  CHECK(dirty.key != clean.key);
  auto diffs = track::identity_differences(clean, dirty);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].find("tracked files in git changed") == 0);
  CHECK(diffs[0].find("+dirty: model.py") != std::string::npos);

  // Committing that edit as it is leaves the identity where the dirty tree had it.
  p.git({"commit", "-q", "-am", "four layers"});
  auto committed = track::compute_identity(p.cfg, p.runner.get());
  CHECK_FALSE(committed.git->dirty);
  CHECK(committed.key == dirty.key);
  CHECK(track::identity_summary(committed).find("executor local") != std::string::npos);
}
