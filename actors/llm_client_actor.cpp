#include "actors/llm_client_actor.hpp"

#include "actors/exception_text.hpp"
#include "actors/llm_client_metrics.hpp"
#include "actors/llm_client_outcome.hpp"
#include "domain/retry_schedule.hpp"
#include "integrations/http/http_client.hpp"
#include "integrations/llm/chat_request.hpp"
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
  llm_classify_request request;
  caf::typed_response_promise<llm_classification> promise;
  int attempts = 0;
  time_point sent_at;  // when its current attempt went out
};

struct llm_client_state {
  static constexpr const char* name = "crmd.llm_client";

  llm_client_config config;
  std::unique_ptr<http::http_client> http;
  std::optional<llm_metrics> metrics;  // set before the behaviour starts
  domain::retry_policy retry;
  std::mt19937_64 random{std::random_device{}()};
  std::uint64_t next_call = 1;
  std::unordered_map<std::uint64_t, pending_call> calls;  // queued, in flight or awaiting a retry
  std::deque<std::uint64_t> queue;                        // waiting for a slot, FIFO
  std::size_t in_flight = 0;
  time_point hold_until;  // a 429's Retry-After: nothing goes out before it
  bool wake_scheduled = false;
};

using client_ptr = llm_client_actor::stateful_pointer<llm_client_state>;

void succeed(client_ptr self, std::uint64_t id, const integrations::llm::classification& result) {
  auto it = self->state.calls.find(id);
  if (it == self->state.calls.end())
    return;
  std::string verdict(integrations::llm::to_string(result.what));
  self->state.metrics->outcome(verdict);
  it->second.promise.deliver(llm_classification{std::move(verdict), result.reason});
  self->state.calls.erase(it);
}

// The caller gets a caf::error with a stable code in its context; the log gets the same.
void fail(client_ptr self, std::uint64_t id, const std::string& code, const std::string& why) {
  auto it = self->state.calls.find(id);
  if (it == self->state.calls.end())
    return;
  self->state.metrics->outcome("failed");
  log::warn("llm_client", "classification failed",
            {{"code", code}, {"reason", why}, {"attempts", it->second.attempts}});
  it->second.promise.deliver(
    caf::make_error(caf::sec::runtime_error, "[crmd.llm." + code + "] " + why));
  self->state.calls.erase(it);
}

http::http_request to_http(const llm_client_state& st, const llm_classify_request& request) {
  http::http_request out{.method = "POST",
                         .target = std::string(integrations::llm::chat_completions_target),
                         .body = integrations::llm::classify_request_body(
                           {.model = st.config.model,
                            .reply_body = request.reply_body,
                            .campaign_text = request.campaign_text}),
                         .timeout = st.config.timeout};
  if (!st.config.api_key.empty())
    out.headers.emplace_back("Authorization", "Bearer " + st.config.api_key);
  out.headers.emplace_back("Accept", "application/json");
  out.headers.emplace_back("Content-Type", "application/json");
  return out;
}

void dispatch(client_ptr self, std::uint64_t id, time_point now) {
  auto& st = self->state;
  auto& call = st.calls.at(id);
  ++call.attempts;
  call.sent_at = now;
  ++st.in_flight;
  // The callback runs on the HTTP client's io thread: it only sends the result back in here.
  st.http->send(to_http(st, call.request),
                [handle = caf::actor_cast<llm_client_actor>(self), id](http::http_result r) {
                  caf::anon_send(handle, atoms::llm_done_atom_v, llm_attempt{id, std::move(r)});
                });
}

// Sends queued calls as far as the concurrency limit and a provider's Retry-After allow.
void drain(client_ptr self) {
  auto& st = self->state;
  while (!st.queue.empty() && st.in_flight < st.config.max_in_flight) {
    auto now = self->clock().now();
    if (now < st.hold_until) {
      if (!std::exchange(st.wake_scheduled, true))
        self->delayed_send(self, st.hold_until - now, atoms::llm_wake_atom_v);
      return;
    }
    auto id = st.queue.front();
    st.queue.pop_front();
    if (st.calls.contains(id))
      dispatch(self, id, now);
  }
}

