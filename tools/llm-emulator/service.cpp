#include "tools/llm-emulator/service.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <cmath>

namespace crmd::llm_emulator {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

outcome error(int status, std::string type, std::string code, std::string message) {
  return {status,
          {},
          dump({{"error",
                 {{"message", std::move(message)},
                  {"type", std::move(type)},
                  {"param", nullptr},
                  {"code", std::move(code)}}}})};
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\'';
}

// `phrase` in `text` (both lower case) with no letter or digit right before or after it.
bool has_phrase(std::string_view text, std::string_view phrase) {
  for (auto at = text.find(phrase); at != std::string_view::npos;
       at = text.find(phrase, at + 1)) {
    bool start = at == 0 || !is_word_char(text[at - 1]);
    auto end = at + phrase.size();
    if (start && (end == text.size() || !is_word_char(text[end])))
      return true;
  }
  return false;
}

// The customer's words: the "reply" of the JSON user content crmd sends, else the whole content.
std::string reply_of(const json& messages) {
  std::string content;
  for (const auto& message : messages)
    if (message.is_object() && message.value("role", "") == "user"
        && message.contains("content") && message["content"].is_string())
      content = message["content"].get<std::string>();
  auto parsed = json::parse(content, nullptr, false);
  if (parsed.is_object() && parsed.contains("reply") && parsed["reply"].is_string())
    return parsed["reply"].get<std::string>();
  return content;
}

}  // namespace

std::pair<std::string, std::string> classify_text(std::string_view text) {
  std::string lower;
  for (char c : text)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view phrase : {"not interested", "wrong number", "no"})
    if (has_phrase(lower, phrase))
      return {"negative", "the reply says \"" + std::string(phrase) + "\""};
  for (std::string_view phrase : {"yes", "interested", "sure", "call me"})
    if (has_phrase(lower, phrase))
      return {"positive", "the reply says \"" + std::string(phrase) + "\""};
  return {"neutral", "no interest or refusal stated"};
}

chat_service::chat_service(const options& o) : options_(o), random_(o.seed) {}

void chat_service::started() {
  std::lock_guard lock(mutex_);
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
}

void chat_service::finished() {
  std::lock_guard lock(mutex_);
  if (in_flight_ > 0)
    --in_flight_;
}

outcome chat_service::handle(const request& r, clock_type::time_point now,
                             std::int64_t unix_seconds) {
  if (r.target == "/_emulator/requests" && r.method == "GET")
    return stats();
  if (r.target != "/v1/chat/completions")
    return error(404, "invalid_request_error", "unknown_url", "Unknown request URL: " + r.target);
  if (r.method != "POST")
    return error(405, "invalid_request_error", "method_not_allowed", "Use POST");
  auto answer = completion(r, now, unix_seconds);
  std::lock_guard lock(mutex_);
  ++by_status_[answer.status];
  return answer;
}

outcome chat_service::completion(const request& r, clock_type::time_point now,
                                 std::int64_t unix_seconds) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = ++count_;
  }
  if (!options_.key.empty() && r.authorization != "Bearer " + options_.key)
    return error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
  if (auto limited = rate_limited(now))
    return *limited;
  double fail_draw = 0, drop_draw = 0, which_draw = 0;
  {
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    fail_draw = unit(random_);
    drop_draw = unit(random_);
    which_draw = unit(random_);
  }
  if (fail_draw < options_.fail_rate)
    return which_draw < 0.5
             ? error(500, "server_error", "internal_error", "The server had an error.")
             : error(503, "server_error", "overloaded", "The engine is currently overloaded.");
  auto body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("model") || !body["model"].is_string()
      || !body.contains("messages") || !body["messages"].is_array()
      || body["messages"].empty())
    return error(400, "invalid_request_error", "invalid_body",
                 "The body must be a JSON object with a model and messages.");
  auto [verdict, reason] = classify_text(reply_of(body["messages"]));
  json content{{"classification", verdict}, {"reason", reason}};
  json answer{
    {"id", "chatcmpl-emu-" + std::to_string(id)},
    {"object", "chat.completion"},
    {"created", unix_seconds},
    {"model", body["model"]},
    {"choices",
     json::array({{{"index", 0},
                   {"message",
                    {{"role", "assistant"}, {"content", dump(content)}, {"refusal", nullptr}}},
                   {"logprobs", nullptr},
                   {"finish_reason", "stop"}}})},
    {"usage", {{"prompt_tokens", r.body.size() / 4}, {"completion_tokens", 20},
               {"total_tokens", r.body.size() / 4 + 20}}},
  };
  outcome out{200, {}, dump(answer)};
  if (drop_draw < options_.drop_rate)
    out.injected = injection::drop;
  else if (options_.slow.count() > 0)
    out.injected = injection::slow;
  return out;
}

// A sliding one-second window over accepted completions; the answer says when a place frees.
std::optional<outcome> chat_service::rate_limited(clock_type::time_point now) {
  if (options_.rate_limit <= 0)
    return std::nullopt;
  std::lock_guard lock(mutex_);
  while (!window_.empty() && now - window_.front() >= std::chrono::seconds(1))
    window_.pop_front();
  auto allowed = static_cast<std::size_t>(std::max(1.0, std::floor(options_.rate_limit)));
  if (window_.size() < allowed) {
    window_.push_back(now);
    return std::nullopt;
  }
  auto wait = std::chrono::seconds(1) - (now - window_.front());
  auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  auto out = error(429, "requests", "rate_limit_exceeded",
                   "Rate limit reached for requests. Please try again in "
                     + std::to_string(seconds) + "s.");
  out.headers.emplace_back("Retry-After", std::to_string(std::max<long>(1, seconds)));
  return out;
}

outcome chat_service::stats() const {
  std::lock_guard lock(mutex_);
  json statuses = json::object();
  for (const auto& [status, n] : by_status_)
    statuses[std::to_string(status)] = n;
  return {200,
          {},
          dump({{"count", count_}, {"by_status", statuses}, {"max_in_flight", max_in_flight_}})};
}

}  // namespace crmd::llm_emulator
