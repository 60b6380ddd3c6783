#include "actors/openphone_client_actor.hpp"

#include "actors/exception_text.hpp"
#include "actors/openphone_client_metrics.hpp"
#include "actors/openphone_client_outcome.hpp"
#include "domain/circuit_breaker.hpp"
#include "domain/error_window.hpp"
#include "domain/retry_schedule.hpp"
#include "domain/token_bucket.hpp"
#include "integrations/http/http_client.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <unordered_map>

namespace crmd {

namespace {

using time_point = caf::actor_clock::time_point;

struct pending_call {
  provider_request request;
  caf::typed_response_promise<provider_result> promise;
  int attempts = 0;
  time_point queued_at;  // when it last joined the queue
  time_point sent_at;    // when its current attempt went out
};

struct openphone_client_state {
  static constexpr const char* name = "crmd.openphone_client";

  openphone_client_config config;
  std::unique_ptr<http::http_client> http;
  std::optional<provider_metrics> metrics;  // set before the behaviour starts
  domain::token_bucket bucket{1, 1};
  domain::circuit_breaker breaker{1, std::chrono::milliseconds{0}};
  domain::retry_policy retry;
  std::mt19937_64 random{std::random_device{}()};
  std::uint64_t next_call = 1;
  std::unordered_map<std::uint64_t, pending_call> calls;  // queued, in flight or awaiting a retry
  std::deque<std::uint64_t> queue;                        // waiting for a token, FIFO
  bool wake_scheduled = false;
  bool circuit_reported_open = false;
  // Attempts of the last 15 minutes, failed when not answered (for sync health's error ratio).
  domain::error_window errors;
};

using client_ptr = openphone_client_actor::stateful_pointer<openphone_client_state>;

void finish(client_ptr self, std::uint64_t id, provider_result result) {
  auto it = self->state.calls.find(id);
  if (it == self->state.calls.end())
    return;
  it->second.promise.deliver(std::move(result));
  self->state.calls.erase(it);
}

void fail(client_ptr self, std::uint64_t id, std::string code, std::string message,
          int status = 0) {
  finish(self, id, provider_failure{std::move(code), std::move(message), status});
}

// Keeps the gauge and the log in step with the breaker: one line when it opens, one when it
// closes again.
void report_circuit(client_ptr self) {
  auto& st = self->state;
  bool open = st.breaker.current(self->clock().now()) != domain::circuit_breaker::state::closed;
  st.metrics->circuit_open(open);
  if (open != st.circuit_reported_open)
    (open ? log::error : log::info)("openphone_client",
                                    open ? "circuit opened: OpenPhone calls fail fast"
                                         : "circuit closed",
                                    {{"cooldown_ms", st.config.breaker_cooldown.count()}});
  st.circuit_reported_open = open;
}

http::http_request to_http(const openphone_client_state& st, const provider_request& request) {
  http::http_request out{.method = request.method, .target = request.target,
                         .body = request.body, .timeout = st.config.timeout};
  out.headers.emplace_back("Authorization", st.config.api_key);  // raw: OpenPhone rejects Bearer
  out.headers.emplace_back("Accept", "application/json");
  if (!request.body.empty())
    out.headers.emplace_back("Content-Type", "application/json");
  out.headers.insert(out.headers.end(), request.headers.begin(), request.headers.end());
  return out;
}

void dispatch(client_ptr self, std::uint64_t id, time_point now) {
  auto& st = self->state;
  auto& call = st.calls.at(id);
  ++call.attempts;
  call.sent_at = now;
  st.metrics->throttled(now - call.queued_at);
  // The callback runs on the HTTP client's io thread: it only sends the result back in here.
  st.http->send(to_http(st, call.request),
                [handle = caf::actor_cast<openphone_client_actor>(self), id](http::http_result r) {
                  caf::anon_send(handle, atoms::provider_done_atom_v,
                                 provider_attempt{id, std::move(r)});
                });
}

// Sends queued calls as far as tokens and the breaker allow.
void drain(client_ptr self) {
  auto& st = self->state;
  while (!st.queue.empty()) {
    auto now = self->clock().now();
    if (st.breaker.current(now) == domain::circuit_breaker::state::open) {
      for (auto id : std::exchange(st.queue, {}))
        fail(self, id, "circuit_open", "OpenPhone calls are failing; not sent");
      break;
    }
    if (auto wait = st.bucket.wait_time(now); wait > wait.zero()) {
      if (!std::exchange(st.wake_scheduled, true))
        self->delayed_send(self, wait, atoms::provider_wake_atom_v);
      break;
    }
    // Half-open with the probe still out: the rest wait for its verdict.
    if (!st.breaker.allow(now))
      break;
    st.bucket.try_take(now);
    auto id = st.queue.front();
    st.queue.pop_front();
    dispatch(self, id, now);
  }
  st.metrics->queue_depth(st.queue.size());
  report_circuit(self);
}

void enqueue(client_ptr self, std::uint64_t id, bool front) {
  auto& st = self->state;
  st.calls.at(id).queued_at = self->clock().now();
  if (front)
    st.queue.push_front(id);
  else
    st.queue.push_back(id);
  drain(self);
}

void schedule_retry(client_ptr self, std::uint64_t id, const attempt_outcome& outcome) {
  auto& st = self->state;
  auto& call = st.calls.at(id);
  auto now = self->clock().now();
  // Retry-After (or, for a bare 429, the shortest backoff) holds back every caller: they share
  // the key the provider is throttling.
  if (outcome.status_label == "429")
    st.bucket.defer_until(now + outcome.retry_after.value_or(st.retry.backoff_min));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto delay = domain::retry_delay(st.retry, call.attempts, outcome.retry_after, unit(st.random));
  if (!delay)
    return fail(self, id, "retries_exhausted",
                "gave up after " + std::to_string(call.attempts) + " attempts; last: "
                  + outcome.failure.code + " " + outcome.failure.message,
                outcome.failure.status);
  if (st.breaker.current(now) == domain::circuit_breaker::state::open)
    return fail(self, id, "circuit_open", "circuit opened after: " + outcome.failure.message,
                outcome.failure.status);
  st.metrics->retry(call.request.endpoint);
  log::warn("openphone_client", "retrying",
            {{"endpoint", call.request.endpoint}, {"status", outcome.status_label},
             {"attempt", call.attempts}, {"delay_ms", delay->count()}});
  self->delayed_send(self, *delay, atoms::provider_retry_atom_v, id);
}

void on_attempt(client_ptr self, provider_attempt& attempt) {
  auto& st = self->state;
  auto it = st.calls.find(attempt.call);
  if (it == st.calls.end())
    return;
  auto now = self->clock().now();
  auto& call = it->second;
  auto outcome = classify_attempt(attempt.result, is_idempotent(call.request.method),
                                  std::chrono::system_clock::now());
  st.metrics->attempt(call.request.endpoint, outcome.status_label, now - call.sent_at);
  st.errors.record(now, outcome.what != attempt_outcome::kind::answered);
  if (outcome.provider_up)
    st.breaker.record_success();
  else
    st.breaker.record_failure(now);
  report_circuit(self);
  switch (outcome.what) {
    case attempt_outcome::kind::answered:
      finish(self, attempt.call, std::move(*outcome.response));
      break;
    case attempt_outcome::kind::failed:
      log::warn("openphone_client", "call failed",
                {{"endpoint", call.request.endpoint}, {"status", outcome.status_label}});
      finish(self, attempt.call, std::move(outcome.failure));
      break;
    case attempt_outcome::kind::retryable:
      schedule_retry(self, attempt.call, outcome);
      break;
  }
  drain(self);
}

const char* circuit_text(client_ptr self) {
  switch (self->state.breaker.current(self->clock().now())) {
    case domain::circuit_breaker::state::open:
      return "open";
    case domain::circuit_breaker::state::half_open:
      return "half_open";
    case domain::circuit_breaker::state::closed:
      break;
  }
  return "closed";
}

// An exit ends the actor: every caller still waiting hears so instead of timing out.
void fail_all(client_ptr self, const std::string& reason) {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, call] : self->state.calls)
    ids.push_back(id);
  for (auto id : ids)
    fail(self, id, "shutdown", "the OpenPhone client stopped: " + reason);
  self->state.queue.clear();
}

