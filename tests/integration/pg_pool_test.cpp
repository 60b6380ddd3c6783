// The asynchronous PostgreSQL pool against the test cluster (CRM_TEST_DATABASE_URL). Test code
// blocks on futures; the pool runs on two io threads and must never block them.
#include "storage/pg_pool.hpp"
#include "storage/migrator.hpp"
#include "tests/support/test_database.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <prometheus/registry.h>

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace crmd::storage {
namespace {

using namespace std::chrono_literals;
using crmd::testing::test_database;

// Generous bound for one completion; only reached when something hangs.
constexpr auto completion_deadline = 60s;

bool wait_until(const std::function<bool()>& condition, std::chrono::seconds limit = 30s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// The value of a counter or gauge sample (with one label, or none), or -1 when it is missing.
double metric(prometheus::Registry& registry, const std::string& name,
              const std::string& label = {}, const std::string& value = {}) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name)
      continue;
    for (const auto& sample : family.metric) {
      bool match = label.empty();
      for (const auto& pair : sample.label)
        match = match || (pair.name == label && pair.value == value);
      if (!match)
        continue;
      if (family.type == prometheus::MetricType::Counter)
        return sample.counter.value;
      if (family.type == prometheus::MetricType::Gauge)
        return sample.gauge.value;
      return static_cast<double>(sample.histogram.sample_count);
    }
  }
  return -1;
}

// A blocking session of the test's own, to hold locks the pool's connections wait on.
class blocking_session {
 public:
  explicit blocking_session(const std::string& url) : conn_(PQconnectdb(url.c_str()), &PQfinish) {
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw std::runtime_error(PQerrorMessage(conn_.get()));
  }
  void exec(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn_.get(), sql.c_str()), &PQclear);
    auto status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
      throw std::runtime_error(PQerrorMessage(conn_.get()));
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

class PgPool : public ::testing::Test {
 protected:
  PgPool() : db_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    // Every connection prepares the embedded queries, which name the migrated tables.
    auto migrated = crmd::storage::migrate(db_.url());
    if (!std::holds_alternative<crmd::storage::migrate_report>(migrated))
      ADD_FAILURE() << std::get<crmd::storage::migrate_error>(migrated).message;
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([this] { io_.run(); });
  }

  // Stops every pool, then lets the io threads run dry: a pool that left a timer or a socket wait
  // behind after stop() would hang the join.
  ~PgPool() override {
    for (auto& pool : pools_)
      stop(*pool);
    pools_.clear();
    work_.reset();
    for (auto& thread : threads_)
      thread.join();
  }

  pg_pool& make_pool(pg_pool_config config, bool start = true) {
    pools_.push_back(std::make_unique<pg_pool>(io_, std::move(config), registry_));
    if (start)
      pools_.back()->start();
    return *pools_.back();
  }

  pg_pool_config config(int size) {
    pg_pool_config c;
    c.conninfo = db_.url();
    c.size = size;
    c.reconnect_min = 10ms;
    c.reconnect_max = 100ms;
    return c;
  }

  static std::future<pg_outcome> submit(pg_pool& pool, std::vector<statement> batch) {
    auto promise = std::make_shared<std::promise<pg_outcome>>();
    auto future = promise->get_future();
    pool.execute(std::move(batch), [promise](pg_outcome outcome) {
      promise->set_value(std::move(outcome));  // a second call would throw here
    });
    return future;
  }

  static pg_outcome wait(std::future<pg_outcome>& future) {
    if (future.wait_for(completion_deadline) == std::future_status::ready)
      return future.get();
    ADD_FAILURE() << "completion never came";
    return pg_outcome{pg_error{"test_timeout", {}, {}}, {}};
  }

  static pg_outcome run(pg_pool& pool, std::vector<statement> batch) {
    auto future = submit(pool, std::move(batch));
    return wait(future);
  }

  static void stop(pg_pool& pool) {
    std::promise<void> stopped;
    pool.stop([&stopped] { stopped.set_value(); });
    ASSERT_EQ(stopped.get_future().wait_for(completion_deadline), std::future_status::ready);
  }

  double batches(const std::string& outcome) {
    return metric(registry_, "crmd_pg_batches_total", "outcome", outcome);
  }

  test_database db_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
    boost::asio::make_work_guard(io_)};
  prometheus::Registry registry_;
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<pg_pool>> pools_;
};

