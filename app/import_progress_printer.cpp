#include "app/import_progress_printer.hpp"

#include "domain/import_plan.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

namespace crmd::app {

namespace {

using nlohmann::json;

constexpr std::chrono::milliseconds poll_interval{500};
constexpr std::chrono::seconds plain_line_interval{5};

int terminal_width() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
    return size.ws_col - 1;
  return 119;
}

}  // namespace

import_progress_printer::import_progress_printer(boost::asio::io_context& io,
                                                 storage::pg_pool& pool,
                                                 std::function<void(int)> done)
  : timer_(io), pool_(pool), done_(std::move(done)), terminal_(isatty(STDERR_FILENO) == 1) {}

void import_progress_printer::watch(std::int64_t job_id) {
  job_id_ = job_id;
  poll();
}

void import_progress_printer::stop() {
  stopped_ = true;
  timer_.cancel();
  if (terminal_)
    std::fputc('\n', stderr);
}

void import_progress_printer::poll() {
  if (stopped_)
    return;
  pool_.execute(
    {storage::statement::named("get_import_job", {std::to_string(job_id_)})},
    [this](storage::pg_outcome outcome) {
      if (stopped_)
        return;
      if (outcome.ok() && !outcome.results[0].rows.empty()) {
        const auto& result = outcome.results[0];
        const auto& row = result.rows[0];
        auto text = [&](const char* column) {
          int index = result.column(column);
          return index >= 0 && row[index] ? *row[index] : std::string();
        };
        auto status = text("status");
        if (status == "completed" || status == "failed") {
          report(status, text("report"), text("last_error"));
          return;
        }
        draw(text("resource"), text("progress"));
      }
      timer_.expires_after(poll_interval);
      timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
          poll();
      });
    });
}

void import_progress_printer::draw(const std::string& stage_text, const std::string& progress_json) {
  auto now = std::chrono::steady_clock::now();
  auto stage = domain::stage_from_name(stage_text).value_or(domain::import_stage::phone_numbers);
  auto progress = domain::progress_from_json(json::parse(progress_json, nullptr, false));
  if (stage_text != stage_) {
    stage_ = stage_text;
    stage_started_ = now;
    stage_done_at_start_ = progress.stage_done;
  }
  if (!terminal_ && now - last_line_ < plain_line_interval)
    return;
  last_line_ = now;
  std::optional<double> fraction;
  std::optional<double> eta;
  if (domain::is_worklist_stage(stage) && progress.stage_total > 0) {
    fraction = static_cast<double>(progress.stage_done) / progress.stage_total;
    double seconds = std::chrono::duration<double>(now - stage_started_).count();
    auto done_here = progress.stage_done - stage_done_at_start_;
    if (done_here > 0 && seconds > 0)
      eta = (progress.stage_total - progress.stage_done) * seconds / done_here;
  }
  // The rate is this process's: a resumed job's earlier requests happened before it started.
  if (!requests_baseline_)
    requests_baseline_ = progress.requests;
  progress.requests -= *requests_baseline_;
  double elapsed = std::chrono::duration<double>(now - started_).count();
  auto line = domain::progress_line(stage, progress, elapsed, fraction, eta, terminal_width());
  if (terminal_)
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void import_progress_printer::report(const std::string& status, const std::string& report_json,
                                     const std::string& error) {
  if (terminal_)
    std::fputc('\n', stderr);
  auto report = json::parse(report_json.empty() ? "null" : report_json, nullptr, false);
  bool complete = status == "completed" && report.is_object() && report.value("complete", false);
  std::fprintf(stderr, "crmd import: job %lld %s\n", static_cast<long long>(job_id_),
               status.c_str());
  if (!error.empty())
    std::fprintf(stderr, "  error: %s\n", error.c_str());
  if (report.is_object() && report.contains("resources") && report["resources"].is_object()) {
    std::fprintf(stderr, "  %-14s %10s %10s %8s\n", "resource", "provider", "database", "missing");
    for (const auto& [name, row] : report["resources"].items())
      std::fprintf(stderr, "  %-14s %10lld %10lld %8lld\n", name.c_str(),
                   row.value("provider", 0LL), row.value("database", 0LL),
                   row.value("missing", 0LL));
    std::fprintf(stderr, "  rejected items: %lld\n", report.value("rejected", 0LL));
  }
  std::fflush(stderr);
  stopped_ = true;
  done_(complete ? 0 : 1);
}

}  // namespace crmd::app
