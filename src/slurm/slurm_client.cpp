// The real SlurmClient: argument vectors in, parsed output out. All Slurm knowledge beyond
// "which flags" lives in the parsers; this file only decides what counts as a failure.
#include "seedrun/slurm/slurm_client.hpp"

#include "seedrun/slurm/sbatch.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <ctime>
#include <fmt/format.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace seedrun::slurm {
namespace {

// The name Slurm knows this user by (squeue -u, sacctmgr user=): the account of the real uid.
std::string current_user() {
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  throw Error("cannot find the name of the current user");
}

constexpr std::string_view k_accounting_disabled = "Slurm accounting storage is disabled";

[[noreturn]] void unreachable(const std::string& message) {
  throw Error(message, ExitCode::slurm_unreachable);
}

std::string chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

double seconds(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

// "2026-11-23T10:12:00" in local time, the form sacct --starttime reads.
std::string slurm_local_time(util::TimePoint t) {
  std::time_t tt = util::Clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

// Why a finished call did not succeed, as "exit 1: <stderr>" / "killed by signal 9".
std::string failure_text(const exec::ProcessResult& r) {
  std::string err = chomp(util::trim(r.err));
  if (r.signaled) {
    return fmt::format("killed by signal {}{}{}", r.signal, err.empty() ? "" : ": ", err);
  }
  return fmt::format("exit {}{}{}", r.exit_code, err.empty() ? "" : ": ", err);
}

class RealSlurmClient final : public SlurmClient {
public:
  RealSlurmClient(exec::ProcessRunner& runner, SlurmClientOptions options)
      : m_runner(runner), m_options(std::move(options)) {
    m_options.env["SLURM_TIME_FORMAT"] = "standard";
  }

  std::string submit(const SubmitRequest& request) override {
    auto argv = sbatch_argv(m_options.sbatch, request);
    auto r = run(argv, m_options.timeout, request.workdir);
    if (r.timed_out) {
      unreachable(fmt::format("sbatch did not answer within {:g} s; the job may have been submitted anyway "
                              "(check squeue)",
                              seconds(m_options.timeout)));
    }
    if (!r.ok()) {
      std::string err = chomp(r.err);
      unreachable(err.empty() ? fmt::format("sbatch failed ({}) and printed nothing on stderr", failure_text(r)) : err);
    }
    auto parsed = parse_sbatch_parsable(r.out);
    if (!parsed.job_id) {
      unreachable(parsed.error);
    }
    spdlog::debug("sbatch submitted job {}", *parsed.job_id);
    return *parsed.job_id;
  }

  QueryResult query(const std::vector<std::string>& job_ids, std::chrono::milliseconds timeout,
                    std::optional<util::TimePoint> start_time) override {
    if (job_ids.empty()) {
      return {};
    }
    auto since = start_time.value_or(util::Clock::now() - std::chrono::hours(24 * 366));
    return run_sacct({"--starttime=" + slurm_local_time(since), "-j", util::join(job_ids, ",")}, timeout);
  }

  std::optional<int> max_array_size() override {
    try {
      auto r = run({m_options.scontrol, "show", "config"}, m_options.timeout);
      if (r.ok()) {
        return parse_max_array_size(r.out);
      }
      spdlog::debug("scontrol show config failed ({}): no MaxArraySize known", failure_text(r));
    } catch (const Error& e) {
      spdlog::debug("scontrol show config: {}: no MaxArraySize known", e.what());
    }
    return std::nullopt;
  }

  std::optional<SubmitLimit> submit_limit(const std::string& account, const std::string& qos) override {
    try {
      const std::string user = current_user();
      if (!m_max_submit) {
        m_max_submit = max_submit(user, account, qos);
      }
      auto limit = *m_max_submit;
      if (!limit) {
        return std::nullopt;
      }
      auto q = run({m_options.squeue, "-h", "-r", "-u", user, "-o", "%i"}, m_options.timeout);
      if (!q.ok()) {
        spdlog::debug("squeue -u {} failed ({}): MaxSubmitJobs {} not applied", user, failure_text(q), *limit);
        return std::nullopt;
      }
      int queued = 0;
      for (const auto& line : util::split(q.out, '\n')) {
        queued += util::trim(line).empty() ? 0 : 1;
      }
      return SubmitLimit{*limit, queued};
    } catch (const Error& e) {
      spdlog::debug("MaxSubmitJobs not read: {}", e.what());
      return std::nullopt;
    }
  }

  // The limit from sacctmgr, asked once per process with a short timeout: sacctmgr waits for
  // slurmdbd, which may be down (then no limit is applied, and sbatch still enforces its own).
  std::optional<int> max_submit(const std::string& user, const std::string& account, const std::string& qos) {
    const auto timeout = std::min(m_options.timeout, std::chrono::milliseconds(5000));
    std::vector<std::string> assoc{m_options.sacctmgr, "-n", "-P", "show", "assoc", "where", "user=" + user};
    if (!account.empty()) {
      assoc.push_back("account=" + account);
    }
    assoc.emplace_back("format=MaxSubmit");
    std::optional<int> limit;
    auto keep_smallest = [&](const exec::ProcessResult& r) {
      auto v = r.ok() ? parse_max_submit(r.out) : std::nullopt;
      if (v && (!limit || *v < *limit)) {
        limit = v;
      }
    };
    auto by_assoc = run(assoc, timeout);
    if (by_assoc.timed_out) {
      spdlog::debug("sacctmgr did not answer within {:g} s: no MaxSubmitJobs known", seconds(timeout));
      return std::nullopt; // slurmdbd is down: the QOS question would wait as long
    }
    keep_smallest(by_assoc);
    keep_smallest(run({m_options.sacctmgr, "-n", "-P", "show", "qos", "where", "name=" + (qos.empty() ? "normal" : qos),
                       "format=MaxSubmitPU"},
                      timeout));
    return limit;
  }

  QueryResult query_by_name(const std::vector<std::string>& names, util::TimePoint start_time) override {
    if (names.empty()) {
      return {};
    }
    return run_sacct({"--name=" + util::join(names, ","), "--starttime=" + slurm_local_time(start_time)},
                     m_options.timeout);
  }

  SqueueParse squeue(const std::vector<std::string>& job_ids) override {
    if (job_ids.empty()) {
      return {};
    }
    std::vector<std::string> argv{
        m_options.squeue, "-h", "--states=all", "-o", std::string(k_squeue_format), "-j", util::join(job_ids, ",")};
    auto r = run_checked("squeue", argv, m_options.timeout, [](const exec::ProcessResult& res) {
      return res.err.find("Invalid job id specified") != std::string::npos;
    });
    auto parsed = parse_squeue(r.out);
    if (parsed.rows.empty() && parsed.unreadable_lines > 0) {
      unreachable(fmt::format("squeue printed output seedrun cannot read ({})", parsed.first_unreadable));
    }
    return parsed;
  }

  void cancel(const std::vector<std::string>& job_ids) override {
    if (job_ids.empty()) {
      return;
    }
    std::vector<std::string> argv{m_options.scancel};
    argv.insert(argv.end(), job_ids.begin(), job_ids.end());
    run_checked("scancel", argv, m_options.timeout, [](const exec::ProcessResult&) { return false; });
  }

private:
  exec::ProcessResult run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::filesystem::path& cwd = {}) {
    exec::ProcessRequest req;
    req.argv = argv;
    req.cwd = cwd;
    req.env = m_options.env;
    req.timeout = timeout;
    spdlog::debug("running {}", util::join(argv, " "));
    try {
      return m_runner.run(req);
    } catch (const Error& e) { // the program is missing or not executable
      unreachable(e.what());
    }
  }

  // Runs and throws unless the call succeeded or `tolerated` says its failure means "no rows"
  // (then the output is dropped).
  template <class Tolerated>
  exec::ProcessResult run_checked(std::string_view what, const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout, Tolerated tolerated) {
    auto r = run(argv, timeout);
    if (r.timed_out) {
      unreachable(fmt::format("{} did not answer within {:g} s", what, seconds(timeout)));
    }
    if (r.ok()) {
      return r;
    }
    if (r.signaled || !tolerated(r)) {
      unreachable(fmt::format("{} failed ({})", what, failure_text(r)));
    }
    r.out.clear();
    return r;
  }

  QueryResult run_sacct(const std::vector<std::string>& selection, std::chrono::milliseconds timeout) {
    std::vector<std::string> argv{m_options.sacct, "-X", "--parsable2", "--noheader",
                                  "--format=" + std::string(k_sacct_format)};
    argv.insert(argv.end(), selection.begin(), selection.end());
    auto r = run(argv, timeout);
    if (r.timed_out) {
      unreachable(fmt::format("sacct did not answer within {:g} s", seconds(timeout)));
    }
    QueryResult result;
    if (r.err.find(k_accounting_disabled) != std::string::npos ||
        r.out.find(k_accounting_disabled) != std::string::npos) {
      result.accounting_disabled = true;
      return result;
    }
    if (!r.ok()) {
      unreachable(fmt::format("sacct failed ({})", failure_text(r)));
    }
    auto parsed = parse_sacct(r.out);
    if (parsed.rows.empty() && parsed.unreadable_lines > 0) {
      unreachable(fmt::format("sacct printed output seedrun cannot read ({})", parsed.first_unreadable));
    }
    if (parsed.unreadable_lines > 0) {
      spdlog::debug("sacct: {} line(s) unreadable, first: {}", parsed.unreadable_lines, parsed.first_unreadable);
    }
    result.rows = std::move(parsed.rows);
    result.unreadable_lines = parsed.unreadable_lines;
    result.first_unreadable = std::move(parsed.first_unreadable);
    return result;
  }

  exec::ProcessRunner& m_runner;
  SlurmClientOptions m_options;
  std::optional<std::optional<int>> m_max_submit; // asked once per process
};

} // namespace

std::optional<int> parse_max_submit(std::string_view text) {
  std::optional<int> smallest;
  for (const auto& line : util::split(text, '\n')) {
    auto v = util::parse_int(util::trim(line));
    if (v && *v > 0 && *v <= 100000000 && (!smallest || *v < *smallest)) {
      smallest = static_cast<int>(*v);
    }
  }
  return smallest;
}

std::optional<int> parse_max_array_size(std::string_view text) {
  std::optional<int> found;
  for (const auto& line : util::split(text, '\n')) {
    auto eq = line.find('=');
    if (eq == std::string::npos || util::trim(line.substr(0, eq)) != "MaxArraySize") {
      continue;
    }
    auto v = util::parse_int(util::trim(line.substr(eq + 1)));
    if (v && *v > 0 && *v <= 100000000) {
      found = static_cast<int>(*v);
    }
  }
  return found;
}

std::vector<std::string> sbatch_argv(const std::string& program, const SubmitRequest& request) {
  std::vector<std::string> argv{program, "--parsable"};
  if (!request.job_name.empty()) {
    argv.push_back("--job-name=" + request.job_name);
  }
  if (!request.array.empty()) {
    argv.push_back("--array=" + request.array);
  }
  if (!request.output.empty()) {
    argv.push_back("--output=" + request.output);
  }
  if (!request.workdir.empty()) {
    argv.push_back("--chdir=" + request.workdir.string());
  }
  if (!request.dependency.empty()) {
    argv.push_back("--dependency=" + request.dependency);
  }
  argv.insert(argv.end(), request.extra_args.begin(), request.extra_args.end());
  argv.push_back(request.script.string());
  return argv;
}

std::unique_ptr<SlurmClient> make_slurm_client(exec::ProcessRunner& runner, SlurmClientOptions options) {
  return std::make_unique<RealSlurmClient>(runner, std::move(options));
}

} // namespace seedrun::slurm