openphone_client_actor::behavior_type openphone_client(client_ptr self,
                                                       openphone_client_config config,
                                                       provider_metrics metrics) {
  auto& st = self->state;
  self->set_exit_handler([self](caf::exit_msg& msg) {
    fail_all(self, to_string(msg.reason));
    self->quit(std::move(msg.reason));
  });
  self->set_exception_handler([self](std::exception_ptr& error) -> caf::error {
    auto what = exception_text(error);
    log::error("openphone_client", "handler threw", {{"error", what}});
    fail_all(self, what);
    return caf::make_error(caf::sec::runtime_error, what);
  });
  st.bucket = domain::token_bucket(config.rate_per_second, config.burst);
  st.breaker = domain::circuit_breaker(config.breaker_failures, config.breaker_cooldown);
  st.retry = {config.max_attempts, config.backoff_min, config.backoff_max};
  st.metrics.emplace(std::move(metrics));
  st.http = std::make_unique<http::http_client>(
    http::http_client_config{.base_url = config.base_url, .timeout = config.timeout});
  st.http->start();
  st.config = std::move(config);
  report_circuit(self);
  return {
    [self](provider_request_atom, provider_request& request) -> caf::result<provider_result> {
      auto& st = self->state;
      auto id = st.next_call++;
      auto promise = self->make_response_promise<provider_result>();
      st.calls.emplace(id, pending_call{std::move(request), promise});
      enqueue(self, id, false);
      return promise;
    },
    [self](atoms::provider_done_atom, provider_attempt& attempt) { on_attempt(self, attempt); },
    // A retry goes ahead of newer calls: it has waited longest.
    [self](atoms::provider_retry_atom, std::uint64_t id) {
      if (self->state.calls.contains(id))
        enqueue(self, id, true);
    },
    [self](atoms::provider_wake_atom) {
      self->state.wake_scheduled = false;
      drain(self);
    },
    [self](atoms::provider_status_atom) -> std::string { return circuit_text(self); },
    [self](atoms::provider_health_atom) -> caf::result<std::string, double, std::int64_t> {
      auto counts = self->state.errors.counts(self->clock().now());
      return {circuit_text(self), counts.ratio(), counts.total};
    },
  };
}

}  // namespace

openphone_client_actor spawn_openphone_client(caf::actor_system& system,
                                              openphone_client_config config,
                                              prometheus::Registry& registry) {
  return system.spawn(openphone_client, std::move(config),
                      provider_metrics(registry, "openphone"));
}

}  // namespace crmd
