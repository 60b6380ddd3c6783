#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The envelopes of OpenPhone REST v1 responses (openphone-api.md §3, §4): lists
// `{data: [...], totalItems?, nextPageToken?}`, single objects `{data: {...}}` and errors in both
// shapes. Pure and never throwing: bodies are checked for type before anything is read.
namespace crmd::integrations::openphone {

// Deeper bodies are refused before any mapper copies (recursively) a part of them; OpenPhone's
// deepest object (a transcript) nests four levels.
inline constexpr int max_rest_depth = 32;

// One mapped REST object, or why it could not be mapped.
template <class T>
struct rest_mapped {
  std::optional<T> value;
  std::string error;  // set exactly when value is empty

  bool ok() const { return value.has_value(); }
};

template <class T>
rest_mapped<T> rest_failure(std::string error) {
  return {std::nullopt, std::move(error)};
}

// An item of a list that could not be mapped: the importer reports it, nothing is dropped
// silently.
struct rest_item_error {
  std::size_t index = 0;  // position in `data`
  std::string id;         // the item's id or callId when it had a readable one
  std::string message;
};

// A list response with its items mapped.
template <class T>
struct rest_page {
  std::string error;  // the envelope itself was unreadable; nothing else is set then
  std::vector<T> items;
  std::vector<rest_item_error> item_errors;
  std::optional<std::string> next_page_token;  // nullopt: this was the last page
  std::optional<std::int64_t> total_items;     // informational: OpenPhone's count is inaccurate

  bool ok() const { return error.empty(); }
};

// A list response before its items are mapped. Unpaginated lists (phone numbers, recordings)
// have only `data` and read as a last page.
struct rest_list {
  nlohmann::json data;  // an array
  std::optional<std::string> next_page_token;
  std::optional<std::int64_t> total_items;
};

rest_mapped<rest_list> read_list(std::string_view body);

// The `data` object of a single-object response (GET /v1/messages/{id}, summaries, …).
rest_mapped<nlohmann::json> read_single(std::string_view body);

// The item's `id`, else its `callId`, else empty: names an item in an error report.
std::string item_id(const nlohmann::json& item);

// Maps every item of a list response with `mapper(const json&) -> rest_mapped<T>`.
template <class T, class Mapper>
rest_page<T> map_list(std::string_view body, Mapper&& mapper) {
  rest_page<T> page;
  auto list = read_list(body);
  if (!list.ok()) {
    page.error = std::move(list.error);
    return page;
  }
  page.next_page_token = std::move(list.value->next_page_token);
  page.total_items = list.value->total_items;
  const auto& data = list.value->data;
  for (std::size_t index = 0; index < data.size(); ++index) {
    rest_mapped<T> mapped = mapper(data[index]);
    if (mapped.ok())
      page.items.push_back(std::move(*mapped.value));
    else
      page.item_errors.push_back({index, item_id(data[index]), std::move(mapped.error)});
  }
  return page;
}

// Maps the `data` object of a single-object response with `mapper(const json&) ->
// rest_mapped<T>`.
template <class T, class Mapper>
rest_mapped<T> map_single(std::string_view body, Mapper&& mapper) {
  auto data = read_single(body);
  if (!data.ok())
    return rest_failure<T>(std::move(data.error));
  return mapper(*data.value);
}

// What an error response says, from `body.error ?? body` (the live API wraps it, the spec does
// not). Fields the body lacks stay empty; a body that is not JSON gives an empty result.
struct rest_error {
  std::string message;
  std::string code;   // spec: 7 characters, e.g. "0206400"; live: absent
  std::string key;    // live: e.g. "Unauthorized"
  std::string title;
  std::string trace;

  // "message (code)" or whatever part exists; empty when nothing was readable.
  std::string summary() const;
};

rest_error read_error(std::string_view body);

}  // namespace crmd::integrations::openphone
