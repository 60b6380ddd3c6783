#include "actors/campaign_actor.hpp"

#include "actors/campaign_actor_internal.hpp"
#include "actors/campaign_sql.hpp"
#include "actors/campaign_types.hpp"
#include "actors/db_call.hpp"
#include "actors/monitor_while_alive.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

namespace crmd {

namespace campaign_runtime {

namespace dc = domain::campaign;
using std::chrono::milliseconds;

std::chrono::sys_seconds now_seconds(campaign_ptr self) {
  return std::chrono::floor<std::chrono::seconds>(self->state.options.now());
}

namespace {

std::string topic(campaign_ptr self) {
  return "campaign:" + std::to_string(self->state.id);
}

void run(campaign_ptr self, std::vector<storage::statement> statements,
         std::function<void(storage::pg_outcome&)> done) {
  run_statements(self, self->state.options.db_timeout, std::move(statements), std::move(done));
}

void publish_campaign(campaign_ptr self, const std::string& campaign_json) {
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  auto frame = std::string(R"({"event":"campaign.updated","data":)") + campaign_json + "}";
  self->send(hub, atoms::publish_atom_v, std::string("campaigns"), frame);
  self->send(hub, atoms::publish_atom_v, topic(self), frame);
}

void arm_wake(campaign_ptr self, milliseconds wait) {
  wait = std::clamp(wait, milliseconds{1}, self->state.options.max_timer);
  self->delayed_send(self, wait, atoms::campaign_wake_atom_v, ++self->state.wake);
}

std::optional<campaign_settings> read_settings(campaign_ptr self, const storage::pg_result& r) {
  if (r.rows.empty())
    return std::nullopt;
  const auto& row = r.rows[0];
  auto text = [&](std::size_t i) { return row[i].value_or(std::string()); };
  campaign_settings s;
  s.id = self->state.id;
  s.status = text(0);
  auto parse = [&](const std::optional<std::string>& source,
                   const char* field) -> std::optional<dc::parsed_template> {
    if (!source)
      return std::nullopt;
    auto parsed = dc::parse_template(*source);
    if (auto* error = std::get_if<dc::template_error>(&parsed)) {
      log::error("campaigns", "campaign template does not parse",
                 {{"campaign_id", s.id}, {"field", field}, {"error", error->message}});
      return std::nullopt;
    }
    return std::get<dc::parsed_template>(std::move(parsed));
  };
  auto a = parse(row[1], "template_a");
  if (!a)
    return std::nullopt;
  s.template_a = std::move(*a);
  s.template_b = parse(row[2], "template_b");
  s.template_existing = parse(row[3], "template_existing");
  s.split_percent = static_cast<unsigned>(campaign_sql::to_int(row[4]).value_or(50));
  s.opt_out_line = row[5];
  s.from_phone_number_id = text(6);
  s.per_minute = static_cast<std::uint32_t>(campaign_sql::to_int(row[7]).value_or(30));
  s.per_day = static_cast<std::uint32_t>(campaign_sql::to_int(row[8]).value_or(1000));
  s.window = sending_window(std::chrono::minutes{campaign_sql::to_int(row[9]).value_or(20 * 60)},
                            std::chrono::minutes{campaign_sql::to_int(row[10]).value_or(9 * 60)});
  s.rule = dc::parse_existing_contact_rule(text(11)).value_or(dc::existing_contact_rule::ignore);
  return s;
}

member_row read_member(const std::vector<storage::pg_value>& row) {
  auto text = [&](std::size_t i) { return row[i].value_or(std::string()); };
  member_row m;
  m.id = campaign_sql::to_int(row[0]).value_or(0);
  m.contact_id = campaign_sql::to_int(row[1]).value_or(0);
  m.phone = text(2);
  m.time_zone = text(3);
  m.state = text(4);
  m.postal_code = text(5);
  using field = dc::merge_field;
  m.values[static_cast<std::size_t>(field::first_name)] = text(6);
  m.values[static_cast<std::size_t>(field::last_name)] = text(7);
  m.values[static_cast<std::size_t>(field::company)] = text(8);
  m.values[static_cast<std::size_t>(field::street)] = text(9);
  m.values[static_cast<std::size_t>(field::city)] = text(10);
  m.values[static_cast<std::size_t>(field::state)] = text(4);
  m.values[static_cast<std::size_t>(field::postal_code)] = text(5);
  m.opted_out = text(11) == "t";
  m.existing_customer = text(12) == "t";
  m.first_contact = text(13) == "t";
  return m;
}

void continue_scan(campaign_ptr self);

// Applies the decisions of one page: the rule outcomes in one batch, the sendable members to the
// throttle, the waiting ones to the earliest opening.
void on_page(campaign_ptr self, const storage::pg_result& page) {
  auto& st = self->state;
  auto now = now_seconds(self);
  st.decided += page.rows.size();
  std::vector<std::int64_t> opted_out, no_number, no_window;
  for (const auto& row : page.rows) {
    auto member = read_member(row);
    st.cursor = std::max(st.cursor, member.id);
    if (st.pipeline.count(member.id) > 0)
      continue;
    auto decision = decide_member(*st.settings, member, now, st.options.default_zone,
                                  st.options.floor);
    switch (decision.action) {
      case member_action::send:
        st.pipeline.insert(member.id);
        st.awaiting_permit.push_back({member.id, member.phone, std::move(decision.body),
                                      decision.variant,
                                      member_zones(member, st.options.default_zone)});
        break;
      case member_action::wait:
        if (!st.earliest_open || decision.next_open < *st.earliest_open)
          st.earliest_open = decision.next_open;
        break;
      case member_action::suppress_opted_out: opted_out.push_back(member.id); break;
      case member_action::suppress_no_number: no_number.push_back(member.id); break;
      case member_action::fail_no_window: no_window.push_back(member.id); break;
    }
  }
  auto id = std::to_string(st.id);
  std::vector<storage::statement> batch;
  if (!opted_out.empty())
    batch.push_back(storage::statement::named(
      "campaign_suppress", {id, campaign_sql::int_array(opted_out), std::string("opted_out")}));
  if (!no_number.empty())
    batch.push_back(storage::statement::named(
      "campaign_suppress", {id, campaign_sql::int_array(no_number), std::string("no_number")}));
  if (!no_window.empty())
    batch.push_back(storage::statement::named(
      "campaign_fail_pending",
      {id, campaign_sql::int_array(no_window), std::string("no_send_window"),
       campaign_sql::iso(st.options.now())}));
  if (!batch.empty()) {
    ++st.in_flight;
    run(self, std::move(batch), [self](storage::pg_outcome& outcome) {
      if (!outcome.ok())
        log::warn("campaigns", "recording suppressed members failed",
                  {{"campaign_id", self->state.id}, {"error", outcome.error->message}});
      --self->state.in_flight;
      mark_progress(self);
      after_work(self);
    });
  }
  st.last_page_full = static_cast<int>(page.rows.size()) >= st.options.page_size;
  if (!st.awaiting_permit.empty())
    return request_permits(self);
  continue_scan(self);
}

void continue_scan(campaign_ptr self) {
  auto& st = self->state;
  if (st.last_page_full && !st.stopping)
    return scan_next_page(self);
  st.scanning = false;
  st.scan_done = true;
  auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now()
                                                          - st.scan_started);
  if (st.decided > 0)
    log::info("campaigns", "campaign pass finished",
              {{"campaign_id", st.id}, {"decided", st.decided}, {"ms", elapsed.count()}});
  after_work(self);
}

void start_scan(campaign_ptr self) {
  auto& st = self->state;
  if (st.scanning || st.stopping)
    return;
  st.cursor = 0;
  st.scan_done = false;
  st.rescan_needed = false;
  st.decided = 0;
  st.scan_started = std::chrono::steady_clock::now();
  st.earliest_open.reset();
  scan_next_page(self);
}

void try_complete(campaign_ptr self) {
  auto& st = self->state;
  ++st.in_flight;
  run(self,
      {storage::statement::named("campaign_complete_if_done",
                                 {std::to_string(st.id), campaign_sql::iso(st.options.now())})},
      [self](storage::pg_outcome& outcome) {
        auto& st = self->state;
        --st.in_flight;
        if (outcome.ok() && !outcome.results[0].rows.empty() && outcome.results[0].rows[0][0]) {
          log::info("campaigns", "campaign complete", {{"campaign_id", st.id}});
          publish_campaign(self, *outcome.results[0].rows[0][0]);
          self->quit(caf::exit_reason::normal);
          return;
        }
        if (st.stopping)
          return after_work(self);
        // Something is left: members waiting for their window, or back from a settlement.
        auto now = st.options.now();
        auto wait = st.earliest_open && !st.rescan_needed
                      ? std::chrono::duration_cast<milliseconds>(*st.earliest_open - now)
                      : st.options.retry_delay;
        arm_wake(self, wait);
      });
}

void on_wake(campaign_ptr self) {
  auto& st = self->state;
  if (st.stopping || st.scanning || !st.scan_done)
    return;
  auto now = st.options.now();
  if (st.earliest_open && now < *st.earliest_open && !st.rescan_needed)
    return arm_wake(self, std::chrono::duration_cast<milliseconds>(*st.earliest_open - now));
  start_scan(self);
}

void publish_progress(campaign_ptr self) {
  auto& st = self->state;
  st.progress_armed = false;
  if (!st.progress_dirty)
    return;
  st.progress_dirty = false;
  run(self, {storage::statement::named("campaign_progress", {std::to_string(st.id)})},
      [self](storage::pg_outcome& outcome) {
        if (outcome.ok() && !outcome.results[0].rows.empty() && outcome.results[0].rows[0][0])
          publish_campaign(self, *outcome.results[0].rows[0][0]);
      });
}

void on_number(campaign_ptr self, caf::actor number) {
  self->state.number = number;
  monitor_while_alive(self, number.address());
  if (!self->state.awaiting_permit.empty())
    request_permits(self);
}

void ask_for_number(campaign_ptr self) {
  self->request(self->state.registry, self->state.options.db_timeout,
                atoms::sending_number_atom_v, self->state.settings->from_phone_number_id)
    .then([self](caf::actor number) { on_number(self, std::move(number)); },
          [self](caf::error& error) {
            log::error("campaigns", "no sending number actor",
                       {{"campaign_id", self->state.id}, {"error", caf::to_string(error)}});
            self->quit(error);
          });
}

void load(campaign_ptr self) {
  auto& st = self->state;
  run(self, {storage::statement::named("campaign_runtime_settings", {std::to_string(st.id)})},
      [self](storage::pg_outcome& outcome) {
        auto& st = self->state;
        if (!outcome.ok()) {
          log::warn("campaigns", "loading the campaign failed",
                    {{"campaign_id", st.id}, {"error", outcome.error->message}});
          self->quit(caf::make_error(caf::sec::runtime_error, "campaign load failed"));
          return;
        }
        st.settings = read_settings(self, outcome.results[0]);
        if (!st.settings || st.settings->status != "running") {
          log::info("campaigns", "campaign not running; its actor stops", {{"campaign_id", st.id}});
          self->quit(caf::exit_reason::normal);
          return;
        }
        if (st.settings->from_phone_number_id.empty()) {
          log::error("campaigns", "campaign has no sending number", {{"campaign_id", st.id}});
          self->quit(caf::exit_reason::normal);
          return;
        }
        log::info("campaigns", "campaign actor started", {{"campaign_id", st.id}});
        ask_for_number(self);
        settle_left_sending(self);
        start_scan(self);
      });
}

}  // namespace

void scan_next_page(campaign_ptr self) {
  auto& st = self->state;
  st.scanning = true;
  run(self,
      {storage::statement::named("campaign_pending_page",
                                 {std::to_string(st.id), std::to_string(st.cursor),
                                  std::to_string(st.options.page_size)})},
      [self](storage::pg_outcome& outcome) {
        auto& st = self->state;
        if (!outcome.ok()) {
          log::warn("campaigns", "reading pending members failed",
                    {{"campaign_id", st.id}, {"error", outcome.error->message}});
          st.scanning = false;
          st.scan_done = true;
          st.earliest_open.reset();
          arm_wake(self, st.options.retry_delay);
          return;
        }
        on_page(self, outcome.results[0]);
      });
}

void page_sent(campaign_ptr self) {
  auto& st = self->state;
  if (st.awaiting_permit.empty() && st.granted.empty() && !st.beginning && st.scanning)
    continue_scan(self);
}

void after_work(campaign_ptr self) {
  auto& st = self->state;
  if (st.stopping) {
    if (st.in_flight == 0 && !st.beginning)
      self->quit(caf::exit_reason::normal);
    return;
  }
  if (!st.scan_done || st.in_flight > 0 || st.delayed > 0 || st.beginning)
    return;
  try_complete(self);
}

void publish_frames(campaign_ptr self, const storage::pg_result& frames) {
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  for (const auto& row : frames.rows)
    if (row[0])
      self->send(hub, atoms::publish_atom_v, topic(self), *row[0]);
}

void mark_progress(campaign_ptr self) {
  auto& st = self->state;
  st.progress_dirty = true;
  if (st.progress_armed)
    return;
  st.progress_armed = true;
  self->delayed_send(self, st.options.progress_interval, atoms::tick_atom_v);
}

caf::behavior campaign_behavior(campaign_ptr self, std::int64_t campaign_id, caf::actor registry,
                                campaign_runtime_options options) {
  auto& st = self->state;
  st.id = campaign_id;
  st.registry = std::move(registry);
  st.options = std::move(options);
  self->set_down_handler([self](caf::down_msg& down) {
    if (down.source != self->state.number.address())
      return;
    // The throttle restarted: permits asked of the old one never come; ask the new one.
    self->state.number = nullptr;
    if (!self->state.stopping)
      ask_for_number(self);
  });
  load(self);
  return {
    [self](atoms::permit_grant_atom, std::int64_t, std::int64_t granted_ms) {
      on_permit(self, granted_ms);
    },
    [self](atoms::campaign_wake_atom, std::uint64_t generation) {
      if (generation == self->state.wake)
        on_wake(self);
    },
    [self](atoms::tick_atom) { publish_progress(self); },
    [self](atoms::retry_atom, std::int64_t membership, std::string phone, std::string body,
           std::int64_t sending_ms) {
      --self->state.delayed;
      settle_now(self, {membership, std::move(phone), std::move(body), 'A', {}}, sending_ms);
    },
    [self](atoms::campaign_stop_atom) {
      auto& st = self->state;
      st.stopping = true;
      for (const auto& member : st.awaiting_permit)
        st.pipeline.erase(member.id);
      st.awaiting_permit.clear();
      log::info("campaigns", "campaign actor stopping", {{"campaign_id", st.id}});
      after_work(self);
    },
  };
}

}  // namespace campaign_runtime

caf::actor spawn_campaign_actor(caf::actor_system& system, std::int64_t campaign_id,
                                caf::actor registry, campaign_runtime_options options) {
  return system.spawn(campaign_runtime::campaign_behavior, campaign_id, std::move(registry),
                      std::move(options));
}

}  // namespace crmd
