#include "tools/openphone-emulator/rest_service.hpp"

#include "tools/openphone-emulator/media_files.hpp"
#include "tools/openphone-emulator/rest_errors.hpp"
#include "tools/openphone-emulator/rest_query.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace crmd::openphone_emulator::rest {

namespace {

constexpr std::string_view dated_version = "2026-03-30";
constexpr std::string_view stats_path = "/_emulator/stats";
constexpr std::string_view sent_path = "/_emulator/sent";
constexpr std::string_view send_path = "/v1/messages";
// Keeps minted send ids apart from the dataset's activity ids.
constexpr std::uint64_t send_salt = 0x53454e44;
constexpr std::string_view dated_messages = "/messages/";

rest_response with_retry_after(rest_response response) {
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

}  // namespace

rest_service::rest_service(const dataset& data, service_settings settings)
  : api_(data, mix64(settings.seed ^ 0x50414745ULL)), settings_(std::move(settings)) {}

service_outcome rest_service::handle(const rest_request& request, std::int64_t steady_ns,
                                     std::int64_t unix_ms) {
  auto [raw_path, query] = split_target(request.target);
  auto decoded = percent_decode(raw_path, false);
  if (!decoded)
    return record({error_response(400, resource::none, "malformed percent-encoding in the path")},
                  false, unix_ms);
  std::string_view path = *decoded;
  if (path == stats_path)
    return {json_response(stats())};
  if (path == sent_path)
    return {json_response(sent())};
  // File links are not API calls: no key, no rate limit, not counted.
  if (auto file = media_response(path))
    return {std::move(*file)};
  bool dated = path.starts_with(dated_messages);
  if (auto refused = check_access(request, path, dated))
    return record({std::move(*refused)}, false, unix_ms);
  auto injected = admit(steady_ns);
  if (!injected)
    return record({with_retry_after(
                      error_response(429, resource::none,
                                     "Too many requests: " + std::to_string(settings_.rate_limit) +
                                         " per second are allowed"))},
                  false, unix_ms);
  if (*injected == injection::fail_500)
    return record({error_response(500, resource::none, "injected failure"), *injected}, false,
                  unix_ms);
  if (*injected == injection::fail_503)
    return record(
        {with_retry_after(error_response(503, resource::none, "injected outage")), *injected},
        false, unix_ms);
  // A dropped answer never arrives, so it does not count as served; a dropped send was still
  // sent, which is what makes a retried POST dangerous.
  if (request.method == "POST" && path == send_path) {
    auto response = send_text(request, unix_ms);
    if (response.status == 202 && *injected == injection::none && drop_this_send())
      *injected = injection::drop;
    return record({std::move(response), *injected}, *injected != injection::drop, unix_ms);
  }
  auto response = answer(request, path, query, dated);
  if (request.method == "GET" && path == send_path)
    response = with_sent_texts(std::move(response), query);
  return record({std::move(response), *injected}, *injected != injection::drop, unix_ms);
}

std::optional<rest_response> rest_service::check_access(const rest_request& request,
                                                        std::string_view path, bool dated) const {
  if (dated && request.api_version != dated_version)
    return dated_error(400, "the Quo-Api-Version header must be 2026-03-30");
  if (!dated && !path.starts_with("/v1/"))
    return error_response(404, resource::none, "no such endpoint: " + std::string(path));
  if (request.authorization == settings_.api_key)
    return std::nullopt;
  std::lock_guard lock(mutex_);
  return unauthorized(mix64(settings_.seed ^ counters_.requests));
}

std::optional<injection> rest_service::admit(std::int64_t steady_ns) {
  std::lock_guard lock(mutex_);
  if (!take_token(bucket_, settings_.rate_limit, steady_ns))
    return std::nullopt;
  return decide_injection(settings_.injection, settings_.seed, admitted_++);
}

rest_response rest_service::answer(const rest_request& request, std::string_view path,
                                   std::string_view query, bool dated) const {
  if (request.method != "GET")
    return error_response(405, resource::none, "the emulator's API is read-only");
  if (dated)
    return api_.get_dated_message(path.substr(dated_messages.size()));
  auto params = query_params::parse(query);
  if (!params)
    return error_response(400, resource::none, "malformed percent-encoding in the query");
  return api_.get_v1(path, *params);
}

rest_response rest_service::send_text(const rest_request& request, std::int64_t unix_ms) {
  std::string id;
  {
    std::lock_guard lock(mutex_);
    id = mint_id("AC", settings_.seed ^ send_salt, id_kind::activity, minted_++);
  }
  auto accepted = accept_text(api_.data(), request.body, std::move(id), unix_ms);
  if (auto* refused = std::get_if<rest_response>(&accepted))
    return std::move(*refused);
  const auto& text = std::get<accepted_text>(accepted);
  {
    std::lock_guard lock(mutex_);
    sent_.push_back(text);
  }
  if (settings_.on_sent)
    settings_.on_sent(text);
  return accepted_response(text);
}

bool rest_service::drop_this_send() {
  if (settings_.send_drop_rate <= 0)
    return false;
  std::lock_guard lock(mutex_);
  auto draw = mix64(settings_.seed ^ 0x44524f50ULL ^ (accepted_++ * 0x9e3779b97f4a7c15ULL));
  return static_cast<double>(draw >> 11) * 0x1.0p-53 < settings_.send_drop_rate;
}

rest_response rest_service::with_sent_texts(rest_response listed, std::string_view query) const {
  auto params = query_params::parse(query);
  if (!params || params->has("pageToken"))
    return listed;
  auto number = params->first("phoneNumberId");
  auto participants = params->all("participants");
  if (!number || participants.empty())
    return listed;
  std::optional<std::int64_t> after;
  if (auto created_after = params->first("createdAfter"))
    after = parse_iso_ms(*created_after);
  std::sort(participants.begin(), participants.end());
  nlohmann::json extra = nlohmann::json::array();
  {
    std::lock_guard lock(mutex_);
    for (const auto& text : sent_) {
      auto to = text.to;
      std::sort(to.begin(), to.end());
      if (text.phone_number_id != *number || to != participants
          || (after && text.created_ms < *after))
        continue;
      extra.push_back(nlohmann::json::parse(accepted_response(text).body)["data"]);
    }
  }
  if (extra.empty())
    return listed;
  nlohmann::json page;
  if (listed.status == 200) {
    page = nlohmann::json::parse(listed.body, nullptr, false);
    if (page.is_discarded() || !page.contains("data") || !page["data"].is_array())
      return listed;
  } else if (listed.status == 404) {
    page = {{"data", nlohmann::json::array()}, {"totalItems", 0}, {"nextPageToken", nullptr}};
  } else {
    return listed;
  }
  // Newest first, like the dataset's messages.
  for (const auto& item : extra)  // accepted oldest first; each goes in front of the last
    page["data"].insert(page["data"].begin(), item);
  if (page.contains("totalItems") && page["totalItems"].is_number_integer())
    page["totalItems"] = page["totalItems"].get<std::int64_t>()
                         + static_cast<std::int64_t>(extra.size());
  listed.status = 200;
  listed.body = page.dump();
  return listed;
}

nlohmann::json rest_service::sent() const {
  std::lock_guard lock(mutex_);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& text : sent_)
    list.push_back(sent_entry(text));
  return {{"data", std::move(list)}};
}

