#include "app/campaign_routes.hpp"

#include "actors/hub_actor.hpp"
#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "app/campaign_routes_input.hpp"
#include "app/campaign_routes_internal.hpp"
#include "app/session_guard.hpp"
#include "storage/pg_pool.hpp"

#include <caf/all.hpp>

#include <array>

namespace crmd::app {

namespace {

constexpr int default_page = 25;
constexpr int max_page = 100;
constexpr std::array<std::string_view, 6> campaign_statuses = {
  "draft", "scheduled", "running", "paused", "complete", "cancelled"};
constexpr std::array<std::string_view, 9> member_statuses = {
  "pending", "sending", "sent", "failed", "replied_positive", "replied_negative",
  "replied_neutral", "suppressed", "review"};

// ?status= among `known` ('' when absent); a 400 invalid_status otherwise.
template <std::size_t N>
std::variant<std::string, net::http_response> parse_status(
  const net::http_request& request, const std::array<std::string_view, N>& known) {
  auto status = request.query_param("status").value_or("");
  if (!status.empty() && std::find(known.begin(), known.end(), status) == known.end())
    return net::error_response(400, "invalid_status", "unknown status '" + status + "'");
  return status;
}

// {"items": [json of each row], "next_cursor": …}; rows hold (id, json), keyset by id.
net::http_response items_page(const storage::pg_result& rows, int limit) {
  std::string body = R"({"items":[)";
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    if (i > 0)
      body += ',';
    body += rows.rows[i][1].value_or("null");
  }
  body += R"(],"next_cursor":)";
  if (!rows.rows.empty() && static_cast<int>(rows.rows.size()) == limit)
    body += '"' + encode_cursor({"", std::stoll(rows.rows.back()[0].value_or("0"))}) + '"';
  else
    body += "null";
  body += '}';
  return net::json_response(200, std::move(body));
}

// A keyset-paged list: ?status=, ?limit=, ?cursor=; `query` takes (status, after id, limit).
template <std::size_t N>
void list_page(storage::pg_pool& pool, const net::http_request& request,
               const std::array<std::string_view, N>& statuses, std::string query,
               std::vector<storage::pg_value> leading, net::responder respond) {
  auto status = parse_status(request, statuses);
  if (auto* error = std::get_if<net::http_response>(&status))
    return respond(std::move(*error));
  auto page = parse_page(request, default_page, max_page, keyset{"", 0});
  if (auto* error = std::get_if<net::http_response>(&page))
    return respond(std::move(*error));
  auto [limit, after] = std::get<page_request>(page);
  leading.insert(leading.end(), {std::get<std::string>(status), std::to_string(after.id),
                                 std::to_string(limit)});
  pool.execute({storage::statement::named(std::move(query), std::move(leading))},
               [respond, limit](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(database_unavailable());
                 respond(items_page(outcome.results[0], limit));
               });
}

void get(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute(
    {storage::statement::named("get_campaign", {std::to_string(std::get<std::int64_t>(id))})},
    [respond](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      const auto& rows = outcome.results[0].rows;
      if (rows.empty())
        return respond(net::error_response(404, "not_found", no_campaign));
      auto body = rows[0][0].value_or("{}");
      body.pop_back();
      body += R"(,"analytics":)" + analytics_with_ab_test(rows[0][1].value_or("null")) + "}";
      respond(net::json_response(200, std::move(body)));
    });
}

// POST (no id) and PATCH.
void save(caf::actor_system& actors, storage::pg_pool& pool, const net::http_request& request,
          const principal& user, std::optional<std::int64_t> id, net::responder respond) {
  auto fields = validate_campaign_input(
    request.body, id ? campaign_input_mode::update : campaign_input_mode::create);
  if (auto* error = std::get_if<campaign_input_error>(&fields))
    return respond(input_error_response(*error));
  storage::pg_value id_text;
  if (id)
    id_text = std::to_string(*id);
  pool.execute(
    {storage::statement::named("save_campaign", {id_text, std::get<nlohmann::json>(fields).dump(),
                                                 std::to_string(user.user_id)})},
    [&actors, respond, created = !id](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      const auto& row = outcome.results[0].rows.at(0);
      auto result = row[0].value_or("");
      if (result == "not_found")
        return respond(net::error_response(404, "not_found", no_campaign));
      if (result == "not_editable")
        return respond(not_editable());
      if (result == "unknown_phone_number") {
        campaign_input_error error{.code = "invalid_field",
                                   .message = "from_phone_number_id is not one of our numbers",
                                   .field = "from_phone_number_id"};
        return respond(input_error_response(error));
      }
      auto campaign = row[1].value_or("{}");
      auto parsed = nlohmann::json::parse(campaign, nullptr, false);
      if (parsed.is_object() && parsed["id"].is_number_integer())
        publish_campaign(actors, parsed["id"].get<std::int64_t>(), campaign);
      respond(net::json_response(created ? 201 : 200, std::move(campaign)));
    });
}

void remove(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute(
    {storage::statement::named("delete_campaign", {std::to_string(std::get<std::int64_t>(id))})},
    [respond](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      auto result = outcome.results[0].rows.at(0)[0].value_or("");
      if (result == "not_found")
        return respond(net::error_response(404, "not_found", no_campaign));
      if (result == "not_editable")
        return respond(net::error_response(409, "campaign_not_editable",
                                           "only draft campaigns can be deleted"));
      net::http_response response;
      response.status = 204;
      response.content_type.clear();
      respond(std::move(response));
    });
}

}  // namespace

