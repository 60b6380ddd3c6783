#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Request targets (path + query) for OpenPhone REST v1 (openphone-api.md §4, §5). Array
// parameters go out as repeated bare keys (`participants=…&participants=…`): the live API
// rejects the `key[]` form. Every value is percent-encoded, so E.164's `+` travels as %2B
// instead of turning into a space.
namespace crmd::integrations::openphone {

// RFC 3986 unreserved characters stay, every other byte becomes %XX (upper-case hex).
std::string percent_encode(std::string_view value);

// Builds `path?key=value&…` in the order given (no `?` without parameters).
class query_target {
 public:
  explicit query_target(std::string path);

  query_target& add(std::string_view key, std::string_view value);
  query_target& add_if(std::string_view key, const std::optional<std::string>& value);
  query_target& add_each(std::string_view key, const std::vector<std::string>& values);

  const std::string& str() const { return target_; }

 private:
  std::string target_;
  bool has_query_ = false;
};

// Page size bounds of §4: 100 for calls, messages and conversations, 50 for users and contacts.
inline constexpr int max_page_size = 100;
inline constexpr int max_directory_page_size = 50;

struct page_query {
  int max_results = max_page_size;  // clamped to the endpoint's bounds
  std::optional<std::string> page_token;
};

struct activity_query {
  std::string phone_number_id;            // PN…
  std::vector<std::string> participants;  // E.164, the other parties (calls: exactly one)
  std::optional<std::string> user_id;
  std::optional<std::string> created_after;   // ISO-8601
  std::optional<std::string> created_before;
  page_query page;
};

struct conversation_query {
  std::vector<std::string> phone_numbers;  // PN… or E.164
  std::optional<std::string> user_id;
  std::optional<std::string> updated_after;
  std::optional<std::string> updated_before;
  bool exclude_inactive = false;
  page_query page;
};

std::string messages_target(const activity_query& query);  // GET /v1/messages
std::string calls_target(const activity_query& query);     // GET /v1/calls
std::string conversations_target(const conversation_query& query);
std::string users_target(const page_query& page);     // GET /v1/users (max 50)
std::string contacts_target(const page_query& page);  // GET /v1/contacts (max 50)
std::string phone_numbers_target(const std::optional<std::string>& user_id = std::nullopt);

// `/v1/<collection>/<id>` with the id percent-encoded, e.g. ("call-recordings", "AC1").
std::string resource_target(std::string_view collection, std::string_view id);

}  // namespace crmd::integrations::openphone
