// The campaign actor's sends: permits from the sending number, the committed pending → sending
// step, the provider call, its outcome, and the settlement of sends whose outcome is unknown.
#include "actors/campaign_actor_internal.hpp"
#include "actors/campaign_sql.hpp"
#include "actors/campaign_types.hpp"
#include "actors/openphone_client_types.hpp"
#include "integrations/openphone/rest_envelope.hpp"
#include "integrations/openphone/rest_query.hpp"
#include "integrations/openphone/rest_send.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

namespace crmd::campaign_runtime {

namespace dc = domain::campaign;
using std::chrono::milliseconds;

namespace {

void record(campaign_ptr self, storage::statement statement, std::int64_t membership,
            const std::string& phone, const std::string& body, std::int64_t sending_ms);

enum class send_failure_kind { refused, not_sent, unknown };

// What a failed POST means for the member. A 4xx (but 408) is the provider refusing this text;
// no connection, a refused retry of 429s or an open breaker means it never left; anything else
// (timeout, a broken connection, a 5xx, an unreadable answer) may have reached the provider.
send_failure_kind classify(const provider_failure& failure) {
  const auto& code = failure.code;
  if (code.starts_with("http_4") && code != "http_408" && code != "http_429")
    return send_failure_kind::refused;
  if (code == "invalid_request")
    return send_failure_kind::refused;
  if (code == "connect_failed" || code == "resolve_failed" || code == "circuit_open"
      || code == "http_429" || (code == "retries_exhausted" && failure.status < 500))
    return send_failure_kind::not_sent;
  return send_failure_kind::unknown;
}

void schedule_settlement(campaign_ptr self, const ready_member& member, std::int64_t sending_ms,
                         milliseconds delay) {
  ++self->state.delayed;
  self->delayed_send(self, delay, atoms::retry_atom_v, member.id, member.phone, member.body,
                     sending_ms);
}

void finish(campaign_ptr self) {
  --self->state.in_flight;
  mark_progress(self);
  after_work(self);
}

// The end of a provider send's recording (or its hand-over to a settlement): room for the next.
void send_done(campaign_ptr self) {
  --self->state.sends_in_flight;
  flush_begin(self);
  page_sent(self);
}

void on_send_answer(campaign_ptr self, const ready_member& member, std::int64_t sending_ms,
                    provider_result& result) {
  auto& st = self->state;
  auto id = std::to_string(member.id);
  auto now = campaign_sql::iso(st.options.now());
  if (auto* failure = std::get_if<provider_failure>(&result)) {
    switch (classify(*failure)) {
      case send_failure_kind::refused:
        log::warn("campaigns", "text refused by the provider",
                  {{"campaign_id", st.id}, {"membership_id", member.id}, {"code", failure->code}});
        return record(self,
                      storage::statement::named("campaign_mark_failed", {id, failure->code, now}),
                      member.id, member.phone, member.body, sending_ms);
      case send_failure_kind::not_sent:
        st.rescan_needed = true;
        return record(self, storage::statement::named("campaign_unsend", {id}), member.id,
                      member.phone, member.body, sending_ms);
      case send_failure_kind::unknown:
        log::warn("campaigns", "send outcome unknown; settling",
                  {{"campaign_id", st.id}, {"membership_id", member.id}, {"code", failure->code}});
        schedule_settlement(self, member, sending_ms, st.options.ambiguous_settle_delay);
        return finish(self);
    }
  }
  const auto& response = std::get<provider_response>(result);
  auto sent = integrations::openphone::read_sent_message(response.body);
  if (response.status == 404)
    return record(self, storage::statement::named("campaign_mark_failed", {id, "http_404", now}),
                  member.id, member.phone, member.body, sending_ms);
  if (!sent.ok()) {
    schedule_settlement(self, member, sending_ms, st.options.ambiguous_settle_delay);
    return finish(self);
  }
  record(self,
         storage::statement::named("campaign_mark_sent",
                                   {id, sent.value->id, sent.value->status, now}),
         member.id, member.phone, member.body, sending_ms);
}

void send_to_provider(campaign_ptr self, ready_member member, std::int64_t sending_ms) {
  auto& st = self->state;
  ++st.in_flight;
  ++st.sends_in_flight;
  auto client = self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
  if (!client) {
    // Nothing left the process: the member is simply pending again.
    st.rescan_needed = true;
    send_done(self);
    return record(self, storage::statement::named("campaign_unsend", {std::to_string(member.id)}),
                  member.id, member.phone, member.body, sending_ms);
  }
  provider_request request{
    .method = "POST",
    .target = "/v1/messages",
    .body = integrations::openphone::send_message_body(
      {.content = member.body, .from = st.settings->from_phone_number_id, .to = {member.phone}}),
    .endpoint = "messages.send"};
  self->request(client, caf::infinite, provider_request_atom_v, std::move(request))
    .then(
      [self, member, sending_ms](provider_result& result) {
        send_done(self);
        on_send_answer(self, member, sending_ms, result);
      },
      [self, member, sending_ms](caf::error& error) {
        send_done(self);
        log::warn("campaigns", "provider client did not answer; settling",
                  {{"campaign_id", self->state.id}, {"membership_id", member.id},
                   {"error", caf::to_string(error)}});
        schedule_settlement(self, member, sending_ms, self->state.options.ambiguous_settle_delay);
        finish(self);
      });
}

// Records an outcome; a failure to record leaves the membership 'sending', which a settlement
// resolves later from the provider's side.
void record(campaign_ptr self, storage::statement statement, std::int64_t membership,
            const std::string& phone, const std::string& body, std::int64_t sending_ms) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  auto retry = [self, membership, phone, body, sending_ms](const std::string& error) {
    log::warn("campaigns", "recording a send failed; settling later",
              {{"campaign_id", self->state.id}, {"membership_id", membership}, {"error", error}});
    schedule_settlement(self, {membership, phone, body, 'A', {}}, sending_ms,
                        self->state.options.retry_delay);
    finish(self);
  };
  if (!db)
    return retry("no database");
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{std::move(statement)}})
    .then(
      [self, retry](storage::pg_outcome& outcome) {
        if (!outcome.ok())
          return retry(outcome.error->message);
        publish_frames(self, outcome.results[0]);
        finish(self);
      },
      [retry](caf::error& error) { retry(caf::to_string(error)); });
}