TEST_F(PgPool, SelectsWithParametersAndNulls) {
  auto& pool = make_pool(config(2));
  auto outcome = run(
    pool, {statement::text("SELECT $1::int + 1 AS n, $2::text AS t, NULL::int AS z, 'a' || $3 AS s",
                           {"41", std::nullopt, "✓ é"}),
           statement::text("SELECT generate_series(1, 3) AS i")});
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  ASSERT_EQ(outcome.results.size(), 2u);
  const auto& first = outcome.results[0];
  EXPECT_EQ(first.columns, (std::vector<std::string>{"n", "t", "z", "s"}));
  ASSERT_EQ(first.rows.size(), 1u);
  EXPECT_EQ(first.rows[0], (std::vector<pg_value>{"42", std::nullopt, std::nullopt, "a✓ é"}));
  EXPECT_EQ(first.column("s"), 3);
  EXPECT_EQ(first.column("missing"), -1);
  EXPECT_EQ(outcome.results[1].rows.size(), 3u);
  EXPECT_EQ(outcome.results[1].rows[2][0], "3");
  EXPECT_EQ(outcome.results[1].affected_rows, 3);
  EXPECT_EQ(batches("ok"), 1);
  EXPECT_EQ(metric(registry_, "crmd_pg_batch_duration_seconds"), 1);
}

// A host name goes through Asio's resolver, not libpq's blocking getaddrinfo. A host list makes
// libpq close the refused socket and open another mid-connect, often under the same number.
TEST_F(PgPool, ConnectsThroughHostNamesAndHostLists) {
  auto at = db_.url().find("127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << "expects the dev cluster on 127.0.0.1";
  for (auto replacement : {"localhost:", "127.0.0.1:1,127.0.0.1:"}) {
    auto c = config(2);
    c.conninfo.replace(at, 10, replacement);
    auto& pool = make_pool(c);
    auto outcome = run(pool, {statement::named("ping")});
    EXPECT_TRUE(outcome.ok()) << replacement << ": " << outcome.error->message;
    EXPECT_TRUE(wait_until([&] { return pool.stats().idle == 2; })) << replacement;
  }
}

TEST_F(PgPool, BatchCommitsOrFailsAsOne) {
  db_.exec("CREATE TABLE items (id int PRIMARY KEY)");
  auto& pool = make_pool(config(1));
  auto insert = [](const char* id) {
    return statement::text("INSERT INTO items VALUES ($1)", {id});
  };

  auto bad_input = run(pool, {insert("1"), insert("not a number"), insert("3")});
  ASSERT_FALSE(bad_input.ok());
  EXPECT_EQ(bad_input.error->code, "query_failed");
  EXPECT_EQ(bad_input.error->sqlstate, "22P02");
  EXPECT_TRUE(bad_input.results.empty());
  auto duplicate = run(pool, {insert("1"), insert("1")});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error->sqlstate, "23505");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM items"), "0");

  // The same connection carries on after a failed pipeline.
  auto good = run(pool, {insert("1"), insert("2"), statement::text("SELECT count(*) FROM items")});
  ASSERT_TRUE(good.ok()) << good.error->message;
  ASSERT_EQ(good.results.size(), 3u);
  EXPECT_EQ(good.results[0].affected_rows, 1);
  EXPECT_TRUE(good.results[0].columns.empty());
  EXPECT_EQ(good.results[2].rows[0][0], "2");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM items"), "2");
  EXPECT_EQ(batches("query_failed"), 2);
}

TEST_F(PgPool, RunsPreparedQueries) {
  auto& pool = make_pool(config(2));
  auto ping = run(pool, {statement::named("ping"), statement::named("ping")});
  ASSERT_TRUE(ping.ok()) << ping.error->message;
  ASSERT_EQ(ping.results.size(), 2u);
  EXPECT_EQ(ping.results[1].columns, std::vector<std::string>{"ok"});
  EXPECT_EQ(ping.results[1].rows, (std::vector<std::vector<pg_value>>{{"1"}}));

  auto unknown = run(pool, {statement::named("no_such_query")});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error->sqlstate, "26000");
}