service_outcome rest_service::record(service_outcome outcome, bool served, std::int64_t unix_ms) {
  std::lock_guard lock(mutex_);
  ++counters_.requests;
  if (outcome.injected != injection::none)
    ++counters_.injected[outcome.injected];
  if (outcome.injected != injection::drop)
    ++counters_.by_status[outcome.response.status];
  counters_.rate_limited += outcome.response.status == 429 ? 1 : 0;
  if (served) {
    ++counters_.served;
    if (!counters_.first_served_ms)
      counters_.first_served_ms = unix_ms;
    counters_.last_served_ms = unix_ms;
  }
  return outcome;
}

nlohmann::json rest_service::stats() const {
  std::lock_guard lock(mutex_);
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, count] : counters_.by_status)
    by_status[std::to_string(status)] = count;
  nlohmann::json injected = nlohmann::json::object();
  for (auto kind : {injection::fail_500, injection::fail_503, injection::slow, injection::drop}) {
    auto found = counters_.injected.find(kind);
    injected[std::string(to_string(kind))] = found == counters_.injected.end() ? 0 : found->second;
  }
  auto ms_or_null = [](const std::optional<std::int64_t>& ms) {
    return ms ? nlohmann::json(*ms) : nlohmann::json(nullptr);
  };
  return {{"requests", counters_.requests},
          {"served", counters_.served},
          {"by_status", std::move(by_status)},
          {"rate_limited", counters_.rate_limited},
          {"rate_limit", settings_.rate_limit},
          {"injected", std::move(injected)},
          {"first_request_ms", ms_or_null(counters_.first_served_ms)},
          {"last_request_ms", ms_or_null(counters_.last_served_ms)}};
}

}  // namespace crmd::openphone_emulator::rest
