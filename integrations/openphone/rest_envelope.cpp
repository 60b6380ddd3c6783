#include "integrations/openphone/rest_envelope.hpp"

namespace crmd::integrations::openphone {

namespace {

using nlohmann::json;

// Parses a body and checks its nesting while nlohmann's (iterative) parser runs.
rest_mapped<json> parse_body(std::string_view body) {
  bool too_deep = false;
  auto depth_check = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > max_rest_depth)
      too_deep = true;
    return !too_deep;
  };
  json document = json::parse(body.begin(), body.end(), depth_check, false);
  if (too_deep)
    return rest_failure<json>("body nests too deeply");
  if (document.is_discarded())
    return rest_failure<json>("body is not valid JSON");
  if (!document.is_object())
    return rest_failure<json>("body must be a JSON object");
  return {std::move(document), {}};
}

std::string string_member(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

rest_mapped<rest_list> read_list(std::string_view body) {
  auto parsed = parse_body(body);
  if (!parsed.ok())
    return rest_failure<rest_list>(std::move(parsed.error));
  json& document = *parsed.value;
  rest_list list;
  auto data = document.find("data");
  if (data == document.end() || !data->is_array())
    return rest_failure<rest_list>("data must be an array");
  list.data = std::move(*data);

  // A null or absent token ends the listing; so does an empty one, which could only repeat
  // the first page forever.
  auto token = document.find("nextPageToken");
  if (token != document.end() && !token->is_null()) {
    if (!token->is_string())
      return rest_failure<rest_list>("nextPageToken must be a string or null");
    if (!token->get_ref<const std::string&>().empty())
      list.next_page_token = token->get<std::string>();
  }
  auto total = document.find("totalItems");
  if (total != document.end() && !total->is_null()) {
    if (!total->is_number_integer())
      return rest_failure<rest_list>("totalItems must be an integer");
    list.total_items = total->get<std::int64_t>();
  }
  return {std::move(list), {}};
}

rest_mapped<json> read_single(std::string_view body) {
  auto parsed = parse_body(body);
  if (!parsed.ok())
    return parsed;
  auto data = parsed.value->find("data");
  if (data == parsed.value->end() || !data->is_object())
    return rest_failure<json>("data must be an object");
  return {std::move(*data), {}};
}

std::string item_id(const json& item) {
  if (!item.is_object())
    return {};
  auto id = string_member(item, "id");
  return id.empty() ? string_member(item, "callId") : id;
}

std::string rest_error::summary() const {
  std::string text = !message.empty() ? message : !title.empty() ? title : key;
  std::string id = !code.empty() ? code : key != text ? key : std::string();
  if (!id.empty())
    text += text.empty() ? id : " (" + id + ")";
  return text;
}

rest_error read_error(std::string_view body) {
  rest_error out;
  auto parsed = parse_body(body);
  if (!parsed.ok())
    return out;
  const json* error = &*parsed.value;
  if (auto nested = parsed.value->find("error"); nested != parsed.value->end()) {
    if (nested->is_object()) {
      error = &*nested;
    } else if (nested->is_string()) {
      out.message = nested->get<std::string>();
      return out;
    }
  }
  out.message = string_member(*error, "message");
  out.key = string_member(*error, "key");
  out.title = string_member(*error, "title");
  out.trace = string_member(*error, "trace");
  // The spec's code is a string; a number would still identify the error.
  auto code = error->find("code");
  if (code != error->end() && code->is_string())
    out.code = code->get<std::string>();
  else if (code != error->end() && code->is_number_integer())
    out.code = std::to_string(code->get<std::int64_t>());
  return out;
}

}  // namespace crmd::integrations::openphone