TEST_F(PgPool, CompletesTwoThousandConcurrentBatches) {
  db_.exec("CREATE TABLE events (id int PRIMARY KEY, body text)");
  auto c = config(4);
  c.queue_timeout = 120s;  // only correctness is checked here, never speed
  auto& pool = make_pool(c);
  constexpr int total = 2000;
  std::atomic<int> done{0}, ok{0}, rows{0};
  std::promise<void> all_done;
  for (int i = 0; i < total; ++i) {
    pool.execute({statement::text("INSERT INTO events VALUES ($1, $2)",
                                  {std::to_string(i), "event " + std::to_string(i)})},
                 [&](pg_outcome outcome) {
                   if (outcome.ok()) {
                     ++ok;
                     rows += static_cast<int>(outcome.results.at(0).affected_rows);
                   }
                   if (++done == total)
                     all_done.set_value();
                 });
  }
  ASSERT_EQ(all_done.get_future().wait_for(completion_deadline * 2), std::future_status::ready);
  EXPECT_EQ(ok, total);
  EXPECT_EQ(rows, total);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM events"), std::to_string(total));
  EXPECT_EQ(batches("ok"), total);
  EXPECT_EQ(pool.stats().waiting, 0u);
  EXPECT_TRUE(wait_until([&] { return pool.stats().idle == 4; }));
  EXPECT_EQ(metric(registry_, "crmd_pg_pool_connections", "state", "idle"), 4);
  EXPECT_EQ(metric(registry_, "crmd_pg_pool_connections", "state", "busy"), 0);
}

TEST_F(PgPool, WaitingBatchTimesOutWhileTheOnlyConnectionIsHeld) {
  auto c = config(1);
  c.queue_timeout = 100ms;
  auto& pool = make_pool(c);
  ASSERT_TRUE(wait_until([&] { return pool.stats().idle == 1; }));
  auto sleeper = submit(pool, {statement::text("SELECT pg_sleep(60)")});
  ASSERT_TRUE(wait_until([&] { return pool.stats().busy == 1; }));

  auto queued = run(pool, {statement::text("SELECT 1")});
  ASSERT_FALSE(queued.ok());
  EXPECT_EQ(queued.error->code, "pool_timeout");
  EXPECT_EQ(pool.stats().waiting, 0u);
  EXPECT_EQ(metric(registry_, "crmd_pg_pool_waiting_batches"), 0);

  // Cancel the sleep rather than wait for it: the held batch fails on its own, as a query error.
  ASSERT_TRUE(wait_until([&] {
    return db_.scalar("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE datname ="
                      " current_database() AND query = 'SELECT pg_sleep(60)'")
           == "1";
  }));
  auto cancelled = wait(sleeper);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error->code, "query_failed");
  EXPECT_EQ(cancelled.error->sqlstate, "57014");
  EXPECT_TRUE(run(pool, {statement::text("SELECT 1")}).ok());
  EXPECT_EQ(batches("pool_timeout"), 1);
}

TEST_F(PgPool, KilledConnectionFailsItsBatchAndReconnects) {
  db_.exec("CREATE TABLE marks (id int)");
  auto& pool = make_pool(config(1));
  auto victim = submit(pool, {statement::text("INSERT INTO marks VALUES (1)"),
                              statement::text("SELECT pg_sleep(60)")});
  ASSERT_TRUE(wait_until([&] {
    return db_.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname"
                      " = current_database() AND query = 'SELECT pg_sleep(60)'")
           == "1";
  }));
  auto lost = wait(victim);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error->code, "connection_lost");
  EXPECT_TRUE(lost.error->sqlstate.empty());

  // Queued while the connection is down, served once it is back.
  auto after = run(pool, {statement::named("ping")});
  ASSERT_TRUE(after.ok()) << after.error->message;
  EXPECT_GE(metric(registry_, "crmd_pg_reconnects_total"), 1);
  EXPECT_EQ(batches("connection_lost"), 1);
  // Not retried behind the caller's back, and its insert was never committed.
  EXPECT_TRUE(wait_until([&] {
    return db_.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      " AND query = 'SELECT pg_sleep(60)'")
           == "0";
  }));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM marks"), "0");
}

