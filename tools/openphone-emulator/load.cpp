#include "tools/openphone-emulator/load.hpp"

#include "tools/openphone-emulator/apply_lag.hpp"
#include "tools/openphone-emulator/load_connection.hpp"
#include "tools/openphone-emulator/rss_sampler.hpp"
#include "tools/openphone-emulator/signer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <memory>
#include <ostream>

namespace crmd::openphone_emulator {

namespace {

using nlohmann::json;
using steady = std::chrono::steady_clock;

load_totals merge(std::vector<load_totals>& parts) {
  load_totals all;
  for (auto& part : parts) {
    all.requests += part.requests;
    all.acked += part.acked;
    all.non_2xx += part.non_2xx;
    all.errors += part.errors;
    for (const auto& [status, count] : part.statuses)
      all.statuses[status] += count;
    all.latencies_ms.insert(all.latencies_ms.end(), part.latencies_ms.begin(),
                            part.latencies_ms.end());
    part.latencies_ms = {};
  }
  return all;
}

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json lag_json(const std::variant<apply_lag, std::string>& measured, std::ostream& out) {
  if (const auto* error = std::get_if<std::string>(&measured)) {
    out << "apply lag: unavailable: " << *error << '\n';
    return {{"error", *error}};
  }
  const auto& lag = std::get<apply_lag>(measured);
  out << "apply lag s: ";
  if (lag.p50_s)
    out << "p50 " << *lag.p50_s << " p99 " << lag.p99_s.value_or(0) << " max "
        << lag.max_s.value_or(0);
  else
    out << "none processed";
  out << " (processed " << lag.processed << ", unprocessed " << lag.unprocessed << " of which "
      << lag.failed << " failed, waited " << lag.waited_s << " s)\n";
  return {{"p50", optional_number(lag.p50_s)}, {"p99", optional_number(lag.p99_s)},
          {"max", optional_number(lag.max_s)}, {"processed", lag.processed},
          {"unprocessed", lag.unprocessed},    {"failed", lag.failed},
          {"waited_s", lag.waited_s}};
}

json rss_json(const std::vector<rss_sample>& samples, std::ostream& out) {
  json series = json::array();
  out << "crmd rss kB:";
  for (const auto& sample : samples) {
    out << ' ' << std::setprecision(1) << sample.at_s << "s " << sample.kb;
    series.push_back({{"t_s", std::round(sample.at_s * 10) / 10}, {"kb", sample.kb}});
  }
  out << (samples.empty() ? " no samples (is the pid right?)\n" : "\n") << std::setprecision(3);
  return series;
}

}  // namespace

latency_summary summarize_latency(std::vector<double>& samples_ms) {
  latency_summary summary;
  summary.count = samples_ms.size();
  if (samples_ms.empty())
    return summary;
  std::sort(samples_ms.begin(), samples_ms.end());
  auto at = [&samples_ms](double fraction) {
    double rank = fraction * static_cast<double>(samples_ms.size() - 1);
    auto below = static_cast<std::size_t>(std::floor(rank));
    auto above = std::min(below + 1, samples_ms.size() - 1);
    return samples_ms[below] +
           (rank - static_cast<double>(below)) * (samples_ms[above] - samples_ms[below]);
  };
  summary.p50 = at(0.5);
  summary.p99 = at(0.99);
  summary.max = samples_ms.back();
  return summary;
}

int run_load(const load_settings& settings, std::ostream& out) {
  signer sign(settings.key, std::chrono::milliseconds(0));
  if (!sign.usable())
    throw std::runtime_error("the signing key is not valid base64");
  world w = make_world(settings.seed);
  std::unique_ptr<rss_sampler> rss;
  if (settings.crmd_pid > 0) {
    rss = std::make_unique<rss_sampler>(settings.crmd_pid, settings.rss_interval);
    rss->start();
  }

  boost::asio::io_context io;
  load_job job{.target = settings.target,
               .addresses = boost::asio::ip::tcp::resolver(io).resolve(settings.target.host,
                                                                       settings.target.port),
               .timeout = settings.timeout,
               .options = {.versions = settings.versions},
               .stories_of = &w,
               .sign = &sign};
  std::int64_t window_from_ms = now_unix_ms();
  auto started = steady::now();
  job.started = started;
  job.deadline = started + settings.duration;
  if (settings.rate > 0)
    job.interval = std::chrono::nanoseconds(1'000'000'000LL / settings.rate);
  std::vector<load_totals> parts(static_cast<std::size_t>(std::max(1, settings.concurrency)));
  for (auto& part : parts)
    boost::asio::co_spawn(io, run_load_connection(job, part), boost::asio::detached);
  io.run();
  double elapsed_s = std::chrono::duration<double>(steady::now() - started).count();
  std::int64_t window_to_ms = now_unix_ms();
  auto totals = merge(parts);
  auto latency = summarize_latency(totals.latencies_ms);
  double rate = elapsed_s > 0 ? static_cast<double>(totals.acked) / elapsed_s : 0;

  out << std::fixed << std::setprecision(3);
  out << "load: " << elapsed_s << " s, " << parts.size() << " connections, " << totals.requests
      << " requests, seed " << settings.seed;
  if (settings.rate > 0)
    out << ", offered " << settings.rate << " events/s";
  out << '\n';
  out << "acked: " << totals.acked << " events (" << rate << "/s), non-2xx: " << totals.non_2xx
      << ", errors: " << totals.errors << '\n';
  out << "ack latency ms: p50 " << latency.p50 << " p99 " << latency.p99 << " max " << latency.max
      << '\n';

  json statuses = json::object();
  for (const auto& [status, count] : totals.statuses)
    statuses[std::to_string(status)] = count;
  json report{{"mode", "load"},
              {"seed", settings.seed},
              {"duration_s", elapsed_s},
              {"concurrency", parts.size()},
              {"offered_per_s", settings.rate > 0 ? json(settings.rate) : json(nullptr)},
              {"requests", totals.requests},
              {"acked", totals.acked},
              {"events_per_s", rate},
              {"non_2xx", totals.non_2xx},
              {"errors", totals.errors},
              {"statuses", std::move(statuses)},
              {"latency_ms", {{"p50", latency.p50}, {"p99", latency.p99}, {"max", latency.max}}},
              {"apply_lag_s", nullptr},
              {"rss_kb", nullptr}};
  if (!settings.database_url.empty())
    report["apply_lag_s"] = lag_json(
        measure_apply_lag(settings.database_url, window_from_ms, window_to_ms, settings.settle),
        out);
  if (rss) {
    rss->stop();
    report["rss_kb"] = rss_json(rss->samples(), out);
  }
  out << report.dump() << std::endl;
  bool clean = totals.acked > 0 && totals.non_2xx == 0 && totals.errors == 0;
  return clean ? 0 : 1;
}

}  // namespace crmd::openphone_emulator
