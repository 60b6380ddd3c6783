#include "storage/pg_pool.hpp"

#include "domain/backoff.hpp"
#include "observability/log.hpp"
#include "storage/pg_connection.hpp"
#include "storage/pg_pool_metrics.hpp"
#include "storage/query_catalog.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <random>
#include <stdexcept>

namespace crmd::storage {

namespace {

using clock = std::chrono::steady_clock;
using detail::slot_state;

pg_outcome failure(std::string code, std::string message) {
  return pg_outcome{pg_error{std::move(code), {}, std::move(message)}, {}};
}

// Caught before sending: libpq would refuse the first mid-batch, after earlier statements of the
// pipeline were queued, and it would silently cut a parameter at a NUL byte.
std::optional<pg_error> validate(const std::vector<statement>& batch) {
  for (const auto& st : batch) {
    if (st.params.size() > 65535)
      return pg_error{"query_failed", "54023", "more than 65535 parameters in one statement"};
    for (const auto& param : st.params)
      if (param && param->find('\0') != std::string::npos)
        return pg_error{"query_failed", "22021", "a parameter contains a NUL byte"};
  }
  return std::nullopt;
}

void check_config(const pg_pool_config& config) {
  if (config.size < 1)
    throw std::invalid_argument("pg_pool: size must be at least 1");
  if (config.reconnect_min.count() <= 0 || config.reconnect_max < config.reconnect_min)
    throw std::invalid_argument("pg_pool: need 0 < reconnect_min <= reconnect_max");
  if (config.connect_timeout.count() <= 0)
    throw std::invalid_argument("pg_pool: connect_timeout must be positive");
  const auto& catalog = embedded_query_catalog();
  if (!catalog.ok()) {
    const auto& first = catalog.problems.front();
    throw std::runtime_error("storage/queries/" + first.area + ".sql line "
                             + std::to_string(first.line) + ": " + first.message);
  }
}

}  // namespace

struct pg_pool::impl : std::enable_shared_from_this<impl> {
  struct waiting_batch {
    std::vector<statement> batch;
    completion done;
    clock::time_point deadline;
  };

  struct slot {
    explicit slot(detail::pool_strand& strand) : backoff(strand) {}
    slot_state state = slot_state::off;
    std::shared_ptr<detail::pg_connection> conn;
    boost::asio::steady_timer backoff;
    int failures = 0;  // consecutive, for the reconnect delay
    completion done;   // of the batch in flight
    clock::time_point started;
  };

  enum class run_state { created, running, stopping, stopped };

  impl(boost::asio::io_context& io, pg_pool_config config, prometheus::Registry& registry)
    : strand_(boost::asio::make_strand(io)),
      config_(std::move(config)),
      catalog_(embedded_query_catalog()),
      metrics_(registry),
      queue_timer_(strand_),
      rng_(std::random_device{}()) {
    for (int i = 0; i < config_.size; ++i)
      slots_.push_back(std::make_unique<slot>(strand_));
  }

  ~impl() {
    for (auto& s : slots_)
      if (s->conn)
        s->conn->close();
  }

  template <class F>
  void post(F&& f) {
    boost::asio::post(strand_, std::forward<F>(f));
  }

  void start() {
    if (run_ != run_state::created)
      return;
    run_ = run_state::running;
    log::info("pg_pool", "starting", {{"size", config_.size}});
    for (int i = 0; i < config_.size; ++i)
      connect(i);
  }

  void enqueue(std::vector<statement> batch, completion done) {
    if (run_ == run_state::stopping || run_ == run_state::stopped)
      return complete(std::move(done), failure("pool_stopped", "the database pool is stopped"));
    if (auto error = validate(batch))
      return complete(std::move(done), pg_outcome{std::move(error), {}});
    if (batch.empty())
      return complete(std::move(done), pg_outcome{});
    queue_.push_back({std::move(batch), std::move(done), clock::now() + config_.queue_timeout});
    waiting_changed();
    arm_queue_timer();
    dispatch();
  }