// An idle connection keeps a read pending, so a server-side disconnect is noticed before the next
// batch would be sent into a dead socket.
TEST_F(PgPool, NoticesAnIdleConnectionDying) {
  auto& pool = make_pool(config(1));
  ASSERT_TRUE(wait_until([&] { return pool.stats().idle == 1; }));
  ASSERT_EQ(db_.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                       " AND backend_type = 'client backend'"),
            "1");
  ASSERT_TRUE(wait_until([&] { return metric(registry_, "crmd_pg_reconnects_total") >= 1; }, 10s));
  auto outcome = run(pool, {statement::named("ping")});
  EXPECT_TRUE(outcome.ok()) << outcome.error->message;
  EXPECT_EQ(batches("connection_lost"), 0);
}

TEST_F(PgPool, UnreachableServerTimesOutBatchesAndKeepsReconnecting) {
  for (std::string conninfo : {"postgresql://crmd@127.0.0.1:1/nowhere",
                               "postgresql://crmd@no-such-host.invalid/crmd", "not a conninfo"}) {
    SCOPED_TRACE(conninfo);
    prometheus::Registry registry;
    auto c = config(2);
    c.conninfo = conninfo;
    c.queue_timeout = 200ms;
    pg_pool pool(io_, c, registry);
    pool.start();
    auto outcome = run(pool, {statement::text("SELECT 1")});
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error->code, "pool_timeout");
    EXPECT_TRUE(wait_until([&] { return metric(registry, "crmd_pg_reconnects_total") >= 2; }));
    auto stats = pool.stats();
    EXPECT_EQ(stats.idle + stats.busy, 0);
    EXPECT_EQ(stats.connecting + stats.broken, 2);
    stop(pool);
  }
}

TEST_F(PgPool, StopFailsQueuedWorkAndWaitsForInFlight) {
  blocking_session locker(db_.url());
  locker.exec("SELECT pg_advisory_lock(7)");
  auto& pool = make_pool(config(1));
  auto in_flight = submit(pool, {statement::text("SELECT pg_advisory_xact_lock(7)")});
  ASSERT_TRUE(wait_until([&] { return pool.stats().busy == 1; }));
  auto queued_a = submit(pool, {statement::text("SELECT 1")});
  auto queued_b = submit(pool, {statement::named("ping")});

  std::promise<void> stopped;
  auto stopped_future = stopped.get_future();
  pool.stop([&stopped] { stopped.set_value(); });
  EXPECT_EQ(wait(queued_a).error.value_or(pg_error{}).code, "pool_stopped");
  EXPECT_EQ(wait(queued_b).error.value_or(pg_error{}).code, "pool_stopped");
  // The in-flight batch holds stop() up: it cannot finish while this session holds the lock.
  EXPECT_EQ(stopped_future.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(in_flight.wait_for(0s), std::future_status::timeout);

  locker.exec("SELECT pg_advisory_unlock(7)");
  auto finished = wait(in_flight);
  EXPECT_TRUE(finished.ok()) << finished.error->message;
  ASSERT_EQ(stopped_future.wait_for(completion_deadline), std::future_status::ready);

  auto late = run(pool, {statement::text("SELECT 1")});
  EXPECT_EQ(late.error.value_or(pg_error{}).code, "pool_stopped");
  auto stats = pool.stats();
  EXPECT_EQ(stats.idle + stats.busy + stats.connecting + stats.broken, 0);
  EXPECT_EQ(batches("pool_stopped"), 3);
  // Every pool connection closes; only the locker session is left.
  EXPECT_TRUE(wait_until([&] {
    return db_.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      " AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
           == "1";
  }));
}

TEST_F(PgPool, StopBeforeStartCompletes) {
  auto& pool = make_pool(config(2), false);
  auto queued = submit(pool, {statement::text("SELECT 1")});
  stop(pool);
  EXPECT_EQ(wait(queued).error.value_or(pg_error{}).code, "pool_stopped");
}

}  // namespace
}  // namespace crmd::storage
