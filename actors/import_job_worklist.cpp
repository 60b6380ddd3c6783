#include "actors/import_job_internal.hpp"

#include "actors/interfaces.hpp"
#include "integrations/openphone/rest_call_content.hpp"
#include "integrations/openphone/rest_query.hpp"
#include "storage/change_json.hpp"

#include <caf/all.hpp>

#include <array>
#include <memory>

namespace crmd::import_job {

namespace {

constexpr int worklist_batch = 64;

void refill(job_ptr self);

// After an item's last page is queued: the stage ends with the commit that finishes its last item.
bool stage_complete(job_ptr self) {
  auto& state = self->state;
  return state.running.empty() && state.backlog.empty() && state.list_exhausted;
}

void item_finished(job_ptr self, std::int64_t id, std::vector<statement> writes,
                   std::int64_t items) {
  auto& state = self->state;
  state.running.erase(id);
  state.cursor.active.erase(id);
  ++state.progress.stage_done;
  bool last = stage_complete(self);
  if (last)
    advance(self);
  commit(self, std::move(writes), 1, items, [self, last] {
    if (last)
      start_stage(self);
  });
  if (!last)
    refill(self);
}

json activities_json(std::vector<domain::activity_change>& items) {
  // A page names each activity once; should the provider repeat one, the later copy wins.
  std::map<std::string, std::size_t> position;
  std::vector<domain::activity_change> unique;
  for (auto& item : items) {
    auto [it, fresh] = position.emplace(item.openphone_id, unique.size());
    if (fresh)
      unique.push_back(std::move(item));
    else
      unique[it->second] = std::move(item);
  }
  json rows = json::array();
  for (const auto& item : unique)
    rows.push_back(storage::activity_change_json(item));
  return rows;
}

void run_activity_page(job_ptr self, std::int64_t id) {
  auto& state = self->state;
  auto found = state.running.find(id);
  if (found == state.running.end())
    return;
  const auto& item = found->second;
  bool messages = state.stage == import_stage::messages;
  op::activity_query query;
  query.phone_number_id = item.phone_number_id;
  query.participants = item.participants;
  query.created_after = state.since;
  query.page = {op::max_page_size, item.token};
  provider_request request;
  request.target = messages ? op::messages_target(query) : op::calls_target(query);
  request.endpoint = messages ? "messages.list" : "calls.list";
  auto resource = messages ? std::string("messages") : std::string("calls");
  call_provider(
    self, request,
    [self, id, messages, resource](int status, std::string& body) {
      auto& state = self->state;
      if (status == 404) {
        item_finished(self, id, {}, 0);
        return;
      }
      auto page = messages ? op::map_message_page(body, state.mapping)
                           : op::map_call_page(body, state.mapping);
      if (!page.ok()) {
        retry_later(self, "unreadable page: " + page.error,
                    [self, id] { run_activity_page(self, id); });
        return;
      }
      count_page(self, resource, page);
      std::vector<statement> writes;
      auto items = static_cast<std::int64_t>(page.items.size());
      if (!page.items.empty()) {
        auto rows = activities_json(page.items).dump(-1, ' ', false,
                                                     json::error_handler_t::replace);
        if (state.reconciliation_id)
          writes.push_back(statement::named(
            "reconcile_write_activities",
            {std::move(rows), std::to_string(id), std::to_string(*state.reconciliation_id)}));
        else
          writes.push_back(
            statement::named("import_write_activities", {std::move(rows), std::to_string(id)}));
      }
      if (!page.next_page_token) {
        item_finished(self, id, std::move(writes), items);
        return;
      }
      state.running[id].token = page.next_page_token;
      state.cursor.active[id] = page.next_page_token;
      commit(self, std::move(writes), 1, items, nullptr);
      run_activity_page(self, id);
    },
    [self, id, resource](const provider_failure& failure) {
      self->state.progress.reject(resource, "conversation " + std::to_string(id),
                                  failure.code + " " + failure.message);
      item_finished(self, id, {}, 0);
    });
}

// The details of one call, fetched one after another, written together.
// Counts and rejections wait here until the item's writes are queued: a checkpoint must never
// count what its transaction does not write, or a crash would count it twice.
struct call_details {
  std::vector<domain::activity_change> changes;
  std::vector<std::string> steps;  // endpoints still to call
  std::map<std::string, std::int64_t> found;
  std::vector<std::array<std::string, 3>> rejections;  // resource, id, message
};

void next_call_detail(job_ptr self, std::int64_t id, std::shared_ptr<call_details> details);

void add_detail(const std::string& resource,
                std::optional<domain::activity_change> change, bool found,
                std::shared_ptr<call_details> details) {
  if (found)
    ++details->found[resource];
  if (change)
    details->changes.push_back(std::move(*change));
}

void next_call_detail(job_ptr self, std::int64_t id, std::shared_ptr<call_details> details) {
  auto& state = self->state;
  auto found = state.running.find(id);
  if (found == state.running.end())
    return;
  auto call_id = found->second.activity_id;
  if (details->steps.empty()) {
    json rows = json::array();
    for (const auto& change : details->changes)
      rows.push_back(storage::activity_change_json(change));
    std::vector<statement> writes;
    auto items = static_cast<std::int64_t>(details->changes.size());
    if (!details->changes.empty())
      writes.push_back(write("import_write_enrichments", rows));
    for (const auto& [resource, count] : details->found) {
      state.progress.resources[resource].fetched += count;
      state.progress.resources[resource].written += count;
    }
    for (const auto& [resource, item, message] : details->rejections)
      state.progress.reject(resource, item, message);
    item_finished(self, id, std::move(writes), items);
    return;
  }
  auto step = details->steps.front();
  provider_request request;
  request.target = op::resource_target(step, call_id);
  request.endpoint = step;
  call_provider(
    self, request,
    [self, id, details, step, call_id](int status, std::string& body) {
      details->steps.erase(details->steps.begin());
      if (status != 404) {
        std::string error;
        if (step == "call-recordings") {
          auto mapped = op::map_recordings_response(call_id, body);
          error = mapped.error;
          if (mapped.ok())
            add_detail("recordings", mapped.value, mapped.value->recording_url.has_value(),
                       details);
        } else if (step == "call-summaries") {
          auto mapped = op::map_single<domain::activity_change>(
            body, [](const json& data) { return op::map_summary(data); });
          error = mapped.error;
          if (mapped.ok())
            add_detail("summaries", mapped.value, mapped.value->ai_summary.has_value(),
                       details);
        } else if (step == "call-transcripts") {
          auto mapped = op::map_single<domain::activity_change>(
            body, [](const json& data) { return op::map_transcript(data); });
          error = mapped.error;
          if (mapped.ok())
            add_detail("transcripts", mapped.value,
                       mapped.value->ai_transcript.has_value(), details);
        } else {
          auto mapped = op::map_single<domain::openphone_voicemail>(
            body, [&call_id](const json& data) { return op::map_voicemail(call_id, data); });
          error = mapped.error;
          if (mapped.ok()) {
            auto change = op::voicemail_change(*mapped.value);
            bool has_url = change.voicemail_url.has_value();
            add_detail("voicemails", std::move(change), has_url, details);
          }
        }
        if (!error.empty())
          details->rejections.push_back({step, call_id, error});
      }
      next_call_detail(self, id, details);
    },
    [self, id, details, step, call_id](const provider_failure& failure) {
      details->rejections.push_back({step, call_id, failure.code + " " + failure.message});
      details->steps.erase(details->steps.begin());
      next_call_detail(self, id, details);
    });
}

// A message's media from the dated surface; 404 means this host does not serve it.
void fetch_message_media(job_ptr self, std::int64_t id) {
  auto found = self->state.running.find(id);
  if (found == self->state.running.end())
    return;
  auto message_id = found->second.activity_id;
  provider_request request;
  request.target = "/messages/" + op::percent_encode(message_id);
  request.endpoint = "messages.get_dated";
  request.headers = {{"Quo-Api-Version", "2026-03-30"}};
  auto finish_item = [self, id](std::optional<domain::activity_change> change,
                                std::optional<std::string> rejection, const std::string& message_id) {
    auto& state = self->state;
    std::vector<statement> writes;
    std::int64_t items = 0;
    if (rejection)
      state.progress.reject("mms_media", message_id, *rejection);
    if (change && !change->media.empty()) {
      ++state.progress.resources["mms_media"].fetched;
      ++state.progress.resources["mms_media"].written;
      writes.push_back(
        write("import_write_enrichments", json::array({storage::activity_change_json(*change)})));
      items = 1;
    }
    item_finished(self, id, std::move(writes), items);
  };
  call_provider(
    self, request,
    [finish_item, message_id](int status, std::string& body) {
      if (status == 404) {
        finish_item(std::nullopt,
                    "GET /messages/{id} answered 404: the dated API surface (needed for MMS "
                    "media) is served by api.quo.com",
                    message_id);
        return;
      }
      auto mapped = op::map_single<domain::activity_change>(
        body, [](const json& data) { return op::map_message_media(data); });
      if (!mapped.ok())
        finish_item(std::nullopt, mapped.error, message_id);
      else
        finish_item(std::move(mapped.value), std::nullopt, message_id);
    },
    [finish_item, message_id](const provider_failure& failure) {
      finish_item(std::nullopt, failure.code + " " + failure.message, message_id);
    });
}

void start_item(job_ptr self, work_item item) {
  auto& state = self->state;
  auto id = item.id;
  state.cursor.next = std::max(state.cursor.next, id);
  state.cursor.active[id] = item.token;
  bool answered = item.answered;
  state.running.emplace(id, std::move(item));
  if (state.stage == import_stage::message_media) {
    fetch_message_media(self, id);
    return;
  }
  if (state.stage != import_stage::call_details) {
    run_activity_page(self, id);
    return;
  }
  auto details = std::make_shared<call_details>();
  if (answered)
    details->steps = {"call-recordings", "call-summaries", "call-transcripts"};
  else
    details->steps = {"call-voicemails"};
  next_call_detail(self, id, details);
}

std::vector<std::string> parse_participants(const std::optional<std::string>& text) {
  std::vector<std::string> parties;
  if (!text)
    return parties;
  auto value = json::parse(*text, nullptr, false);
  if (value.is_array())
    for (const auto& party : value)
      if (party.is_string())
        parties.push_back(party.get<std::string>());
  return parties;
}

void list_more(job_ptr self) {
  auto& state = self->state;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { list_more(self); });
    return;
  }
  state.listing = true;
  auto after = std::to_string(state.listed_up_to);
  auto batch = std::to_string(worklist_batch);
  statement query;
  if (state.stage == import_stage::call_details)
    query = statement::named("import_calls_after", {after, batch, state.since});
  else if (state.stage == import_stage::message_media)
    query = statement::named("import_messages_after", {after, batch, state.since});
  else if (state.reconciliation_id)
    query = statement::named("reconcile_conversations_after",
                             {after, batch, state.stage == import_stage::calls ? "true" : "false",
                              std::to_string(*state.reconciliation_id)});
  else
    query = statement::named("import_conversations_after",
                             {after, batch, state.stage == import_stage::calls ? "true" : "false"});
  self->request(db, state.options.db_timeout, atoms::execute_atom_v, db_batch{{std::move(query)}})
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& state = self->state;
        state.listing = false;
        if (!outcome.ok()) {
          retry_later(self, "listing work: " + outcome.error->message, [self] { list_more(self); });
          return;
        }
        const auto& rows = outcome.results[0].rows;
        if (rows.size() < static_cast<std::size_t>(worklist_batch))
          state.list_exhausted = true;
        for (const auto& row : rows) {
          work_item item;
          item.id = std::stoll(row[0].value_or("0"));
          state.listed_up_to = std::max(state.listed_up_to, item.id);
          auto active = state.cursor.active.find(item.id);
          bool resumed = active != state.cursor.active.end();
          if (item.id <= state.cursor.next && !resumed)
            continue;  // finished before the restart
          if (resumed)
            item.token = active->second;
          if (state.stage == import_stage::call_details) {
            item.activity_id = row[1].value_or("");
            item.answered = row[2] == "t";
          } else if (state.stage == import_stage::message_media) {
            item.activity_id = row[1].value_or("");
          } else {
            item.phone_number_id = row[1].value_or("");
            item.participants = parse_participants(row[2]);
          }
          state.backlog.push_back(std::move(item));
        }
        refill(self);
      },
      [self](caf::error& error) {
        self->state.listing = false;
        retry_later(self, "listing work: " + caf::to_string(error), [self] { list_more(self); });
      });
}