void on_begun(campaign_ptr self, std::vector<ready_member> batch, std::int64_t sending_ms,
              storage::pg_outcome& outcome) {
  auto& st = self->state;
  st.beginning = false;
  st.sends_in_flight -= static_cast<int>(batch.size());  // flush_begin's reservation
  for (const auto& member : batch)
    st.pipeline.erase(member.id);
  if (!outcome.ok()) {
    st.rescan_needed = true;
    // Rolled back: the members are still pending and the next scan finds them.
    log::warn("campaigns", "beginning sends failed",
              {{"campaign_id", st.id}, {"error", outcome.error->message}});
  } else {
    std::unordered_map<std::int64_t, std::string> outcomes;
    for (const auto& row : outcome.results[0].rows)
      if (auto id = campaign_sql::to_int(row[0]))
        outcomes[*id] = row[1].value_or(std::string());
    for (auto& member : batch) {
      auto found = outcomes.find(member.id);
      if (found != outcomes.end() && found->second == "sending") {
        outcomes.erase(found);  // one provider call per membership, whatever the batch held
        send_to_provider(self, std::move(member), sending_ms);
      }
    }
    mark_progress(self);
  }
  flush_begin(self);
  page_sent(self);
  after_work(self);
}

}  // namespace

void flush_begin(campaign_ptr self) {
  auto& st = self->state;
  auto room = st.options.max_sends_in_flight - st.sends_in_flight;
  if (st.beginning || st.granted.empty() || st.stopping || room <= 0)
    return;
  st.beginning = true;
  auto take = static_cast<std::ptrdiff_t>(std::min(st.granted.size(),
                                                   static_cast<std::size_t>(room)));
  std::vector<ready_member> batch(std::make_move_iterator(st.granted.begin()),
                                  std::make_move_iterator(st.granted.begin() + take));
  st.granted.erase(st.granted.begin(), st.granted.begin() + take);
  // Counted as sends from here, so the next batch waits for room.
  st.sends_in_flight += static_cast<int>(batch.size());
  std::vector<std::int64_t> ids;
  std::vector<std::string> bodies, variants;
  for (const auto& member : batch) {
    ids.push_back(member.id);
    bodies.push_back(member.body);
    variants.emplace_back(1, member.variant);
  }
  auto now = st.options.now();
  auto sending_ms = campaign_sql::to_ms(now);
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  storage::pg_outcome missing;
  if (!db) {
    missing.error = storage::pg_error{"no_database", "", "the database actor is not running"};
    return on_begun(self, std::move(batch), sending_ms, missing);
  }
  self->request(db, st.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named(
                  "campaign_begin_sends",
                  {std::to_string(st.id), campaign_sql::int_array(ids),
                   campaign_sql::text_array(bodies), campaign_sql::text_array(variants),
                   campaign_sql::iso(now), st.options.run_id})}})
    .then(
      [self, batch, sending_ms](storage::pg_outcome& outcome) mutable {
        on_begun(self, std::move(batch), sending_ms, outcome);
      },
      [self, batch, sending_ms](caf::error& error) mutable {
        // Unknown whether it committed: members moved to 'sending' are settled at the next start.
        storage::pg_outcome failed;
        failed.error = storage::pg_error{"request_failed", "", caf::to_string(error)};
        on_begun(self, std::move(batch), sending_ms, failed);
      });
}

