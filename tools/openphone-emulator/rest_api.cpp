#include "tools/openphone-emulator/rest_api.hpp"

#include "tools/openphone-emulator/rest_errors.hpp"
#include "tools/openphone-emulator/rest_json.hpp"

#include <vector>

namespace crmd::openphone_emulator::rest {

namespace {

using nlohmann::json;

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return out;
}

rest_response data_of(json value) {
  return json_response({{"data", std::move(value)}});
}

rest_response bad_id(resource r, std::string_view id) {
  return error_response(400, r, "'" + std::string(id) + "' is not a valid id");
}

rest_response not_found(resource r, std::string what) {
  return error_response(404, r, std::move(what) + " not found");
}

}  // namespace

rest_api::rest_api(const dataset& data, std::uint64_t token_secret)
  : data_(data), index_(data), secret_(token_secret) {}

rest_response rest_api::get_v1(std::string_view path, const query_params& query) const {
  if (path.ends_with('/'))
    path.remove_suffix(1);
  if (!path.starts_with("/v1/"))
    return error_response(404, resource::none, "no such endpoint: " + std::string(path));
  auto parts = segments(path.substr(std::string_view("/v1/").size()));
  if (parts.size() == 1) {
    auto collection = parts[0];
    if (collection == "phone-numbers")
      return phone_numbers(query);
    if (collection == "users")
      return users(query);
    if (collection == "contacts")
      return contacts(query);
    if (collection == "conversations")
      return conversations(query);
    if (collection == "messages")
      return activities(query, false);
    if (collection == "calls")
      return activities(query, true);
  } else if (parts.size() == 2) {
    if (parts[0].starts_with("call-"))
      return follow_up(parts[0], parts[1]);
    return one(parts[0], parts[1]);
  }
  return error_response(404, resource::none, "no such endpoint: " + std::string(path));
}

rest_response rest_api::get_dated_message(std::string_view id) const {
  if (!is_prefixed_id(id, "AC"))
    return bad_id(resource::messages, id);
  auto found = index_.message_by_id(id);
  if (!found)
    return not_found(resource::messages, "Message");
  return data_of(to_json(data_, data_.messages[*found], true));
}

rest_response rest_api::phone_numbers(const query_params& query) const {
  auto user = query.first("userId");
  if (user && !is_prefixed_id(*user, "US"))
    return bad_id(resource::phone_numbers, *user);
  json list = json::array();
  for (const auto& n : data_.numbers) {
    bool shared = !user;
    for (auto u : n.users)
      shared = shared || data_.user_id(u) == *user;
    if (shared)
      list.push_back(to_json(data_, n));
  }
  return data_of(std::move(list));
}

rest_response rest_api::one(std::string_view collection, std::string_view id) const {
  if (collection == "phone-numbers") {
    if (!is_prefixed_id(id, "PN"))
      return bad_id(resource::phone_numbers, id);
    auto found = index_.number_by_id(id);
    return found ? data_of(to_json(data_, data_.numbers[*found]))
                 : not_found(resource::phone_numbers, "Phone number");
  }
  if (collection == "users") {
    if (!is_prefixed_id(id, "US"))
      return bad_id(resource::users, id);
    auto found = index_.user_by_id(id);
    return found ? data_of(to_json(data_, data_.users[*found]))
                 : not_found(resource::users, "User");
  }
  if (collection == "contacts") {
    if (!is_prefixed_id(id, ""))
      return bad_id(resource::contacts, id);
    auto found = index_.contact_by_id(id);
    return found ? data_of(to_json(data_, data_.contacts[*found]))
                 : not_found(resource::contacts, "Contact");
  }
  if (collection == "messages") {
    if (!is_prefixed_id(id, "AC"))
      return bad_id(resource::messages, id);
    auto found = index_.message_by_id(id);
    return found ? data_of(to_json(data_, data_.messages[*found], false))
                 : not_found(resource::messages, "Message");
  }
  if (collection == "calls") {
    if (!is_prefixed_id(id, "AC"))
      return bad_id(resource::calls, id);
    auto found = index_.call_by_id(id);
    return found ? data_of(to_json(data_, data_.calls[*found]))
                 : not_found(resource::calls, "Call");
  }
  return error_response(404, resource::none, "no such endpoint: /v1/" + std::string(collection));
}

// Recordings answer [] for a call without any; the others 404, as when the call is unknown.
rest_response rest_api::follow_up(std::string_view collection, std::string_view call_id) const {
  resource r = collection == "call-recordings"    ? resource::recordings
               : collection == "call-summaries"   ? resource::summaries
               : collection == "call-transcripts" ? resource::transcripts
               : collection == "call-voicemails"  ? resource::voicemails
                                                  : resource::none;
  if (r == resource::none)
    return error_response(404, resource::none, "no such endpoint: /v1/" + std::string(collection));
  if (!is_prefixed_id(call_id, "AC"))
    return bad_id(r, call_id);
  auto found = index_.call_by_id(call_id);
  if (!found)
    return not_found(r, "Call");
  const call& c = data_.calls[*found];
  switch (r) {
    case resource::recordings: {
      json list = json::array();
      for (std::uint32_t i = 0; i < c.recording_count; ++i)
        list.push_back(to_json(data_, data_.recordings[c.first_recording + i]));
      return data_of(std::move(list));
    }
    case resource::summaries:
      return c.summary < 0
                 ? not_found(r, "Call summary")
                 : data_of(to_json(data_, data_.summaries[static_cast<std::size_t>(c.summary)]));
    case resource::transcripts:
      return c.transcript < 0
                 ? not_found(r, "Call transcript")
                 : data_of(
                       to_json(data_, data_.transcripts[static_cast<std::size_t>(c.transcript)]));
    default:
      return c.voicemail < 0
                 ? not_found(r, "Voicemail")
                 : data_of(to_json(data_, data_.voicemails[static_cast<std::size_t>(c.voicemail)]));
  }
}

}  // namespace crmd::openphone_emulator::rest
