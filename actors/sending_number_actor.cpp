#include "actors/sending_number_actor.hpp"

#include "actors/campaign_sql.hpp"
#include "actors/campaign_types.hpp"
#include "actors/interfaces.hpp"
#include "domain/campaign/send_window.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <deque>
#include <optional>

namespace crmd {

namespace {

using time_point = std::chrono::system_clock::time_point;
namespace dc = domain::campaign;

struct waiting {
  caf::actor requester;
  std::int64_t campaign = 0;
  std::int32_t remaining = 0;
  dc::send_limits limits{};
};

struct number_state {
  static constexpr const char* name = "crmd.sending_number";
  std::string phone_number_id;
  campaign_runtime_options options;
  bool loaded = false;
  std::deque<time_point> day;  // grants of the last 24 h, oldest first
  dc::send_limits limits{0, 0};
  std::optional<dc::send_window> window;
  std::deque<waiting> queue;
  std::uint64_t timer = 0;  // generation of the armed wake-up; older ones are ignored
};

using number_ptr = caf::stateful_actor<number_state>*;

// The strictest limits among the waiting campaigns; the window is rebuilt from the day's grants
// when they change.
void fit_limits(number_ptr self) {
  auto& st = self->state;
  dc::send_limits strictest{UINT32_MAX, UINT32_MAX};
  for (const auto& w : st.queue) {
    strictest.per_minute = std::min(strictest.per_minute, w.limits.per_minute);
    strictest.per_day = std::min(strictest.per_day, w.limits.per_day);
  }
  if (st.window && strictest.per_minute == st.limits.per_minute
      && strictest.per_day == st.limits.per_day)
    return;
  st.limits = strictest;
  st.window.emplace(strictest);
  for (auto at : st.day)
    st.window->record(at);
}

void arm(number_ptr self, time_point next) {
  auto& st = self->state;
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - st.options.now());
  wait = std::clamp(wait, std::chrono::milliseconds{1}, st.options.max_timer);
  self->delayed_send(self, wait, atoms::campaign_wake_atom_v, ++st.timer);
}

void grant(number_ptr self) {
  auto& st = self->state;
  if (!st.loaded || st.queue.empty())
    return;
  fit_limits(self);
  auto now = st.options.now();
  while (!st.queue.empty()) {
    auto decision = st.window->decide(now);
    if (!decision.allowed)
      return arm(self, decision.next);
    st.window->record(now);
    st.day.push_back(now);
    while (!st.day.empty() && st.day.front() <= now - std::chrono::hours{24})
      st.day.pop_front();
    auto front = std::move(st.queue.front());
    st.queue.pop_front();
    self->send(front.requester, atoms::permit_grant_atom_v, front.campaign,
               campaign_sql::to_ms(now));
    if (--front.remaining > 0)
      st.queue.push_back(std::move(front));  // round robin between campaigns
  }
}

void load_day(number_ptr self) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    self->delayed_send(self, self->state.options.retry_delay, atoms::start_atom_v);
    return;
  }
  auto since = self->state.options.now() - std::chrono::hours{24};
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named(
                  "sending_number_history",
                  {self->state.phone_number_id, campaign_sql::iso(since)})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& st = self->state;
        if (!outcome.ok()) {
          log::warn("campaigns", "sending number history query failed",
                    {{"phone_number_id", st.phone_number_id}, {"error", outcome.error->message}});
          self->delayed_send(self, st.options.retry_delay, atoms::start_atom_v);
          return;
        }
        for (const auto& row : outcome.results[0].rows)
          if (auto ms = campaign_sql::to_int(row[0]))
            st.day.push_back(campaign_sql::from_ms(*ms));
        st.loaded = true;
        log::info("campaigns", "sending number throttle ready",
                  {{"phone_number_id", st.phone_number_id}, {"sends_last_24h", st.day.size()}});
        grant(self);
      },
      [self](caf::error&) {
        self->delayed_send(self, self->state.options.retry_delay, atoms::start_atom_v);
      });
}

caf::behavior number_behavior(number_ptr self, std::string phone_number_id,
                              campaign_runtime_options options) {
  self->state.phone_number_id = std::move(phone_number_id);
  self->state.options = std::move(options);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& queue = self->state.queue;
    auto gone = [&](const waiting& w) { return w.requester.address() == down.source; };
    queue.erase(std::remove_if(queue.begin(), queue.end(), gone), queue.end());
  });
  load_day(self);
  return {
    [self](atoms::permit_request_atom, std::int64_t campaign, std::int32_t count,
           std::uint32_t per_minute, std::uint32_t per_day) {
      auto requester = caf::actor_cast<caf::actor>(self->current_sender());
      if (!requester || count <= 0)
        return;
      self->monitor(requester);
      self->state.queue.push_back({requester, campaign, count, {per_minute, per_day}});
      grant(self);
    },
    [self](atoms::campaign_wake_atom, std::uint64_t generation) {
      if (generation == self->state.timer)
        grant(self);
    },
    [self](atoms::start_atom) { load_day(self); },
  };
}

}  // namespace

caf::actor spawn_sending_number_actor(caf::actor_system& system, std::string phone_number_id,
                                      campaign_runtime_options options) {
  return system.spawn(number_behavior, std::move(phone_number_id), std::move(options));
}

}  // namespace crmd
