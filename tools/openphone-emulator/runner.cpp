#include "tools/openphone-emulator/runner.hpp"

#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace crmd::openphone_emulator {

namespace {

using nlohmann::json;
using steady = std::chrono::steady_clock;

// Past this many, problems are only counted: a broken run must not flood the test log.
constexpr int max_reported_problems = 20;

enum class verdict { met, missed, retry };

bool says_duplicate(const std::string& body) {
  json reply = json::parse(body, nullptr, false);
  if (!reply.is_object())
    return false;
  auto it = reply.find("duplicate");
  return it != reply.end() && it->is_boolean() && it->get<bool>();
}

verdict judge(const http_result& result, const expectation& expect) {
  if (result.status == 0)
    return verdict::retry;
  switch (expect.what) {
    case expectation::kind::ack: return result.ok() ? verdict::met : verdict::retry;
    case expectation::kind::duplicate:
      if (!result.ok())
        return verdict::retry;
      return says_duplicate(result.body) ? verdict::met : verdict::missed;
    case expectation::kind::status: break;
  }
  if (result.status == expect.status)
    return verdict::met;
  // 5xx, 408 and 429 say the server never judged the request, so they are retried whatever
  // answer is expected; any other answer is a verdict.
  if (result.status >= 500 || result.status == 408 || result.status == 429)
    return verdict::retry;
  if (expect.wants_2xx() && !result.ok())
    return verdict::retry;
  return verdict::missed;
}

class ack_log {
 public:
  explicit ack_log(const std::string& path) {
    if (path.empty())
      return;
    out_.open(path, std::ios::trunc);
    if (!out_)
      throw std::runtime_error("cannot write " + path);
  }

  void write(const std::string& event_id, unsigned status, const std::string& body) {
    if (!out_.is_open())
      return;
    std::string line = event_id + '\t' + std::to_string(status) + '\t' + compact_body(body) + '\n';
    std::lock_guard lock(mutex_);
    // Flushed per line, so a test watching a long run sees every acknowledgement at once.
    out_ << line << std::flush;
  }

 private:
  std::mutex mutex_;
  std::ofstream out_;
};

class executor {
 public:
  executor(const plan& p, const run_settings& settings)
      : plan_(p),
        settings_(settings),
        signer_(settings.key, settings.stale_by),
        acks_(settings.acked_out) {}

  run_summary run();

 private:
  void run_wave(const wave& w);
  void deliver(http_connection& connection, const delivery& d, std::mt19937_64& jitter);
  void settle(const delivery& d, const http_result& result, verdict outcome);
  void report(const delivery& d, const std::string& problem);
  // --retry-for 0 means "never retry", not "crmd is gone from the start".
  bool stalled(steady::time_point now) const {
    auto quiet = now - steady::time_point(steady::duration(last_progress_.load()));
    return settings_.retry.retry_for.count() > 0 && quiet >= settings_.retry.retry_for;
  }
  void progress() { last_progress_ = steady::now().time_since_epoch().count(); }

  const plan& plan_;
  const run_settings& settings_;
  signer signer_;
  ack_log acks_;
  std::vector<std::unique_ptr<http_connection>> connections_;
  // Last time any delivery was answered for good: when nothing settles for --retry-for, crmd
  // is taken to be gone and the rest of the run is given up instead of retried one by one.
  std::atomic<steady::rep> last_progress_{0};
  std::atomic<std::uint64_t> sent_{0}, acked_{0}, duplicates_{0}, rejected_{0}, retries_{0},
      errors_{0}, non_2xx_{0}, unexpected_{0}, unsettled_{0};
  std::atomic<int> reported_{0};
};

run_summary executor::run() {
  if (!signer_.usable())
    throw std::runtime_error("the signing key is not valid base64");
  auto start = steady::now();
  progress();
  int slots = std::max(1, settings_.concurrency);
  for (int i = 0; i < slots; ++i)
    connections_.push_back(std::make_unique<http_connection>(settings_.target, settings_.timeout));
  for (const auto& w : plan_.waves)
    run_wave(w);
  if (reported_ > max_reported_problems)
    std::cerr << "openphone-emulator: " << reported_ - max_reported_problems
              << " more problems not shown\n";

  run_summary s;
  s.scenario = plan_.name;
  s.seed = plan_.seed;
  s.events = plan_.events.size();
  s.deliveries = plan_.deliveries();
  s.sent = sent_;
  s.acked = acked_;
  s.duplicates = duplicates_;
  s.rejected = rejected_;
  s.retries = retries_;
  s.errors = errors_;
  s.non_2xx = non_2xx_;
  s.unexpected = unexpected_;
  s.unsettled = unsettled_;
  s.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start).count();
  return s;
}