void refill(job_ptr self) {
  auto& state = self->state;
  while (static_cast<int>(state.running.size()) < state.options.concurrency
         && !state.backlog.empty()) {
    auto item = std::move(state.backlog.front());
    state.backlog.pop_front();
    start_item(self, std::move(item));
  }
  if (state.backlog.empty() && !state.list_exhausted && !state.listing)
    list_more(self);
  else if (stage_complete(self)) {
    // The work list was empty from the start: move on with a checkpoint of its own.
    advance(self);
    commit(self, {}, 0, 0, [self] { start_stage(self); });
  }
}

void measure_worklist(job_ptr self) {
  auto db = db_handle(self);
  if (!db)
    return;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("import_worklist_size",
                                           {stage_text(self->state.stage), self->state.since})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (outcome.ok() && !outcome.results[0].rows.empty())
          self->state.progress.stage_total =
            std::stoll(outcome.results[0].rows[0][0].value_or("0"));
      },
      [](caf::error&) {
        // Only the ETA needs it.
      });
}

}  // namespace

void start_worklist(job_ptr self) {
  auto& state = self->state;
  measure_worklist(self);
  state.running.clear();
  state.backlog.clear();
  state.list_exhausted = false;
  state.listed_up_to = state.cursor.active.empty() ? state.cursor.next
                                                    : state.cursor.active.begin()->first - 1;
  list_more(self);
}

}  // namespace crmd::import_job