void publish_campaign(caf::actor_system& actors, std::int64_t id, const std::string& campaign) {
  auto hub = actors.registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  auto frame = R"({"event":"campaign.updated","data":)" + campaign + "}";
  caf::anon_send(hub, atoms::publish_atom_v, std::string("campaigns"), frame);
  caf::anon_send(hub, atoms::publish_atom_v, "campaign:" + std::to_string(id), frame);
}

net::http_response not_editable() {
  return net::error_response(409, "campaign_not_editable",
                             "only draft and scheduled campaigns can be changed");
}

net::http_response csv_response(std::string body, const std::string& filename) {
  net::http_response response;
  response.status = 200;
  response.content_type = "text/csv; charset=utf-8";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.body = std::move(body);
  return response;
}

void add_campaign_routes(net::router& routes, const session_guard& guard, caf::actor_system& actors,
                         storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/campaigns", "campaigns_list",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               list_page(pool, request, campaign_statuses, "list_campaigns", {},
                         std::move(respond));
             }));
  routes.add("POST", "/api/v1/campaigns", "campaigns_create",
             guard.protect([&actors, &pool](net::http_request&& request, principal user,
                                            net::responder respond) {
               save(actors, pool, request, user, std::nullopt, std::move(respond));
             }));
  routes.add("GET", "/api/v1/campaigns/{id}", "campaigns_get",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               get(pool, request, std::move(respond));
             }));
  routes.add("PATCH", "/api/v1/campaigns/{id}", "campaigns_update",
             guard.protect([&actors, &pool](net::http_request&& request, principal user,
                                            net::responder respond) {
               auto id = path_id(request, "id", "campaign");
               if (auto* error = std::get_if<net::http_response>(&id))
                 return respond(std::move(*error));
               save(actors, pool, request, user, std::get<std::int64_t>(id), std::move(respond));
             }));
  routes.add("DELETE", "/api/v1/campaigns/{id}", "campaigns_delete",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               remove(pool, request, std::move(respond));
             }));
  routes.add("GET", "/api/v1/campaigns/{id}/members", "campaigns_members",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               auto id = path_id(request, "id", "campaign");
               if (auto* error = std::get_if<net::http_response>(&id))
                 return respond(std::move(*error));
               list_page(pool, request, member_statuses, "campaign_members_page",
                         {std::to_string(std::get<std::int64_t>(id))}, std::move(respond));
             }));
  add_campaign_audience_routes(routes, guard, actors, pool);
  add_campaign_analytics_routes(routes, guard, pool);
  add_campaign_command_routes(routes, guard, actors);
}

}  // namespace crmd::app
