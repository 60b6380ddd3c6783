#include "actors/import_job_internal.hpp"

#include "actors/interfaces.hpp"
#include "integrations/openphone/rest_contacts.hpp"
#include "integrations/openphone/rest_directory.hpp"
#include "integrations/openphone/rest_query.hpp"
#include "storage/change_json.hpp"

#include <caf/all.hpp>

namespace crmd::import_job {

namespace {

json phone_numbers_json(const std::vector<domain::openphone_phone_number>& items) {
  json rows = json::array();
  for (const auto& item : items)
    rows.push_back({{"openphone_id", item.openphone_id},
                    {"number", item.number},
                    {"name", item.name ? json(*item.name) : json()}});
  return rows;
}

json users_json(const std::vector<domain::openphone_user>& items) {
  json rows = json::array();
  auto text = [](const std::optional<std::string>& value) { return value ? json(*value) : json(); };
  for (const auto& item : items)
    rows.push_back({{"openphone_id", item.openphone_id},
                    {"email", text(item.email)},
                    {"first_name", text(item.first_name)},
                    {"last_name", text(item.last_name)}});
  return rows;
}

json conversations_json(const std::vector<domain::openphone_conversation>& items) {
  json rows = json::array();
  auto text = [](const std::optional<std::string>& value) { return value ? json(*value) : json(); };
  for (const auto& item : items)
    rows.push_back({{"openphone_id", item.openphone_id},
                    {"phone_number_id", item.phone_number_id},
                    {"participants", item.participants},
                    {"name", text(item.name)},
                    {"created_at", text(item.created_at)}});
  return rows;
}

json contacts_json(const std::vector<domain::contact_change>& items) {
  json rows = json::array();
  for (const auto& item : items)
    rows.push_back(storage::contact_change_json(item));
  return rows;
}

struct mapped_page {
  std::vector<statement> writes;
  std::int64_t items = 0;
  std::optional<std::string> next_token;
  std::string error;  // the envelope was unreadable
};

mapped_page map_paged(job_ptr self, const std::string& body) {
  mapped_page out;
  auto take = [&](auto&& page, const char* resource, const char* query, auto&& to_rows) {
    if (!page.ok()) {
      out.error = page.error;
      return;
    }
    count_page(self, resource, page);
    out.items = static_cast<std::int64_t>(page.items.size());
    out.next_token = page.next_page_token;
    if (!page.items.empty())
      out.writes.push_back(write(query, to_rows(page.items)));
  };
  switch (self->state.stage) {
    case import_stage::phone_numbers:
      take(op::map_phone_number_page(body), "phone_numbers", "import_write_phone_numbers",
           phone_numbers_json);
      out.next_token.reset();  // unpaginated
      break;
    case import_stage::users:
      take(op::map_user_page(body), "users", "import_write_users", users_json);
      break;
    case import_stage::conversations:
      take(op::map_conversation_page(body), "conversations", "import_write_conversations",
           conversations_json);
      // A reconciliation pages the messages and calls of only what its window's listing returned.
      if (auto reconciliation = self->state.reconciliation_id; reconciliation && !out.writes.empty())
        out.writes.push_back(statement::named(
          "reconcile_list_conversations",
          {out.writes.back().params.at(0), std::to_string(*reconciliation)}));
      break;
    default:
      take(op::map_contact_page(body), "contacts", "import_write_contacts", contacts_json);
      break;
  }
  return out;
}

std::string paged_target(job_ptr self) {
  auto& state = self->state;
  op::page_query page{op::max_page_size, state.page_token};
  switch (state.stage) {
    case import_stage::phone_numbers:
      return op::phone_numbers_target();
    case import_stage::users:
      page.max_results = op::max_directory_page_size;
      return op::users_target(page);
    case import_stage::conversations: {
      op::conversation_query query;
      query.updated_after = state.since;
      query.page = page;
      return op::conversations_target(query);
    }
    default:
      page.max_results = op::max_directory_page_size;
      return op::contacts_target(page);
  }
}

}  // namespace

statement write(const char* query, const json& rows) {
  return statement::named(query, {rows.dump(-1, ' ', false, json::error_handler_t::replace)});
}

void load_our_numbers(job_ptr self, std::function<void()> then) {
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self, then] { load_our_numbers(self, then); });
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("import_phone_number_map")}})
    .then(
      [self, then](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          retry_later(self, "loading our numbers: " + outcome.error->message,
                      [self, then] { load_our_numbers(self, then); });
          return;
        }
        self->state.mapping.our_numbers.clear();
        for (const auto& row : outcome.results[0].rows)
          if (row[0] && row[1])
            self->state.mapping.our_numbers[*row[0]] = *row[1];
        then();
      },
      [self, then](caf::error& error) {
        retry_later(self, "loading our numbers: " + caf::to_string(error),
                    [self, then] { load_our_numbers(self, then); });
      });
}

void fetch_paged(job_ptr self) {
  provider_request request;
  request.target = paged_target(self);
  request.endpoint = stage_text(self->state.stage) + ".list";
  call_provider(
    self, request,
    [self](int status, std::string& body) {
      auto page = status == 404 ? mapped_page{} : map_paged(self, body);
      if (!page.error.empty()) {
        retry_later(self, "unreadable page: " + page.error, [self] { fetch_paged(self); });
        return;
      }
      auto& state = self->state;
      state.page_token = page.next_token;
      bool last = !page.next_token;
      if (last)
        advance(self);
      commit(self, std::move(page.writes), 1, page.items, [self, last] {
        if (last)
          start_stage(self);
        else
          fetch_paged(self);
      });
    },
    [self](const provider_failure& failure) {
      fail_job(self, "listing " + stage_text(self->state.stage) + " failed: " + failure.code
                       + " " + failure.message);
    });
}

}  // namespace crmd::import_job
