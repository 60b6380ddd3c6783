// Audience preview, CSV members and the template editor's live preview.
#include "app/api_support.hpp"
#include "app/campaign_routes_internal.hpp"
#include "app/session_guard.hpp"
#include "domain/campaign/ab_assignment.hpp"
#include "domain/campaign/csv_audience.hpp"
#include "domain/campaign/message_template.hpp"
#include "domain/campaign/sms_segments.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>

namespace crmd::app {

namespace {

using nlohmann::json;
namespace campaign = domain::campaign;

constexpr int sample_size = 20;

json segments_json(const std::string& text) {
  auto counted = campaign::count_sms_segments(text);
  return {{"encoding", counted.encoding == campaign::sms_encoding::gsm7 ? "gsm7" : "ucs2"},
          {"units", counted.units},
          {"segments", counted.segments}};
}

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

// One sample member as the runner would treat it: variant, status under the existing-contact
// rule, and the text rendered. Row: see the campaign_audience_sample query.
json sample_member(const json& c, const std::vector<storage::pg_value>& row) {
  auto contact_id = std::stoll(row[0].value_or("0"));
  bool existing = row[10] == "t";
  auto rule = campaign::parse_existing_contact_rule(text_of(c["on_existing_contact"]))
                .value_or(campaign::existing_contact_rule::ignore);
  auto variant = campaign::assign_variant(c["id"].get<std::int64_t>(), contact_id,
                                          c["ab_split_percent"].get<unsigned>(), existing, rule);
  const char* chosen = "A";  // a pointer: GCC 12 -O3 misreads assigning literals to a string
  auto source = text_of(c["template_a"]);
  if (variant == campaign::template_variant::existing_customer &&
      !text_of(c["template_existing"]).empty()) {
    chosen = "E";
    source = text_of(c["template_existing"]);
  } else if (variant == campaign::template_variant::b && !text_of(c["template_b"]).empty()) {
    chosen = "B";
    source = text_of(c["template_b"]);
  }
  const char* status = "pending";
  if (existing && rule == campaign::existing_contact_rule::ignore)
    status = "suppressed";
  else if (existing && rule == campaign::existing_contact_rule::flag_for_review)
    status = "review";
  campaign::merge_values values;
  for (std::size_t i = 0; i < campaign::merge_field_count; ++i)
    values[i] = row[3 + i].value_or("");  // first_name … postal_code, in merge_field order
  std::string rendered;
  auto parsed = campaign::parse_template(source);
  if (auto* ok = std::get_if<campaign::parsed_template>(&parsed)) {
    campaign::render_options options;
    auto line = text_of(c["opt_out_line"]);
    if (!line.empty() && row[11] != "t")
      options.opt_out_line = line;
    rendered = campaign::render_template(*ok, values, options);
  }
  return {{"contact_id", contact_id},
          {"name", row[1] ? json(*row[1]) : json()},
          {"phone", row[2].value_or("")},
          {"existing_customer", existing},
          {"status", status},
          {"variant", chosen},
          {"rendered", rendered},
          {"segments", segments_json(rendered)}};
}

void preview(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  auto id_text = std::to_string(std::get<std::int64_t>(id));
  pool.execute(
    {storage::statement::named("campaign_audience_counts", {id_text}),
     storage::statement::named("campaign_audience_sample", {id_text, std::to_string(sample_size)})},
    [respond](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      const auto& counts = outcome.results[0].rows;
      if (counts.empty())
        return respond(net::error_response(404, "not_found", no_campaign));
      auto c = json::parse(counts[0][3].value_or("{}"));
      json sample = json::array();
      for (const auto& row : outcome.results[1].rows)
        sample.push_back(sample_member(c, row));
      json body = {{"count", std::stoll(counts[0][0].value_or("0"))},
                   {"excluded_opted_out", std::stoll(counts[0][1].value_or("0"))},
                   {"existing_customers", std::stoll(counts[0][2].value_or("0"))},
                   {"sample", std::move(sample)}};
      respond(net::json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace)));
    });
}

