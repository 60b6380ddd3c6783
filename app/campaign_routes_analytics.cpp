// A campaign's numbers per variant and in total, the A/B test, and the CSV exports.
#include "app/api_support.hpp"
#include "app/campaign_routes_internal.hpp"
#include "app/session_guard.hpp"
#include "domain/campaign/ab_significance.hpp"
#include "domain/campaign/csv_writer.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace crmd::app {

namespace {

using nlohmann::json;
namespace campaign = domain::campaign;

constexpr std::array<const char*, 9> measures = {
  "members", "sent", "delivered", "failed", "replies", "positive", "negative", "neutral",
  "opt_outs"};

std::uint64_t count_of(const json& numbers, const char* key) {
  return numbers.is_object() && numbers[key].is_number_unsigned()
           ? numbers[key].get<std::uint64_t>()
           : 0;
}

// campaign_analytics's JSON plus "ab_test": positive replies over sent texts, A against B.
json with_ab_test(json analytics) {
  const auto& a = analytics["variants"]["A"];
  const auto& b = analytics["variants"]["B"];
  auto test = campaign::two_proportion_z_test(count_of(a, "sent"), count_of(a, "positive"),
                                              count_of(b, "sent"), count_of(b, "positive"));
  analytics["ab_test"] = {{"z", test.z}, {"p_value", test.p_value},
                          {"significant", test.significant}};
  return analytics;
}

// Runs `query` for the campaign in the path; 404 when it has no row or a null first column.
void with_campaign_rows(storage::pg_pool& pool, const net::http_request& request,
                        std::string query,
                        std::function<net::http_response(std::int64_t, const storage::pg_result&)>
                          render,
                        net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  auto campaign_id = std::get<std::int64_t>(id);
  auto id_text = std::to_string(campaign_id);
  pool.execute({storage::statement::named("campaign_exists", {id_text}),
                storage::statement::named(std::move(query), {id_text})},
               [respond, render, campaign_id](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(database_unavailable());
                 if (outcome.results[0].rows.empty())
                   return respond(net::error_response(404, "not_found", no_campaign));
                 respond(render(campaign_id, outcome.results[1]));
               });
}

json analytics_of(const storage::pg_result& rows) {
  return with_ab_test(json::parse(rows.rows.at(0)[0].value_or("{}")));
}

net::http_response analytics_csv(std::int64_t id, const storage::pg_result& rows) {
  auto analytics = analytics_of(rows);
  std::vector<std::optional<std::string>> header = {"variant"};
  for (const auto* measure : measures)
    header.emplace_back(measure);
  header.emplace_back("positive_rate");
  auto body = campaign::csv_line(header);
  auto line = [&body](const std::string& name, const json& numbers) {
    std::vector<std::optional<std::string>> fields = {name};
    for (const auto* measure : measures)
      fields.push_back(std::to_string(count_of(numbers, measure)));
    auto sent = count_of(numbers, "sent");
    char rate[32] = "";
    if (sent > 0)
      std::snprintf(rate, sizeof rate, "%.4f",
                    static_cast<double>(count_of(numbers, "positive")) / static_cast<double>(sent));
    fields.emplace_back(rate);
    body += campaign::csv_line(fields);
  };
  for (const auto& [variant, numbers] : analytics["variants"].items())
    line(variant, numbers);
  line("total", analytics["total"]);
  return csv_response(std::move(body), "campaign-" + std::to_string(id) + "-analytics.csv");
}

net::http_response members_csv(std::int64_t id, const storage::pg_result& rows) {
  auto body = campaign::csv_line(
    {"member_id", "contact_id", "name", "phone", "status", "variant", "existing_customer",
     "sent_at", "delivery_status", "replied_at", "reply_reason", "suppressed_reason",
     "failure_reason"});
  for (const auto& row : rows.rows) {
    std::vector<std::optional<std::string>> fields(row.begin(), row.end());
    if (fields[6])
      fields[6] = *fields[6] == "t" ? "true" : "false";
    body += campaign::csv_line(fields);
  }
  return csv_response(std::move(body), "campaign-" + std::to_string(id) + "-members.csv");
}

}  // namespace

std::string analytics_with_ab_test(const std::string& analytics) {
  auto parsed = json::parse(analytics, nullptr, false);
  if (!parsed.is_object())
    return "null";
  return with_ab_test(std::move(parsed)).dump();
}

void add_campaign_analytics_routes(net::router& routes, const session_guard& guard,
                                   storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/campaigns/{id}/analytics", "campaigns_analytics",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               with_campaign_rows(
                 pool, request, "campaign_analytics",
                 [](std::int64_t, const storage::pg_result& rows) {
                   return net::json_response(200, analytics_of(rows).dump());
                 },
                 std::move(respond));
             }));
  routes.add("GET", "/api/v1/campaigns/{id}/analytics.csv", "campaigns_analytics_csv",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               with_campaign_rows(pool, request, "campaign_analytics", analytics_csv,
                                  std::move(respond));
             }));
  routes.add("GET", "/api/v1/campaigns/{id}/members.csv", "campaigns_members_csv",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               with_campaign_rows(pool, request, "campaign_members_export", members_csv,
                                  std::move(respond));
             }));
}

}  // namespace crmd::app