namespace {

// A text found at the provider: its id and status as the schema knows them.
struct found_copy {
  std::string id;
  std::string status;
};

std::optional<found_copy> find_copy(const std::string& body, const std::string& text) {
  auto list = integrations::openphone::read_list(body);
  if (!list.ok())
    return std::nullopt;
  for (const auto& item : list.value->data) {
    if (!item.is_object() || !item.contains("text") || !item["text"].is_string()
        || item["text"].get<std::string>() != text)
      continue;
    if (item.contains("direction") && item["direction"].is_string()
        && item["direction"].get<std::string>() != "outgoing")
      continue;
    if (!item.contains("id") || !item["id"].is_string())
      continue;
    std::string status = item.value("status", std::string("sent"));
    if (status != "queued" && status != "sent" && status != "delivered" && status != "undelivered"
        && status != "failed")
      status = "sent";
    return found_copy{item["id"].get<std::string>(), status};
  }
  return std::nullopt;
}

}  // namespace

void request_permits(campaign_ptr self) {
  auto& st = self->state;
  if (!st.number || st.awaiting_permit.empty())
    return;  // on_number asks once the throttle is known
  self->send(st.number, atoms::permit_request_atom_v, st.id,
             static_cast<std::int32_t>(st.awaiting_permit.size()), st.settings->per_minute,
             st.settings->per_day);
}

void on_permit(campaign_ptr self, std::int64_t) {
  auto& st = self->state;
  if (st.awaiting_permit.empty() || st.stopping)
    return;
  auto member = std::move(st.awaiting_permit.front());
  st.awaiting_permit.pop_front();
  // The permit may come long after the page was decided: the window must still be open now.
  auto now = now_seconds(self);
  auto window = dc::check_send_window(now, member.zones, st.settings->window, st.options.floor);
  if (window.state == dc::window_state::open) {
    st.granted.push_back(std::move(member));
    flush_begin(self);
  } else if (st.pipeline.erase(member.id); window.state == dc::window_state::closed) {
    if (!st.earliest_open || window.next_open < *st.earliest_open)
      st.earliest_open = window.next_open;
  }
  page_sent(self);
}

