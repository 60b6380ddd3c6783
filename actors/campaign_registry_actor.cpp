#include "actors/campaign_registry_actor.hpp"

#include "actors/campaign_actor.hpp"
#include "actors/campaign_sql.hpp"
#include "actors/campaign_types.hpp"
#include "actors/db_call.hpp"
#include "actors/interfaces.hpp"
#include "actors/sending_number_actor.hpp"
#include "domain/campaign/audience_filter.hpp"
#include "domain/campaign/campaign_status.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <map>

namespace crmd {

namespace {

namespace dc = domain::campaign;
using std::chrono::milliseconds;
using time_point = std::chrono::system_clock::time_point;

struct campaign_entry {
  caf::actor handle;
  bool stopping = false;
  bool restart_after_stop = false;  // resumed while its previous actor was still finishing
  milliseconds backoff{0};
};

struct registry_state {
  static constexpr const char* name = "crmd.campaigns";
  campaign_runtime_options options;
  std::map<std::int64_t, campaign_entry> campaigns;
  std::map<caf::actor_addr, std::int64_t> campaign_by_actor;
  std::map<std::string, caf::actor> numbers;
  std::map<caf::actor_addr, std::string> number_by_actor;
  std::map<std::int64_t, std::uint64_t> schedule_timers;  // campaign → armed generation
  std::uint64_t timer_generation = 0;

