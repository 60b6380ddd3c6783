#include "integrations/openphone/rest_query.hpp"

#include <algorithm>

namespace crmd::integrations::openphone {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
         || c == '.' || c == '_' || c == '~';
}

void add_page(query_target& target, const page_query& page, int largest) {
  target.add("maxResults", std::to_string(std::clamp(page.max_results, 1, largest)));
  target.add_if("pageToken", page.page_token);
}

std::string activity_target(std::string path, const activity_query& query) {
  query_target target(std::move(path));
  target.add("phoneNumberId", query.phone_number_id)
    .add_each("participants", query.participants)
    .add_if("userId", query.user_id)
    .add_if("createdAfter", query.created_after)
    .add_if("createdBefore", query.created_before);
  add_page(target, query.page, max_page_size);
  return target.str();
}

}  // namespace

std::string percent_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (unreserved(byte)) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0x0F];
    }
  }
  return out;
}

query_target::query_target(std::string path) : target_(std::move(path)) {}

query_target& query_target::add(std::string_view key, std::string_view value) {
  target_ += has_query_ ? '&' : '?';
  has_query_ = true;
  target_ += percent_encode(key);
  target_ += '=';
  target_ += percent_encode(value);
  return *this;
}

query_target& query_target::add_if(std::string_view key,
                                   const std::optional<std::string>& value) {
  return value ? add(key, *value) : *this;
}

query_target& query_target::add_each(std::string_view key,
                                     const std::vector<std::string>& values) {
  for (const auto& value : values)
    add(key, value);
  return *this;
}

std::string messages_target(const activity_query& query) {
  return activity_target("/v1/messages", query);
}

std::string calls_target(const activity_query& query) {
  return activity_target("/v1/calls", query);
}

std::string conversations_target(const conversation_query& query) {
  query_target target("/v1/conversations");
  target.add_each("phoneNumbers", query.phone_numbers)
    .add_if("userId", query.user_id)
    .add_if("updatedAfter", query.updated_after)
    .add_if("updatedBefore", query.updated_before);
  if (query.exclude_inactive)
    target.add("excludeInactive", "true");
  add_page(target, query.page, max_page_size);
  return target.str();
}

std::string users_target(const page_query& page) {
  query_target target("/v1/users");
  add_page(target, page, max_directory_page_size);
  return target.str();
}

std::string contacts_target(const page_query& page) {
  query_target target("/v1/contacts");
  add_page(target, page, max_directory_page_size);
  return target.str();
}

std::string phone_numbers_target(const std::optional<std::string>& user_id) {
  return query_target("/v1/phone-numbers").add_if("userId", user_id).str();
}

std::string resource_target(std::string_view collection, std::string_view id) {
  std::string target = "/v1/";
  target += collection;
  target += '/';
  target += percent_encode(id);
  return target;
}

}  // namespace crmd::integrations::openphone