json member_json(const campaign::csv_member& member) {
  json row = {{"phone", member.phone}, {"tags", member.tags}};
  auto put = [&row](const char* key, const std::optional<std::string>& value) {
    if (value)
      row[key] = *value;
  };
  put("first_name", member.first_name);
  put("last_name", member.last_name);
  put("company", member.company);
  put("email", member.email);
  put("street", member.street);
  put("city", member.city);
  put("state", member.state);
  put("postal_code", member.postal_code);
  return row;
}

void upload_csv(caf::actor_system& actors, storage::pg_pool& pool,
                const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  auto parsed = campaign::parse_csv_audience(request.body);
  json rows = json::array();
  for (const auto& member : parsed.members)
    rows.push_back(member_json(member));
  json errors = json::array();
  for (const auto& error : parsed.errors)
    errors.push_back({{"line", error.line}, {"reason", error.reason}});
  auto campaign_id = std::get<std::int64_t>(id);
  pool.execute(
    {storage::statement::named("add_campaign_csv_members",
                               {std::to_string(campaign_id), rows.dump()}),
     storage::statement::named("get_campaign_json", {std::to_string(campaign_id)})},
    [&actors, respond, errors, campaign_id](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      const auto& row = outcome.results[0].rows.at(0);
      auto result = row[0].value_or("");
      if (result == "not_found")
        return respond(net::error_response(404, "not_found", no_campaign));
      if (result == "not_editable")
        return respond(not_editable());
      // The members count changed: the campaign's viewers see it.
      if (!outcome.results[1].rows.empty())
        publish_campaign(actors, campaign_id, outcome.results[1].rows[0][0].value_or("{}"));
      json body = {{"added", std::stoll(row[1].value_or("0"))},
                   {"skipped_opted_out", std::stoll(row[2].value_or("0"))},
                   {"duplicates", std::stoll(row[3].value_or("0"))},
                   {"errors", errors}};
      respond(net::json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace)));
    });
}

// {"template", "values"?: {merge field: text}, "opt_out_line"?} → {"ok", "error"?, "rendered",
// "segments"}: the editor shows the error's place and the cost of the text as typed.
net::http_response template_preview(const net::http_request& request) {
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body["template"].is_string())
    return net::error_response(400, "invalid_json",
                               R"(the body must be a JSON object with a "template" string)");
  campaign::merge_values values;
  if (body["values"].is_object())
    for (const auto& [key, value] : body["values"].items())
      if (auto field = campaign::parse_merge_field(key); field && value.is_string())
        values[static_cast<std::size_t>(*field)] = value.get<std::string>();
  auto parsed = campaign::parse_template(body["template"].get<std::string>());
  if (auto* error = std::get_if<campaign::template_error>(&parsed)) {
    json out = {{"ok", false},
                {"error", {{"code", "invalid_template"}, {"message", error->message},
                           {"offset", error->offset}}},
                {"rendered", nullptr},
                {"segments", segments_json("")}};
    return net::json_response(200, out.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  campaign::render_options options;
  std::string line = text_of(body["opt_out_line"]);
  if (!line.empty())
    options.opt_out_line = line;
  auto rendered =
    campaign::render_template(std::get<campaign::parsed_template>(parsed), values, options);
  json out = {{"ok", true}, {"rendered", rendered}, {"segments", segments_json(rendered)}};
  return net::json_response(200, out.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void add_campaign_audience_routes(net::router& routes, const session_guard& guard,
                                  caf::actor_system& actors, storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/campaigns/{id}/audience/preview", "campaigns_audience_preview",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               preview(pool, request, std::move(respond));
             }));
  routes.add("POST", "/api/v1/campaigns/{id}/audience/csv", "campaigns_audience_csv",
             guard.protect([&actors, &pool](net::http_request&& request, principal,
                                            net::responder respond) {
               upload_csv(actors, pool, request, std::move(respond));
             }));
  routes.add("POST", "/api/v1/templates/preview", "templates_preview",
             guard.protect([](net::http_request&& request, principal, net::responder respond) {
               respond(template_preview(request));
             }));
}

}  // namespace crmd::app