  // Children are monitored, not linked; they stop with the registry whatever ends it.
  ~registry_state() {
    for (const auto& [address, id] : campaign_by_actor)
      caf::anon_send_exit(address, caf::exit_reason::user_shutdown);
    for (const auto& [address, number] : number_by_actor)
      caf::anon_send_exit(address, caf::exit_reason::user_shutdown);
  }
};

using registry_ptr = caf::stateful_actor<registry_state>*;

void run(registry_ptr self, std::vector<storage::statement> statements,
         std::function<void(storage::pg_outcome&)> done) {
  run_statements(self, self->state.options.db_timeout, std::move(statements), std::move(done));
}

void publish_campaign(registry_ptr self, std::int64_t id, const std::string& campaign_json) {
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  auto frame = std::string(R"({"event":"campaign.updated","data":)") + campaign_json + "}";
  self->send(hub, atoms::publish_atom_v, std::string("campaigns"), frame);
  self->send(hub, atoms::publish_atom_v, "campaign:" + std::to_string(id), frame);
}

void spawn_campaign(registry_ptr self, std::int64_t id) {
  auto& entry = self->state.campaigns[id];
  entry.handle = spawn_campaign_actor(self->system(), id, caf::actor_cast<caf::actor>(self),
                                      self->state.options);
  entry.stopping = false;
  entry.restart_after_stop = false;
  self->monitor(entry.handle);
  self->state.campaign_by_actor[entry.handle.address()] = id;
}

void ensure_running(registry_ptr self, std::int64_t id) {
  auto found = self->state.campaigns.find(id);
  if (found == self->state.campaigns.end())
    return spawn_campaign(self, id);
  if (found->second.stopping)
    found->second.restart_after_stop = true;
  else if (!found->second.handle)
    spawn_campaign(self, id);  // waiting for its backoff: start now
}

void stop_campaign(registry_ptr self, std::int64_t id) {
  auto found = self->state.campaigns.find(id);
  if (found == self->state.campaigns.end())
    return;
  if (!found->second.handle) {
    self->state.campaigns.erase(found);
    return;
  }
  found->second.stopping = true;
  found->second.restart_after_stop = false;
  self->send(found->second.handle, atoms::campaign_stop_atom_v);
}

void arm_schedule(registry_ptr self, std::int64_t id, time_point at) {
  auto& st = self->state;
  auto wait = std::chrono::duration_cast<milliseconds>(at - st.options.now());
  wait = std::clamp(wait, milliseconds{1}, st.options.max_timer);
  auto generation = ++st.timer_generation;
  st.schedule_timers[id] = generation;
  self->delayed_send(self, wait, atoms::campaign_wake_atom_v, id, generation);
}

void on_child_down(registry_ptr self, const caf::down_msg& down) {
  auto& st = self->state;
  if (auto number = st.number_by_actor.find(down.source); number != st.number_by_actor.end()) {
    log::warn("campaigns", "sending number actor terminated",
              {{"phone_number_id", number->second}, {"reason", to_string(down.reason)}});
    st.numbers.erase(number->second);
    st.number_by_actor.erase(number);
    return;
  }
  auto found = st.campaign_by_actor.find(down.source);
  if (found == st.campaign_by_actor.end())
    return;
  auto id = found->second;
  st.campaign_by_actor.erase(found);
  auto entry = st.campaigns.find(id);
  if (entry == st.campaigns.end())
    return;
  entry->second.handle = nullptr;
  if (entry->second.restart_after_stop)
    return spawn_campaign(self, id);
  if (!down.reason || entry->second.stopping) {
    st.campaigns.erase(entry);
    return;
  }
  auto& backoff = entry->second.backoff;
  backoff = backoff.count() == 0
              ? st.options.restart_backoff_min
              : std::min(backoff * 2, st.options.restart_backoff_max);
  log::error("campaigns", "campaign actor terminated; respawning",
             {{"campaign_id", id}, {"reason", to_string(down.reason)},
              {"backoff_ms", backoff.count()}});
  self->delayed_send(self, backoff, atoms::restart_atom_v, id);
}

// The API's own reading of ISO 8601 (a zone required, or a bare date), so both agree.
std::optional<time_point> parse_instant(const std::string& text) {
  auto at = dc::parse_iso_time(text);
  if (!at)
    return std::nullopt;
  return time_point{*at};
}

using step = std::pair<dc::campaign_status, dc::campaign_status>;

campaign_command_result refusal(std::string code, std::string message) {
  return {false, std::move(code), std::move(message), {}};
}

// The status steps a command takes from `current`, or why it cannot.
std::variant<std::vector<step>, campaign_command_result>
plan(registry_ptr self, const campaign_command& command, dc::campaign_status current,
     std::optional<time_point> scheduled_at) {
  using enum dc::campaign_status;
  std::vector<step> steps;
  if (command.action == "launch") {
    bool later = scheduled_at && *scheduled_at > self->state.options.now();
    if (current == draft) {
      steps.push_back({draft, dc::campaign_status::scheduled});
      if (!later)
        steps.push_back({dc::campaign_status::scheduled, running});
    } else {
      steps.push_back({current, running});
    }
  } else if (command.action == "pause") {
    steps.push_back({current, paused});
  } else if (command.action == "resume") {
    steps.push_back({current, running});
  } else if (command.action == "cancel") {
    steps.push_back({current, cancelled});
  } else {
    return refusal("invalid_field", "action must be launch, pause, resume or cancel");
  }
  for (const auto& [from, to] : steps) {
    auto check = dc::check_transition(from, to);
    if (!check.allowed)
      return refusal("invalid_transition", std::string(check.reason));
  }
  return steps;
}

void apply_effects(registry_ptr self, std::int64_t id, dc::campaign_status target,
                   std::optional<time_point> scheduled) {
  switch (target) {
    case dc::campaign_status::running:
      self->state.schedule_timers.erase(id);
      ensure_running(self, id);
      break;
    case dc::campaign_status::scheduled:
      arm_schedule(self, id, scheduled.value_or(self->state.options.now()));
      break;
    case dc::campaign_status::paused:
    case dc::campaign_status::cancelled:
    case dc::campaign_status::complete:
      self->state.schedule_timers.erase(id);
      stop_campaign(self, id);
      break;
    case dc::campaign_status::draft:
      break;
  }
}

// Delivers and returns nothing, so every path of a callback can `return answer(…)`.
void answer(caf::typed_response_promise<campaign_command_result>& promise,
            campaign_command_result result) {
  promise.deliver(std::move(result));
}

void handle_command(registry_ptr self, campaign_command command,
                    caf::typed_response_promise<campaign_command_result> promise) {
  auto id = command.campaign_id;
  run(self, {storage::statement::named("campaign_status_of", {std::to_string(id)})},
      [self, command, promise](storage::pg_outcome& outcome) mutable {
        if (!outcome.ok())
          return answer(promise, refusal("unavailable", outcome.error->message));
        if (outcome.results[0].rows.empty() || !outcome.results[0].rows[0][0])
          return answer(promise, refusal("not_found", "no such campaign"));
        auto current = dc::parse_campaign_status(*outcome.results[0].rows[0][0]);
        if (!current)
          return answer(promise, refusal("invalid_transition", "unknown campaign status"));
        std::optional<time_point> scheduled;
        if (command.scheduled_at) {
          scheduled = parse_instant(*command.scheduled_at);
          if (!scheduled)
            return answer(promise, 
              refusal("invalid_field", "scheduled_at must be an ISO 8601 date-time"));
        }
        auto planned = plan(self, command, *current, scheduled);
        if (auto* refused = std::get_if<campaign_command_result>(&planned))
          return answer(promise, std::move(*refused));
        auto steps = std::get<std::vector<step>>(std::move(planned));
        auto now = campaign_sql::iso(self->state.options.now());
        std::vector<storage::statement> batch;
        for (const auto& [from, to] : steps) {
          storage::pg_value when;
          if (to == dc::campaign_status::scheduled)
            when = campaign_sql::iso(scheduled.value_or(self->state.options.now()));
          batch.push_back(storage::statement::named(
            "campaign_transition", {std::to_string(command.campaign_id),
                                    std::string(dc::to_string(from)),
                                    std::string(dc::to_string(to)), when, now}));
        }
        auto target = steps.back().second;
        run(self, std::move(batch),
            [self, command, promise, target, scheduled](storage::pg_outcome& done) mutable {
              if (!done.ok())
                return answer(promise, refusal("unavailable", done.error->message));
              const auto& last = done.results.back();
              if (last.rows.empty() || !last.rows[0][0])
                return answer(promise, refusal("invalid_transition",
                                               "the campaign's status changed meanwhile"));
              log::info("campaigns", "campaign status changed",
                        {{"campaign_id", command.campaign_id}, {"action", command.action},
                         {"status", dc::to_string(target)}, {"user_id", command.user_id}});
              apply_effects(self, command.campaign_id, target, scheduled);
              publish_campaign(self, command.campaign_id, *last.rows[0][0]);
              promise.deliver(campaign_command_result{true, {}, {}, *last.rows[0][0]});
            });
      });
}

// A scheduled campaign's timer: starts it when due (the timer may be re-armed on the way).
void on_schedule_timer(registry_ptr self, std::int64_t id) {
  run(self, {storage::statement::named("campaign_status_of", {std::to_string(id)})},
      [self, id](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          arm_schedule(self, id, self->state.options.now() + self->state.options.retry_delay);
          return;
        }
        if (outcome.results[0].rows.empty())
          return;
        const auto& row = outcome.results[0].rows[0];
        if (row[0].value_or(std::string()) != "scheduled")
          return;
        auto at = campaign_sql::from_ms(campaign_sql::to_int(row[1]).value_or(0));
        if (at > self->state.options.now())
          return arm_schedule(self, id, at);
        auto now = campaign_sql::iso(self->state.options.now());
        run(self,
            {storage::statement::named("campaign_transition",
                                       {std::to_string(id), std::string("scheduled"),
                                        std::string("running"), storage::pg_value{}, now})},
            [self, id](storage::pg_outcome& done) {
              if (!done.ok()) {
                arm_schedule(self, id, self->state.options.now() + self->state.options.retry_delay);
                return;
              }
              if (done.results[0].rows.empty() || !done.results[0].rows[0][0])
                return;
              log::info("campaigns", "scheduled campaign starts", {{"campaign_id", id}});
              ensure_running(self, id);
              publish_campaign(self, id, *done.results[0].rows[0][0]);
            });
      });
}

void resume_active(registry_ptr self) {
  run(self, {storage::statement::named("campaigns_active")},
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          log::warn("campaigns", "reading active campaigns failed; retrying",
                    {{"error", outcome.error->message}});
          self->delayed_send(self, self->state.options.retry_delay, atoms::start_atom_v);
          return;
        }
        for (const auto& row : outcome.results[0].rows) {
          auto id = campaign_sql::to_int(row[0]);
          if (!id)
            continue;
          if (row[1].value_or(std::string()) == "running")
            ensure_running(self, *id);
          else
            arm_schedule(self, *id,
                         campaign_sql::from_ms(campaign_sql::to_int(row[2]).value_or(0)));
        }
        log::info("campaigns", "campaign registry started",
                  {{"active", outcome.results[0].rows.size()}});
      });
}