void settle_now(campaign_ptr self, ready_member member, std::int64_t sending_ms) {
  auto& st = self->state;
  ++st.in_flight;
  auto client = self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
  auto again = [self, member, sending_ms]() {
    schedule_settlement(self, member, sending_ms, self->state.options.retry_delay);
    finish(self);
  };
  if (!client)
    return again();
  // The provider's clock, not the injected one: a minute before the send, or before now if the
  // injected clock runs ahead.
  auto wall = std::chrono::system_clock::now();
  auto sent_at = std::min(campaign_sql::from_ms(sending_ms), wall) - std::chrono::minutes{1};
  integrations::openphone::activity_query query;
  query.phone_number_id = st.settings->from_phone_number_id;
  query.participants = {member.phone};
  query.created_after = campaign_sql::iso(sent_at);
  provider_request request{.method = "GET",
                           .target = integrations::openphone::messages_target(query),
                           .endpoint = "messages.list"};
  self->request(client, caf::infinite, provider_request_atom_v, std::move(request))
    .then(
      [self, member, sending_ms, again](provider_result& result) {
        auto id = std::to_string(member.id);
        if (auto* failure = std::get_if<provider_failure>(&result)) {
          log::warn("campaigns", "settlement lookup failed; retrying",
                    {{"membership_id", member.id}, {"code", failure->code}});
          return again();
        }
        const auto& response = std::get<provider_response>(result);
        auto copy = response.status == 404 ? std::nullopt : find_copy(response.body, member.body);
        auto now = campaign_sql::iso(self->state.options.now());
        log::info("campaigns", copy ? "settled: the provider has the text"
                                    : "settled: the provider has no copy; pending again",
                  {{"campaign_id", self->state.id}, {"membership_id", member.id}});
        if (copy)
          return record(self,
                        storage::statement::named("campaign_mark_sent",
                                                  {id, copy->id, copy->status, now}),
                        member.id, member.phone, member.body, sending_ms);
        self->state.rescan_needed = true;
        record(self, storage::statement::named("campaign_unsend", {id}), member.id, member.phone,
               member.body, sending_ms);
      },
      [again](caf::error&) { again(); });
}

void settle_left_sending(campaign_ptr self) {
  auto& st = self->state;
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db)
    return;
  ++st.in_flight;
  self->request(db, st.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named("campaign_sending_members",
                                                    {std::to_string(st.id)})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& st = self->state;
        if (outcome.ok()) {
          auto now = st.options.now();
          for (const auto& row : outcome.results[0].rows) {
            ready_member member{campaign_sql::to_int(row[0]).value_or(0),
                                row[1].value_or(std::string()), row[2].value_or(std::string()),
                                'A', {}};
            auto sending_ms = campaign_sql::to_int(row[3]).value_or(0);
            auto ours = row[4].value_or(std::string()) == st.options.run_id;
            auto due = campaign_sql::from_ms(sending_ms) + st.options.settle_after;
            // One of ours may still be with the provider client, so it waits until the client
            // has surely given up on it; another run's request died with that process but may
            // still be landing at the provider.
            auto wait = ours ? std::max(milliseconds{0},
                                        std::chrono::duration_cast<milliseconds>(due - now))
                             : st.options.in_transit_grace;
            schedule_settlement(self, member, sending_ms, wait);
          }
          if (!outcome.results[0].rows.empty())
            log::info("campaigns", "settling texts left sending",
                      {{"campaign_id", st.id}, {"count", outcome.results[0].rows.size()}});
        } else {
          log::warn("campaigns", "reading texts left sending failed",
                    {{"campaign_id", st.id}, {"error", outcome.error->message}});
        }
        finish(self);
      },
      [self](caf::error&) { finish(self); });
}

}  // namespace crmd::campaign_runtime