  void dispatch() {
    for (std::size_t i = 0; i < slots_.size() && !queue_.empty(); ++i) {
      auto& s = *slots_[i];
      if (s.state != slot_state::idle)
        continue;
      auto next = std::move(queue_.front());
      queue_.pop_front();
      waiting_changed();
      set_state(s, slot_state::busy);
      s.done = std::move(next.done);
      s.started = clock::now();
      auto conn = s.conn;  // a failing send drops s.conn from inside execute()
      conn->execute(next.batch);
    }
  }

  // Completions run as their own strand handlers, after the pool's state is consistent, so they
  // may call execute() or stop() freely.
  void complete(completion done, pg_outcome outcome) {
    metrics_.count(outcome);
    if (done)
      post([done = std::move(done), outcome = std::move(outcome)]() mutable {
        done(std::move(outcome));
      });
  }

  // The front of the FIFO always has the earliest deadline, so one timer serves the whole queue.
  void arm_queue_timer() {
    if (queue_timer_armed_ || queue_.empty())
      return;
    queue_timer_armed_ = true;
    queue_timer_.expires_at(queue_.front().deadline);
    queue_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->queue_timer_armed_ = false;
      if (!ec)
        self->expire_waiting();
    });
  }

  void expire_waiting() {
    auto now = clock::now();
    while (!queue_.empty() && queue_.front().deadline <= now) {
      auto done = std::move(queue_.front().done);
      queue_.pop_front();
      complete(std::move(done),
               failure("pool_timeout", "no database connection became free within "
                                         + std::to_string(config_.queue_timeout.count()) + " ms"));
    }
    waiting_changed();
    arm_queue_timer();
  }

  void connect(int index) {
    auto& s = *slots_[static_cast<std::size_t>(index)];
    set_state(s, slot_state::connecting);
    std::weak_ptr<impl> weak = weak_from_this();
    detail::pg_connection::listener events{
      [weak, index] {
        if (auto self = weak.lock())
          self->on_ready(index);
      },
      [weak, index](std::string reason) {
        if (auto self = weak.lock())
          self->on_lost(index, std::move(reason));
      },
      [weak, index](pg_outcome outcome) {
        if (auto self = weak.lock())
          self->on_finished(index, std::move(outcome));
      }};
    s.conn = std::make_shared<detail::pg_connection>(strand_, index, catalog_, std::move(events));
    auto conn = s.conn;  // a synchronous failure drops s.conn from inside connect()
    conn->connect(config_.conninfo, config_.connect_timeout);
  }

  void on_ready(int index) {
    auto& s = *slots_[static_cast<std::size_t>(index)];
    s.failures = 0;
    set_state(s, slot_state::idle);
    log::info("pg_pool", "connected",
              {{"connection", index}, {"backend_pid", s.conn->backend_pid()}});
    dispatch();
  }

  void on_finished(int index, pg_outcome outcome) {
    auto& s = *slots_[static_cast<std::size_t>(index)];
    metrics_.observe_duration(std::chrono::duration<double>(clock::now() - s.started).count());
    auto done = std::move(s.done);
    if (run_ == run_state::stopping)
      close_slot(s);
    else
      set_state(s, slot_state::idle);
    complete(std::move(done), std::move(outcome));
    if (run_ == run_state::stopping)
      check_stopped();
    else
      dispatch();
  }

  // The in-flight batch is failed, never retried: it may have committed before the connection
  // broke, and only the caller knows whether running it again is safe.
  void on_lost(int index, std::string reason) {
    auto& s = *slots_[static_cast<std::size_t>(index)];
    bool was_up = s.state == slot_state::idle || s.state == slot_state::busy;
    s.conn.reset();
    if (s.state == slot_state::busy)
      complete(std::move(s.done), failure("connection_lost", reason));
    if (run_ != run_state::running) {
      set_state(s, slot_state::off);
      check_stopped();
      return;
    }
    set_state(s, slot_state::broken);
    ++s.failures;
    auto delay = std::max(config_.reconnect_min,
                          domain::full_jitter_delay(s.failures, config_.reconnect_min,
                                                    config_.reconnect_max, unit_(rng_)));
    log::warn("pg_pool", was_up ? "connection lost" : "connecting failed",
              {{"connection", index},
               {"reason", reason},
               {"failures", s.failures},
               {"retry_in_ms", delay.count()}});
    s.backoff.expires_after(delay);
    s.backoff.async_wait([self = shared_from_this(), index](const boost::system::error_code& ec) {
      auto& s = *self->slots_[static_cast<std::size_t>(index)];
      if (ec || self->run_ != run_state::running || s.state != slot_state::broken)
        return;
      self->metrics_.reconnect();
      self->connect(index);
    });
  }

  void stop(std::function<void()> done) {
    if (done)
      stop_waiters_.push_back(std::move(done));
    if (run_ == run_state::created || run_ == run_state::running) {
      run_ = run_state::stopping;
      queue_timer_.cancel();
      while (!queue_.empty()) {
        auto waiting = std::move(queue_.front().done);
        queue_.pop_front();
        complete(std::move(waiting), failure("pool_stopped", "the database pool is stopping"));
      }
      waiting_changed();
      for (auto& s : slots_)
        if (s->state != slot_state::busy)
          close_slot(*s);
    }
    check_stopped();
  }

  void close_slot(slot& s) {
    s.backoff.cancel();
    if (auto conn = std::move(s.conn))
      conn->close();
    set_state(s, slot_state::off);
  }

  // Stop waiters are posted after every completion already posted, so they run last.
  void check_stopped() {
    if (run_ == run_state::stopping) {
      for (const auto& s : slots_)
        if (s->state != slot_state::off)
          return;
      run_ = run_state::stopped;
      stopped_ = true;
      log::info("pg_pool", "stopped");
    }
    if (run_ != run_state::stopped)
      return;
    for (auto& waiter : stop_waiters_)
      post(std::move(waiter));
    stop_waiters_.clear();
  }

  void set_state(slot& s, slot_state next) {
    if (s.state == next)
      return;
    metrics_.connection_moved(s.state, next);
    --counts_[static_cast<std::size_t>(s.state)];
    ++counts_[static_cast<std::size_t>(next)];
    s.state = next;
  }

  void waiting_changed() {
    auto now = queue_.size();
    auto before = waiting_.exchange(now);
    metrics_.waiting_moved(static_cast<double>(now) - static_cast<double>(before));
  }

  pg_pool_stats stats() const {
    pg_pool_stats out;
    out.size = config_.size;
    out.connecting = counts_[static_cast<std::size_t>(slot_state::connecting)];
    out.idle = counts_[static_cast<std::size_t>(slot_state::idle)];
    out.busy = counts_[static_cast<std::size_t>(slot_state::busy)];
    out.broken = counts_[static_cast<std::size_t>(slot_state::broken)];
    out.waiting = waiting_;
    return out;
  }

  detail::pool_strand strand_;
  pg_pool_config config_;
  const query_catalog& catalog_;
  detail::pool_metrics metrics_;
  std::vector<std::unique_ptr<slot>> slots_;
  std::deque<waiting_batch> queue_;
  boost::asio::steady_timer queue_timer_;
  bool queue_timer_armed_ = false;
  run_state run_ = run_state::created;
  std::vector<std::function<void()>> stop_waiters_;
  std::minstd_rand rng_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  // Written on the strand, read by stats() from any thread.
  std::array<std::atomic<int>, 5> counts_{};
  std::atomic<std::size_t> waiting_{0};
  std::atomic<bool> stopped_{false};
};

pg_pool::pg_pool(boost::asio::io_context& io, pg_pool_config config,
                 prometheus::Registry& metrics) {
  check_config(config);
  impl_ = std::make_shared<impl>(io, std::move(config), metrics);
}

// Without a prior stop(), queued batches still get their pool_stopped completion and idle
// connections close, provided the io_context keeps running.
pg_pool::~pg_pool() {
  if (!impl_->stopped_)
    stop({});
}

void pg_pool::start() {
  impl_->post([self = impl_] { self->start(); });
}

void pg_pool::execute(std::vector<statement> batch, completion done) {
  impl_->post([self = impl_, batch = std::move(batch), done = std::move(done)]() mutable {
    self->enqueue(std::move(batch), std::move(done));
  });
}

void pg_pool::stop(std::function<void()> done) {
  impl_->post([self = impl_, done = std::move(done)]() mutable { self->stop(std::move(done)); });
}

pg_pool_stats pg_pool::stats() const {
  return impl_->stats();
}

}  // namespace crmd::storage