void schedule_retry(client_ptr self, std::uint64_t id, const llm_attempt_outcome& outcome) {
  auto& st = self->state;
  auto& call = st.calls.at(id);
  if (outcome.retry_after && *outcome.retry_after > st.config.max_retry_after)
    return fail(self, id, "rate_limited",
                "the LLM API asks to wait " + std::to_string(outcome.retry_after->count() / 1000)
                  + " s: " + outcome.message);
  // A 429 speaks for the key, not for this call: every call waits out the Retry-After.
  if (outcome.status_label == "429")
    st.hold_until = std::max(st.hold_until, self->clock().now()
                                              + outcome.retry_after.value_or(st.retry.backoff_min));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto delay = domain::retry_delay(st.retry, call.attempts, outcome.retry_after, unit(st.random));
  if (!delay)
    return fail(self, id, "retries_exhausted",
                "gave up after " + std::to_string(call.attempts) + " attempts; last: "
                  + outcome.code + ": " + outcome.message);
  st.metrics->retry();
  log::warn("llm_client", "retrying",
            {{"status", outcome.status_label}, {"attempt", call.attempts},
             {"delay_ms", delay->count()}});
  self->delayed_send(self, *delay, atoms::llm_retry_atom_v, id);
}

void on_attempt(client_ptr self, llm_attempt& attempt) {
  auto& st = self->state;
  auto it = st.calls.find(attempt.call);
  if (it == st.calls.end())
    return;
  --st.in_flight;
  auto outcome = judge_llm_attempt(attempt.result, std::chrono::system_clock::now());
  st.metrics->attempt(outcome.status_label, self->clock().now() - it->second.sent_at);
  switch (outcome.what) {
    case llm_attempt_outcome::kind::classified:
      succeed(self, attempt.call, *outcome.result);
      break;
    case llm_attempt_outcome::kind::failed:
      fail(self, attempt.call, outcome.code, outcome.message);
      break;
    case llm_attempt_outcome::kind::retryable:
      schedule_retry(self, attempt.call, outcome);
      break;
  }
  drain(self);
}

// An exit ends the actor: every caller still waiting hears so instead of timing out.
void fail_all(client_ptr self, const std::string& reason) {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, call] : self->state.calls)
    ids.push_back(id);
  for (auto id : ids)
    fail(self, id, "shutdown", "the LLM client stopped: " + reason);
  self->state.queue.clear();
}

caf::result<llm_classification> accept(client_ptr self, llm_classify_request& request) {
  auto& st = self->state;
  if (st.queue.size() >= st.config.max_queued) {
    st.metrics->outcome("failed");
    return caf::make_error(caf::sec::runtime_error,
                           "[crmd.llm.overloaded] " + std::to_string(st.queue.size())
                             + " classifications already waiting");
  }
  auto id = st.next_call++;
  auto promise = self->make_response_promise<llm_classification>();
  st.calls.emplace(id, pending_call{std::move(request), promise});
  st.queue.push_back(id);
  drain(self);
  return promise;
}

llm_client_actor::behavior_type llm_client(client_ptr self, llm_client_config config,
                                           llm_metrics metrics) {
  auto& st = self->state;
  self->set_exit_handler([self](caf::exit_msg& msg) {
    fail_all(self, to_string(msg.reason));
    self->quit(std::move(msg.reason));
  });
  self->set_exception_handler([self](std::exception_ptr& error) -> caf::error {
    auto what = exception_text(error);
    log::error("llm_client", "handler threw", {{"error", what}});
    fail_all(self, what);
    return caf::make_error(caf::sec::runtime_error, what);
  });
  st.retry = {config.max_attempts, config.backoff_min, config.backoff_max};
  st.metrics.emplace(std::move(metrics));
  st.http = std::make_unique<http::http_client>(
    http::http_client_config{.base_url = config.base_url, .timeout = config.timeout});
  st.http->start();
  log::info("llm_client", "started", {{"model", config.model}, {"timeout_ms",
                                                                 config.timeout.count()}});
  st.config = std::move(config);
  return {
    [self](classify_reply_atom, llm_classify_request& request) {
      return accept(self, request);
    },
    [self](atoms::llm_done_atom, llm_attempt& attempt) { on_attempt(self, attempt); },
    // A retry goes ahead of newer calls: it has waited longest.
    [self](atoms::llm_retry_atom, std::uint64_t id) {
      if (!self->state.calls.contains(id))
        return;
      self->state.queue.push_front(id);
      drain(self);
    },
    [self](atoms::llm_wake_atom) {
      self->state.wake_scheduled = false;
      drain(self);
    },
  };
}

}  // namespace

llm_client_actor spawn_llm_client(caf::actor_system& system, llm_client_config config,
                                  prometheus::Registry& registry) {
  return system.spawn(llm_client, std::move(config), llm_metrics(registry));
}

}  // namespace crmd
