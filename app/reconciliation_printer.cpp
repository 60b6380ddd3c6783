#include "app/reconciliation_printer.hpp"

#include "app/reconciliation_routes.hpp"
#include "domain/reconcile_report.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace crmd::app {

namespace {

using nlohmann::json;

constexpr std::chrono::milliseconds poll_interval{500};
constexpr std::chrono::seconds line_interval{2};

std::string text_of(const json& value, const char* key) {
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

reconciliation_printer::reconciliation_printer(boost::asio::io_context& io, storage::pg_pool& pool,
                                               std::function<void(int)> done)
  : timer_(io), pool_(pool), done_(std::move(done)) {}

void reconciliation_printer::watch(std::int64_t id) {
  id_ = id;
  poll();
}

void reconciliation_printer::stop() {
  stopped_ = true;
  timer_.cancel();
}

void reconciliation_printer::poll() {
  if (stopped_)
    return;
  pool_.execute(
    {storage::statement::named("get_reconciliation", {std::to_string(id_)})},
    [this](storage::pg_outcome outcome) {
      if (stopped_)
        return;
      if (outcome.ok() && !outcome.results[0].rows.empty() && outcome.results[0].rows[0][0]) {
        auto run = reconciliation_view(*outcome.results[0].rows[0][0]);
        auto status = text_of(run, "status");
        auto report = domain::reconcile_report_from_json(run["report"]);
        double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        if (status == "completed" || status == "failed") {
          std::fprintf(stderr, "crmd reconcile: reconciliation %lld %s in %.1f s\n",
                       static_cast<long long>(id_), status.c_str(), elapsed);
          if (auto error = text_of(run, "last_error"); !error.empty())
            std::fprintf(stderr, "  error: %s\n", error.c_str());
          std::fprintf(stderr, "  window: %s .. %s\n", text_of(run, "window_start").c_str(),
                       text_of(run, "window_end").c_str());
          std::fprintf(stderr, "  %-10s %10s %10s %10s\n", "", "checked", "missing", "fixed");
          std::fprintf(stderr, "  %-10s %10lld %10lld %10lld\n", "messages",
                       static_cast<long long>(report.checked.messages),
                       static_cast<long long>(report.missing_found.messages),
                       static_cast<long long>(report.fixed.messages));
          std::fprintf(stderr, "  %-10s %10lld %10lld %10lld\n", "calls",
                       static_cast<long long>(report.checked.calls),
                       static_cast<long long>(report.missing_found.calls),
                       static_cast<long long>(report.fixed.calls));
          std::fprintf(stderr, "  webhook events re-driven and applied: %lld, still failing: %lld\n",
                       static_cast<long long>(report.fixed_webhook_events),
                       static_cast<long long>(report.still_failing_webhook_events));
          std::fprintf(stderr, "  requests: %lld\n", static_cast<long long>(report.requests));
          // The whole run, one line, for scripts.
          std::printf("%s\n", run.dump().c_str());
          std::fflush(stdout);
          std::fflush(stderr);
          stopped_ = true;
          done_(status == "completed" ? 0 : 1);
          return;
        }
        char line[256];
        std::snprintf(line, sizeof line,
                      "reconcile %lld %s | checked messages %lld calls %lld | requests %lld",
                      static_cast<long long>(id_), status.c_str(),
                      static_cast<long long>(report.checked.messages),
                      static_cast<long long>(report.checked.calls),
                      static_cast<long long>(report.requests));
        auto now = std::chrono::steady_clock::now();
        if (line != last_line_ && now - printed_ >= line_interval) {
          last_line_ = line;
          printed_ = now;
          std::fprintf(stderr, "%s | %.1f s\n", line, elapsed);
          std::fflush(stderr);
        }
      }
      timer_.expires_after(poll_interval);
      timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
          poll();
      });
    });
}

}  // namespace crmd::app