void executor::run_wave(const wave& w) {
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t slot) {
    std::mt19937_64 jitter(std::random_device{}() ^ slot);
    for (std::size_t i = next++; i < w.sequences.size(); i = next++)
      for (const auto& d : w.sequences[i])
        deliver(*connections_[slot], d, jitter);
  };
  std::size_t workers = std::min(connections_.size(), w.sequences.size());
  std::vector<std::jthread> threads;
  for (std::size_t slot = 0; slot < workers; ++slot)
    threads.emplace_back(work, slot);
}

void executor::deliver(http_connection& connection, const delivery& d, std::mt19937_64& jitter) {
  const auto& event = plan_.events[d.event];
  auto first = steady::now();
  if (stalled(first)) {
    ++unsettled_;
    report(d, "not sent: nothing was answered for --retry-for");
    return;
  }
  for (int failures = 0;; ++failures) {
    // A fresh timestamp per attempt, as OpenPhone signs each attempt anew.
    auto header = signer_.header(d.sign, event.body, now_unix_ms(), d.garbling);
    auto result = connection.post(event.body, header);
    ++sent_;
    if (failures > 0)
      ++retries_;
    if (result.status == 0)
      ++errors_;
    else if (!result.ok())
      ++non_2xx_;
    auto outcome = judge(result, d.expect);
    if (outcome != verdict::retry) {
      settle(d, result, outcome);
      return;
    }
    auto now = steady::now();
    if (now - first >= settings_.retry.retry_for || stalled(now)) {
      ++unsettled_;
      auto last = result.status == 0
                      ? result.error
                      : std::to_string(result.status) + " " + compact_body(result.body);
      report(d, "gave up after " + std::to_string(failures + 1) + " attempts; last: " + last);
      return;
    }
    std::this_thread::sleep_for(settings_.retry.delay(failures + 1, jitter));
  }
}

void executor::settle(const delivery& d, const http_result& result, verdict outcome) {
  progress();
  const auto& event = plan_.events[d.event];
  if (result.ok()) {
    ++acked_;
    if (says_duplicate(result.body))
      ++duplicates_;
    acks_.write(event.id, result.status, result.body);
  } else if (result.status >= 400 && result.status < 500) {
    ++rejected_;
  }
  if (outcome == verdict::missed) {
    ++unexpected_;
    report(d, "expected " + to_string(d.expect) + ", got " + std::to_string(result.status) + " " +
                  compact_body(result.body));
  }
}

void executor::report(const delivery& d, const std::string& problem) {
  if (reported_++ >= max_reported_problems)
    return;
  const auto& event = plan_.events[d.event];
  std::cerr << "openphone-emulator: " << event.id << " (" << event.type << ", " << to_string(d.sign)
            << " signature): " << problem << '\n';
}

}  // namespace

json run_summary::to_json() const {
  return {{"scenario", scenario},     {"seed", seed},         {"events", events},
          {"deliveries", deliveries}, {"sent", sent},         {"acked", acked},
          {"duplicates", duplicates}, {"rejected", rejected}, {"retries", retries},
          {"errors", errors},         {"non_2xx", non_2xx},   {"unexpected", unexpected},
          {"unsettled", unsettled},   {"ok", ok()},           {"elapsed_ms", elapsed_ms}};
}

std::string compact_body(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded())
    return parsed.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string flat = body;
  for (char& c : flat)
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
  return flat;
}

run_summary run_plan(const plan& p, const run_settings& settings) {
  return executor(p, settings).run();
}

}  // namespace crmd::openphone_emulator