caf::behavior registry_behavior(registry_ptr self, campaign_runtime_options options) {
  self->state.options = std::move(options);
  if (self->state.options.run_id.empty())
    self->state.options.run_id = campaign_process_run_id();
  self->set_down_handler([self](caf::down_msg& down) { on_child_down(self, down); });
  resume_active(self);
  return {
    [self](atoms::campaign_command_atom, campaign_command& command) {
      auto promise = self->make_response_promise<campaign_command_result>();
      handle_command(self, std::move(command), promise);
      return promise;
    },
    [self](atoms::sending_number_atom, const std::string& phone_number_id) -> caf::actor {
      auto& st = self->state;
      auto found = st.numbers.find(phone_number_id);
      if (found != st.numbers.end())
        return found->second;
      auto number = spawn_sending_number_actor(self->system(), phone_number_id, st.options);
      self->monitor(number);
      st.numbers[phone_number_id] = number;
      st.number_by_actor[number.address()] = phone_number_id;
      return number;
    },
    [self](atoms::campaign_wake_atom, std::int64_t id, std::uint64_t generation) {
      auto found = self->state.schedule_timers.find(id);
      if (found == self->state.schedule_timers.end() || found->second != generation)
        return;
      self->state.schedule_timers.erase(found);
      on_schedule_timer(self, id);
    },
    [self](atoms::restart_atom, std::int64_t id) {
      auto found = self->state.campaigns.find(id);
      if (found != self->state.campaigns.end() && !found->second.handle)
        spawn_campaign(self, id);
    },
    [self](atoms::start_atom) { resume_active(self); },
    [self](atoms::count_atom) {
      return static_cast<std::uint64_t>(self->state.campaign_by_actor.size());
    },
  };
}

}  // namespace

caf::actor spawn_campaign_registry(caf::actor_system& system, campaign_runtime_options options) {
  return system.spawn(registry_behavior, std::move(options));
}

}  // namespace crmd
