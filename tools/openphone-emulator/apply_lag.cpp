#include "tools/openphone-emulator/apply_lag.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace crmd::openphone_emulator {

namespace {

struct pq_deleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
  void operator()(PGresult* result) const { PQclear(result); }
};
using pq_connection = std::unique_ptr<PGconn, pq_deleter>;
using pq_result = std::unique_ptr<PGresult, pq_deleter>;

// received_at is the storing transaction's start time, inside the request the emulator timed;
// a second on either side covers clock granularity and a crmd host whose clock is slightly off.
constexpr std::int64_t window_slack_ms = 1000;

// Only 'received' rows are still on their way; failed ones wait for a re-drive that may be
// minutes off, so waiting for them would only stretch the measurement.
constexpr const char* pending_sql = R"(
select count(*) from webhook_events
where received_at between to_timestamp($1::float8 / 1000) and to_timestamp($2::float8 / 1000)
  and status = 'received')";

constexpr const char* lag_sql = R"(
select count(*) filter (where status = 'processed'),
       count(*) filter (where status <> 'processed'),
       count(*) filter (where status in ('failed', 'dead')),
       percentile_cont(array[0.5, 0.99]) within group (
           order by extract(epoch from processed_at - received_at)::float8)
         filter (where status = 'processed'),
       max(extract(epoch from processed_at - received_at)::float8)
         filter (where status = 'processed')
from webhook_events
where received_at between to_timestamp($1::float8 / 1000) and to_timestamp($2::float8 / 1000))";

class query_window {
 public:
  query_window(PGconn* connection, std::int64_t from_ms, std::int64_t to_ms)
      : connection_(connection),
        from_(std::to_string(from_ms - window_slack_ms)),
        to_(std::to_string(to_ms + window_slack_ms)) {}

  // nullptr after an error, whose text is then in `error`.
  pq_result run(const char* sql, std::string& error) const {
    const char* values[] = {from_.c_str(), to_.c_str()};
    pq_result result{PQexecParams(connection_, sql, 2, nullptr, values, nullptr, nullptr, 0)};
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
      error = PQerrorMessage(connection_);
      return nullptr;
    }
    return result;
  }

 private:
  PGconn* connection_;
  std::string from_;
  std::string to_;
};

std::optional<double> number_at(PGresult* result, int column) {
  if (PQgetisnull(result, 0, column))
    return std::nullopt;
  return std::strtod(PQgetvalue(result, 0, column), nullptr);
}

// percentile_cont over an array answers with an array literal: {0.012,0.2}.
std::vector<double> parse_float_array(const char* text) {
  std::vector<double> values;
  const char* at = text;
  while (*at != '\0') {
    if (*at == '{' || *at == ',' || *at == '}') {
      ++at;
      continue;
    }
    char* end = nullptr;
    values.push_back(std::strtod(at, &end));
    if (end == at)
      break;
    at = end;
  }
  return values;
}

}  // namespace

std::variant<apply_lag, std::string> measure_apply_lag(const std::string& database_url,
                                                       std::int64_t from_ms, std::int64_t to_ms,
                                                       std::chrono::seconds settle) {
  pq_connection connection{PQconnectdb(database_url.c_str())};
  if (PQstatus(connection.get()) != CONNECTION_OK)
    return std::string(PQerrorMessage(connection.get()));
  query_window window(connection.get(), from_ms, to_ms);
  std::string error;

  auto started = std::chrono::steady_clock::now();
  for (;;) {
    auto pending = window.run(pending_sql, error);
    if (!pending)
      return error;
    bool drained = std::strtoll(PQgetvalue(pending.get(), 0, 0), nullptr, 10) == 0;
    if (drained || std::chrono::steady_clock::now() - started >= settle)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }

  auto result = window.run(lag_sql, error);
  if (!result)
    return error;
  apply_lag lag;
  lag.waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  lag.processed = std::strtoull(PQgetvalue(result.get(), 0, 0), nullptr, 10);
  lag.unprocessed = std::strtoull(PQgetvalue(result.get(), 0, 1), nullptr, 10);
  lag.failed = std::strtoull(PQgetvalue(result.get(), 0, 2), nullptr, 10);
  if (!PQgetisnull(result.get(), 0, 3)) {
    auto percentiles = parse_float_array(PQgetvalue(result.get(), 0, 3));
    if (percentiles.size() == 2) {
      lag.p50_s = percentiles[0];
      lag.p99_s = percentiles[1];
    }
  }
  lag.max_s = number_at(result.get(), 4);
  return lag;
}

}  // namespace crmd::openphone_emulator
