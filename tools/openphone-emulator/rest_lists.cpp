// rest_api's paginated lists: users, contacts, conversations, messages and calls.
#include "tools/openphone-emulator/rest_api.hpp"

#include "tools/openphone-emulator/paging.hpp"
#include "tools/openphone-emulator/rest_errors.hpp"
#include "tools/openphone-emulator/rest_json.hpp"

#include <algorithm>
#include <climits>
#include <set>
#include <variant>

namespace crmd::openphone_emulator::rest {

namespace {

using nlohmann::json;

enum list_tag : std::uint8_t {
  users_list = 1,
  contacts_list,
  conversations_list,
  messages_list,
  calls_list
};

constexpr int default_page = 10;

struct paging {
  std::size_t limit = default_page;
  std::size_t from = 0;
  std::optional<std::uint32_t> total;  // carried by the token
};

// maxResults (missing → 10) and pageToken, which must come from this list and these filters.
std::variant<paging, rest_response> read_paging(const query_params& query, resource r, int max,
                                                const page_cursor& base, std::size_t range_size,
                                                std::uint64_t secret) {
  paging p;
  if (auto text = query.first("maxResults")) {
    auto value = parse_bounded(*text, 1, max);
    if (!value)
      return error_response(400, r,
                            "maxResults must be an integer from 1 to " + std::to_string(max));
    p.limit = static_cast<std::size_t>(*value);
  }
  if (auto token = query.first("pageToken"); token && !token->empty()) {
    auto cursor = decode_page_token(*token, secret);
    if (!cursor || cursor->list != base.list || cursor->scope != base.scope ||
        cursor->position > range_size)
      return error_response(400, r, "pageToken is invalid or belongs to another query");
    p.from = cursor->position;
    p.total = cursor->total;
  }
  return p;
}

// One page of `range`: `keep` filters, and `filtered` says whether it can refuse anything (if
// not, the total is the range's size and needs no count); `render` turns an index into JSON.
template <typename Keep, typename Render>
rest_response page_of(std::span<const std::uint32_t> range, const paging& p, page_cursor base,
                      Keep keep, bool filtered, Render render, std::uint64_t secret) {
  auto slice = take_page(range, p.from, p.limit, keep);
  auto total = p.total ? *p.total
               : filtered
                   ? static_cast<std::uint32_t>(std::count_if(range.begin(), range.end(), keep))
                   : static_cast<std::uint32_t>(range.size());
  json data = json::array();
  for (auto i : slice.items)
    data.push_back(render(i));
  json next = nullptr;
  if (slice.next) {
    base.position = *slice.next;
    base.total = total;
    next = encode_page_token(base, secret);
  }
  return json_response({{"data", std::move(data)}, {"totalItems", total}, {"nextPageToken", next}});
}

constexpr auto everything = [](std::uint32_t) { return true; };

// Half-open [after, before): consecutive windows neither overlap nor leave gaps.
struct time_window {
  std::int64_t after = LLONG_MIN;
  std::int64_t before = LLONG_MAX;
};

// Reads `after_name`/`before_name` into `window`; an error message when one is not ISO-8601.
std::optional<std::string> read_window(const query_params& query, std::string_view after_name,
                                       std::string_view before_name, time_window& window) {
  for (auto name : {after_name, before_name}) {
    auto text = query.first(name);
    if (!text)
      continue;
    auto ms = parse_iso_ms(*text);
    if (!ms)
      return std::string(name) + " must be an ISO-8601 date-time, e.g. 2025-05-01T14:00:00Z";
    (name == after_name ? window.after : window.before) = *ms;
  }
  return std::nullopt;
}

// The part of a newest-first `order` whose times fall in `window`.
template <typename Time>
std::span<const std::uint32_t> narrow(std::span<const std::uint32_t> order,
                                      const time_window& window, Time time) {
  auto begin = std::partition_point(order.begin(), order.end(),
                                    [&](std::uint32_t i) { return time(i) >= window.before; });
  auto end = std::partition_point(begin, order.end(),
                                  [&](std::uint32_t i) { return time(i) >= window.after; });
  return {begin, end};
}

}  // namespace

rest_response rest_api::users(const query_params& query) const {
  page_cursor base{users_list, scope_hash(users_list).value(), 0, 0};
  auto range = index_.users();
  auto p = read_paging(query, resource::users, 50, base, range.size(), secret_);
  if (auto* error = std::get_if<rest_response>(&p))
    return std::move(*error);
  return page_of(
      range, std::get<paging>(p), base, everything, false,
      [&](std::uint32_t i) { return to_json(data_, data_.users[i]); }, secret_);
}

// externalIds and sources are accepted and ignored: the dataset's contacts all match.
rest_response rest_api::contacts(const query_params& query) const {
  page_cursor base{contacts_list, scope_hash(contacts_list).value(), 0, 0};
  auto range = index_.contacts();
  auto p = read_paging(query, resource::contacts, 50, base, range.size(), secret_);
  if (auto* error = std::get_if<rest_response>(&p))
    return std::move(*error);
  return page_of(
      range, std::get<paging>(p), base, everything, false,
      [&](std::uint32_t i) { return to_json(data_, data_.contacts[i]); }, secret_);
}

rest_response rest_api::conversations(const query_params& query) const {
  constexpr auto r = resource::conversations;
  auto wanted = query.all("phoneNumbers");
  for (auto& legacy : query.all("phoneNumber"))
    wanted.push_back(std::move(legacy));
  if (wanted.size() > 100)
    return error_response(400, r, "phoneNumbers takes at most 100 items");
  std::set<std::size_t> numbers;
  for (const auto& value : wanted) {
    if (!is_e164(value) && !is_prefixed_id(value, "PN"))
      return error_response(400, r,
                            "phoneNumbers items must be PN ids or E.164 numbers (send + as %2B)");
    auto found = is_e164(value) ? index_.number_by_e164(value) : index_.number_by_id(value);
    if (found)
      numbers.insert(*found);
  }
  time_window created, updated;
  if (auto error = read_window(query, "createdAfter", "createdBefore", created))
    return error_response(400, r, *error);
  if (auto error = read_window(query, "updatedAfter", "updatedBefore", updated))
    return error_response(400, r, *error);
  auto inactive = query.first("excludeInactive").value_or("false");
  if (inactive != "true" && inactive != "false")
    return error_response(400, r, "excludeInactive must be true or false");
  bool exclude_inactive = inactive == "true";
  if (auto user = query.first("userId"); user && !is_prefixed_id(*user, "US"))
    return error_response(400, r, "userId must be a US id");

  scope_hash scope(conversations_list);
  for (auto n : numbers)
    scope.add(static_cast<std::int64_t>(n));
  scope.add(wanted.empty() ? "all" : "some")
      .add(created.after)
      .add(created.before)
      .add(updated.after)
      .add(updated.before)
      .add(exclude_inactive ? "x" : "");
  std::span<const std::uint32_t> order = index_.conversations();
  if (!wanted.empty() && numbers.size() == 1)
    order = index_.conversations_of(*numbers.begin());
  else if (!wanted.empty() && numbers.empty())
    order = {};
  auto range =
      narrow(order, updated, [&](std::uint32_t i) { return data_.conversations[i].updated_ms; });
  bool by_number = numbers.size() > 1;
  auto keep = [&](std::uint32_t i) {
    const auto& c = data_.conversations[i];
    return (!by_number || numbers.contains(c.phone_number)) && c.created_ms >= created.after &&
           c.created_ms < created.before && (!exclude_inactive || !c.last_activity_id.empty());
  };
  bool filtered =
      by_number || created.after != LLONG_MIN || created.before != LLONG_MAX || exclude_inactive;
  page_cursor base{conversations_list, scope.value(), 0, 0};
  auto p = read_paging(query, r, 100, base, range.size(), secret_);
  if (auto* error = std::get_if<rest_response>(&p))
    return std::move(*error);
  return page_of(
      range, std::get<paging>(p), base, keep, filtered,
      [&](std::uint32_t i) { return to_json(data_, data_.conversations[i]); }, secret_);
}

// /v1/messages and /v1/calls: the activities of one conversation, found by our number and the
// exact set of the other parties, newest first.
rest_response rest_api::activities(const query_params& query, bool calls) const {
  auto r = calls ? resource::calls : resource::messages;
  auto number_id = query.first("phoneNumberId");
  if (!number_id || number_id->empty())
    return error_response(400, r, "phoneNumberId is required");
  if (!is_prefixed_id(*number_id, "PN"))
    return error_response(400, r, "phoneNumberId must be a PN id");
  auto number = index_.number_by_id(*number_id);
  if (!number)
    return error_response(404, r, "Phone number not found");
  auto participants = query.all("participants");
  if (participants.empty())
    return error_response(400, r, "participants is required");
  for (const auto& p : participants)
    if (!is_e164(p))
      return error_response(400, r,
                            "participants must be E.164 numbers (send + as %2B): '" + p + "'");
  if (calls && participants.size() > 1)
    return too_many_participants();
  if (participants.size() > 100)
    return error_response(400, r, "participants takes at most 100 items");
  time_window window;
  if (auto error = read_window(query, "createdAfter", "createdBefore", window))
    return error_response(400, r, *error);
  // `since` is deprecated and behaves like createdBefore.
  if (auto since = query.first("since"); since && !query.has("createdBefore")) {
    auto ms = parse_iso_ms(*since);
    if (!ms)
      return error_response(400, r, "since must be an ISO-8601 date-time");
    window.before = *ms;
  }
  if (auto user = query.first("userId"); user && !is_prefixed_id(*user, "US"))
    return error_response(400, r, "userId must be a US id");

  auto conversation = index_.conversation_with(*number, std::move(participants));
  std::span<const std::uint32_t> order;
  if (conversation)
    order = calls ? index_.calls_of(*conversation) : index_.messages_of(*conversation);
  auto range = narrow(order, window, [&](std::uint32_t i) {
    return calls ? data_.calls[i].created_ms : data_.messages[i].created_ms;
  });
  auto tag = calls ? calls_list : messages_list;
  auto scope = scope_hash(tag)
                   .add(conversation ? static_cast<std::int64_t>(*conversation) : -1)
                   .add(window.after)
                   .add(window.before);
  page_cursor base{tag, scope.value(), 0, 0};
  auto p = read_paging(query, r, 100, base, range.size(), secret_);
  if (auto* error = std::get_if<rest_response>(&p))
    return std::move(*error);
  return page_of(
      range, std::get<paging>(p), base, everything, false,
      [&](std::uint32_t i) {
        return calls ? to_json(data_, data_.calls[i]) : to_json(data_, data_.messages[i], false);
      },
      secret_);
}

}  // namespace crmd::openphone_emulator::rest
