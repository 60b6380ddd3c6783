#include "config/settings.hpp"

#include "domain/time_zone.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>

namespace crmd::config {

namespace {

using apply_fn = std::function<std::optional<std::string>(settings&, const std::string&)>;

struct key_spec {
  std::string_view name;
  apply_fn apply;  // returns an error description, or nullopt when the value was accepted
};

template <class Int>
std::optional<Int> parse_int(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

apply_fn int_in(int settings::*field, int min, int max) {
  return [=](settings& s, const std::string& text) -> std::optional<std::string> {
    auto value = parse_int<int>(text);
    if (!value || *value < min || *value > max)
      return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    s.*field = *value;
    return std::nullopt;
  };
}

apply_fn millis_in(std::chrono::milliseconds settings::*field, long min, long max) {
  return [=](settings& s, const std::string& text) -> std::optional<std::string> {
    auto value = parse_int<long>(text);
    if (!value || *value < min || *value > max)
      return "must be a number of milliseconds from " + std::to_string(min) + " to "
             + std::to_string(max);
    s.*field = std::chrono::milliseconds{*value};
    return std::nullopt;
  };
}

std::optional<std::string> apply_listen(settings& s, const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "must be address:port, e.g. 127.0.0.1:8080";
  auto port = parse_int<int>(std::string_view(text).substr(colon + 1));
  if (!port || *port < 0 || *port > 65535)
    return "port must be from 0 to 65535";
  std::string address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  s.http_address = address;
  s.http_port = static_cast<std::uint16_t>(*port);
  return std::nullopt;
}

std::optional<std::string> apply_database_url(settings& s, const std::string& text) {
  bool url = text.starts_with("postgresql://") || text.starts_with("postgres://");
  bool keywords = text.find('=') != std::string::npos;
  if (!url && !keywords)
    return "must be a postgresql:// URL or a libpq key=value string";
  s.database_url = text;
  return std::nullopt;
}

std::optional<std::string> apply_log_level(settings& s, const std::string& text) {
  auto lvl = log::parse_level(text);
  if (!lvl)
    return "must be one of debug, info, warn, error";
  s.log_level = *lvl;
  return std::nullopt;
}

std::optional<std::string> apply_body_limit(settings& s, const std::string& text) {
  auto value = parse_int<long>(text);
  if (!value || *value < 1024 || *value > 64L * 1024 * 1024)
    return "must be a number of bytes from 1024 to 67108864";
  s.http_body_limit = static_cast<std::size_t>(*value);
  return std::nullopt;
}

std::optional<std::string> apply_webhook_keys(settings& s, const std::string& text) {
  s.openphone_webhook_keys.clear();
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto first = piece.find_first_not_of(" \t");
    auto last = piece.find_last_not_of(" \t");
    if (first != std::string::npos)
      s.openphone_webhook_keys.push_back(piece.substr(first, last - first + 1));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  for (const auto& key : s.openphone_webhook_keys)
    if (key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
          != std::string::npos
        || key.size() < 16)
      return "must be comma-separated base64 signing secrets (as OpenPhone shows them)";
  return std::nullopt;
}

std::optional<std::string> apply_tolerance(settings& s, const std::string& text) {
  auto value = parse_int<long>(text);
  if (!value || *value < 1 || *value > 86400)
    return "must be a number of seconds from 1 to 86400";
  s.openphone_webhook_tolerance = std::chrono::seconds{*value};
  return std::nullopt;
}

std::optional<std::string> apply_webhook_body_limit(settings& s, const std::string& text) {
  auto value = parse_int<long>(text);
  if (!value || *value < 1024 || *value > 16L * 1024 * 1024)
    return "must be a number of bytes from 1024 to 16777216";
  s.webhook_body_limit = static_cast<std::size_t>(*value);
  return std::nullopt;
}

std::optional<std::string> apply_api_url(settings& s, const std::string& text) {
  std::string_view rest = text;
  if (rest.starts_with("https://"))
    rest.remove_prefix(8);
  else if (rest.starts_with("http://"))
    rest.remove_prefix(7);
  else
    return "must be an http:// or https:// URL, e.g. https://api.openphone.com";
  auto host_end = rest.find_first_of("/?#");
  bool bad_char = std::any_of(text.begin(), text.end(), [](unsigned char c) {
    return c <= 0x20 || c == 0x7F;
  });
  bool extra = rest.find_first_of("?#@") != std::string::npos;
  if (rest.substr(0, host_end).empty() || bad_char || extra)
    return "must be a base URL with a host and no query, fragment or credentials";
  s.openphone_api_url = text;
  while (s.openphone_api_url.ends_with('/'))
    s.openphone_api_url.pop_back();
  return std::nullopt;
}

// The key travels verbatim in a header: anything but visible ASCII could end the header early.
std::optional<std::string> apply_api_key(settings& s, const std::string& text) {
  bool visible = std::all_of(text.begin(), text.end(),
                             [](unsigned char c) { return c > 0x20 && c < 0x7F; });
  if (!visible || text.size() > 512)
    return "must be the API key as OpenPhone shows it (visible ASCII, no spaces)";
  s.openphone_api_key = text;
  return std::nullopt;
}

std::optional<std::string> apply_rate_limit(settings& s, const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !(value >= 0.1) || value > 100000)
    return "must be a number of requests per second from 0.1 to 100000";
  s.openphone_rate_limit = value;
  return std::nullopt;
}

apply_fn hours_in(std::chrono::hours settings::*field, long min, long max) {
  return [=](settings& s, const std::string& text) -> std::optional<std::string> {
    auto value = parse_int<long>(text);
    if (!value || *value < min || *value > max)
      return "must be a number of hours from " + std::to_string(min) + " to " + std::to_string(max);
    s.*field = std::chrono::hours{*value};
    return std::nullopt;
  };
}

std::optional<std::string> apply_session_max_days(settings& s, const std::string& text) {
  auto value = parse_int<long>(text);
  if (!value || *value < 1 || *value > 365)
    return "must be a number of days from 1 to 365";
  s.session_max_age = std::chrono::days{*value};
  return std::nullopt;
}

std::optional<std::string> apply_cookie_secure(settings& s, const std::string& text) {
  if (text != "true" && text != "false")
    return "must be true or false";
  s.cookie_secure = text == "true";
  return std::nullopt;
}

// A directory path without control characters into `field`.
apply_fn directory_path(std::string settings::*field) {
  return [field](settings& s, const std::string& text) -> std::optional<std::string> {
    bool control = std::any_of(text.begin(), text.end(),
                               [](unsigned char c) { return c < 0x20 || c == 0x7F; });
    if (control)
      return "must be a directory path without control characters";
    s.*field = text;
    return std::nullopt;
  };
}

std::optional<std::string> apply_campaign_default_zone(settings& s, const std::string& text) {
  if (!domain::is_known_time_zone(text))
    return "must be a time zone name of the tz database, e.g. America/New_York";
  s.campaign_default_zone = text;
  return std::nullopt;
}

// "HH:MM-HH:MM" inside 08:00-21:00: configuration may narrow the legal floor, never widen it.
std::optional<std::string> apply_campaign_hard_window(settings& s, const std::string& text) {
  auto minutes = [](std::string_view hhmm) -> std::optional<int> {
    if (hhmm.size() != 5 || hhmm[2] != ':')
      return std::nullopt;
    auto hours = parse_int<int>(hhmm.substr(0, 2));
    auto mins = parse_int<int>(hhmm.substr(3, 2));
    if (!hours || !mins || *hours < 0 || *hours > 24 || *mins < 0 || *mins > 59)
      return std::nullopt;
    return *hours * 60 + *mins;
  };
  constexpr std::string_view problem =
    "must be HH:MM-HH:MM inside 08:00-21:00 with the opening first, e.g. 09:00-20:00";
  auto dash = text.find('-');
  if (dash == std::string::npos)
    return std::string(problem);
  auto open = minutes(std::string_view(text).substr(0, dash));
  auto close = minutes(std::string_view(text).substr(dash + 1));
  if (!open || !close || *open < 8 * 60 || *close > 21 * 60 || *open >= *close)
    return std::string(problem);
  s.campaign_hard_window_open = std::chrono::minutes{*open};
  s.campaign_hard_window_close = std::chrono::minutes{*close};
  return std::nullopt;
}

// The same base-URL rules as OpenPhone's; empty leaves the LLM client unconfigured.
std::optional<std::string> apply_llm_api_url(settings& s, const std::string& text) {
  settings scratch;
  if (!text.empty() && apply_api_url(scratch, text))
    return "must be empty or an http:// or https:// base URL without query, fragment or "
           "credentials, e.g. https://api.openai.com";
  s.llm_api_url = text.empty() ? text : scratch.openphone_api_url;
  return std::nullopt;
}

// Travels in a header like the OpenPhone key: visible ASCII only.
std::optional<std::string> apply_llm_api_key(settings& s, const std::string& text) {
  bool visible = std::all_of(text.begin(), text.end(),
                             [](unsigned char c) { return c > 0x20 && c < 0x7F; });
  if (!visible || text.size() > 512)
    return "must be the API key as the provider shows it (visible ASCII, no spaces)";
  s.llm_api_key = text;
  return std::nullopt;
}

std::optional<std::string> apply_llm_model(settings& s, const std::string& text) {
  bool visible = std::all_of(text.begin(), text.end(),
                             [](unsigned char c) { return c > 0x20 && c < 0x7F; });
  if (text.empty() || !visible || text.size() > 200)
    return "must be a model name, e.g. gpt-4o-mini";
  s.llm_model = text;
  return std::nullopt;
}

// One text of at most two GSM segments' worth, on one line.
std::optional<std::string> apply_campaign_help_reply(settings& s, const std::string& text) {
  bool printable = std::all_of(text.begin(), text.end(),
                               [](unsigned char c) { return c >= 0x20 && c != 0x7F; });
  if (text.find_first_not_of(' ') == std::string::npos || !printable || text.size() > 306)
    return "must be one line of text, at most 306 bytes";
  s.campaign_help_reply = text;
  return std::nullopt;
}

std::optional<std::string> apply_business_time_zone(settings& s, const std::string& text) {
  if (!domain::is_known_time_zone(text))
    return "must be a time zone name of the tz database, e.g. America/New_York";
  s.business_time_zone = text;
  return std::nullopt;
}

std::optional<std::string> apply_business_hours(settings& s, const std::string& text) {
  auto hours = domain::parse_business_hours(text);
  if (!hours)
    return "must be days and local hours, e.g. Mon-Fri 08:00-18:00 or Mon,Wed,Fri 09:00-17:00";
  s.business_hours = *hours;
  return std::nullopt;
}

// "HH:MM" of the business's local day, or "off" for on-demand reconciliation only.
std::optional<std::string> apply_reconcile_at(settings& s, const std::string& text) {
  if (text == "off") {
    s.reconcile_at.reset();
    return std::nullopt;
  }
  auto hours = text.size() == 5 && text[2] == ':' ? parse_int<int>(std::string_view(text).substr(0, 2))
                                                  : std::nullopt;
  auto minutes = hours ? parse_int<int>(std::string_view(text).substr(3, 2)) : std::nullopt;
  if (!hours || !minutes || *hours < 0 || *hours > 23 || *minutes < 0 || *minutes > 59)
    return "must be HH:MM (the business's local time, e.g. 02:30) or off";
  s.reconcile_at = std::chrono::minutes{*hours * 60 + *minutes};
  return std::nullopt;
}

const std::vector<key_spec>& schema() {
  static const std::vector<key_spec> keys = {
    {"CRM_DATABASE_URL", apply_database_url},
    {"CRM_HTTP_LISTEN", apply_listen},
    {"CRM_LOG_LEVEL", apply_log_level},
    {"CRM_IO_THREADS", int_in(&settings::io_threads, 1, 64)},
    {"CRM_ACTOR_THREADS", int_in(&settings::actor_threads, 1, 64)},
    {"CRM_DB_POOL_SIZE", int_in(&settings::db_pool_size, 1, 100)},
    {"CRM_DB_QUEUE_TIMEOUT_MS", millis_in(&settings::db_queue_timeout, 10, 600000)},
    {"CRM_HTTP_BODY_LIMIT_BYTES", apply_body_limit},
    {"CRM_HTTP_READ_TIMEOUT_MS", millis_in(&settings::http_read_timeout, 100, 600000)},
    {"CRM_HTTP_IDLE_TIMEOUT_MS", millis_in(&settings::http_idle_timeout, 100, 3600000)},
    {"CRM_HTTP_HANDLER_TIMEOUT_MS", millis_in(&settings::http_handler_timeout, 100, 600000)},
    {"CRM_SHUTDOWN_GRACE_MS", millis_in(&settings::shutdown_grace, 0, 600000)},
    {"CRM_RESTART_BACKOFF_MIN_MS", millis_in(&settings::restart_backoff_min, 1, 600000)},
    {"CRM_RESTART_BACKOFF_MAX_MS", millis_in(&settings::restart_backoff_max, 1, 3600000)},
    {"CRM_OPENPHONE_WEBHOOK_KEYS", apply_webhook_keys},
    {"CRM_OPENPHONE_WEBHOOK_TOLERANCE_S", apply_tolerance},
    {"CRM_WEBHOOK_BODY_LIMIT_BYTES", apply_webhook_body_limit},
    {"CRM_WEBHOOK_BATCH_MAX", int_in(&settings::webhook_batch_max, 1, 5000)},
    {"CRM_WEBHOOK_MAX_ATTEMPTS", int_in(&settings::webhook_max_attempts, 1, 100)},
    {"CRM_WEBHOOK_RETRY_MIN_MS", millis_in(&settings::webhook_retry_min, 1, 3600000)},
    {"CRM_WEBHOOK_RETRY_MAX_MS", millis_in(&settings::webhook_retry_max, 1, 86400000)},
    {"CRM_WEBHOOK_REDRIVE_INTERVAL_MS", millis_in(&settings::webhook_redrive_interval, 100, 3600000)},
    {"CRM_WEBHOOK_MAX_INFLIGHT", int_in(&settings::webhook_max_inflight, 100, 1000000)},
    {"CRM_CONVERSATION_IDLE_MS", millis_in(&settings::conversation_idle, 100, 86400000)},
    {"CRM_OPENPHONE_API_URL", apply_api_url},
    {"CRM_OPENPHONE_API_KEY", apply_api_key},
    {"CRM_OPENPHONE_RATE_LIMIT", apply_rate_limit},
    {"CRM_OPENPHONE_TIMEOUT_MS", millis_in(&settings::openphone_timeout, 100, 600000)},
    {"CRM_OPENPHONE_MAX_ATTEMPTS", int_in(&settings::openphone_max_attempts, 1, 100)},
    {"CRM_LLM_API_URL", apply_llm_api_url},
    {"CRM_LLM_API_KEY", apply_llm_api_key},
    {"CRM_LLM_MODEL", apply_llm_model},
    {"CRM_LLM_TIMEOUT_MS", millis_in(&settings::llm_timeout, 100, 600000)},
    {"CRM_MEDIA_DIR", directory_path(&settings::media_dir)},
    {"CRM_WEB_DIR", directory_path(&settings::web_dir)},
    {"CRM_SYNC_WEBHOOK_QUIET_MS", millis_in(&settings::sync_webhook_quiet, 1000, 604800000)},
    {"CRM_SYNC_HEALTH_INTERVAL_MS", millis_in(&settings::sync_health_interval, 100, 3600000)},
    {"CRM_IMPORT_LEASE_MS", millis_in(&settings::import_lease, 500, 3600000)},
    {"CRM_IMPORT_CONCURRENCY", int_in(&settings::import_concurrency, 1, 64)},
    {"CRM_SESSION_TTL_HOURS", hours_in(&settings::session_ttl, 1, 8760)},
    {"CRM_SESSION_MAX_DAYS", apply_session_max_days},
    {"CRM_COOKIE_SECURE", apply_cookie_secure},
    {"CRM_WS_REPLAY_EVENTS", int_in(&settings::ws_replay_events, 0, 1000000)},
    {"CRM_WS_SEND_QUEUE_FRAMES", int_in(&settings::ws_send_queue_frames, 1, 100000)},
    {"CRM_WS_SEND_QUEUE_BYTES", int_in(&settings::ws_send_queue_bytes, 65536, 268435456)},
    {"CRM_CAMPAIGN_DEFAULT_ZONE", apply_campaign_default_zone},
    {"CRM_CAMPAIGN_HARD_WINDOW", apply_campaign_hard_window},
    {"CRM_CAMPAIGN_PAGE_SIZE", int_in(&settings::campaign_page_size, 10, 10000)},
    {"CRM_CAMPAIGN_HELP_REPLY", apply_campaign_help_reply},
    {"CRM_BUSINESS_TIME_ZONE", apply_business_time_zone},
    {"CRM_BUSINESS_HOURS", apply_business_hours},
    {"CRM_RECONCILE_AT", apply_reconcile_at},
    {"CRM_RECONCILE_OVERLAP_MS", millis_in(&settings::reconcile_overlap, 0, 604800000)},
    {"CRM_RECONCILE_LOOKBACK_MS", millis_in(&settings::reconcile_lookback, 60000, 31536000000)},
  };
  return keys;
}

bool is_secret(const std::string& name) {
  return name == "CRM_DATABASE_URL" || name.ends_with("_KEYS") || name.ends_with("_KEY");
}

}  // namespace

load_result load(const std::map<std::string, std::string>& environment) {
  load_result result;
  for (const auto& [name, value] : environment) {
    if (!name.starts_with("CRM_"))
      continue;
    const key_spec* spec = nullptr;
    for (const auto& candidate : schema())
      if (candidate.name == name)
        spec = &candidate;
    if (spec == nullptr) {
      // Test tooling shares the prefix but is not crmd configuration.
      if (!name.starts_with("CRM_TEST_"))
        result.errors.push_back(name + ": unknown setting (see config/crmd.env.example)");
      continue;
    }
    if (auto problem = spec->apply(result.values, value))
      result.errors.push_back(name + "=" + (is_secret(name) ? "<redacted>" : value) + ": "
                              + *problem);
  }
  if (result.values.database_url.empty() && !environment.contains("CRM_DATABASE_URL"))
    result.errors.push_back("CRM_DATABASE_URL: required (scripts/run sets it for the embedded "
                            "PostgreSQL)");
  if (result.values.webhook_retry_min > result.values.webhook_retry_max)
    result.errors.push_back("CRM_WEBHOOK_RETRY_MIN_MS: must not exceed CRM_WEBHOOK_RETRY_MAX_MS");
  if (result.values.restart_backoff_min > result.values.restart_backoff_max)
    result.errors.push_back("CRM_RESTART_BACKOFF_MIN_MS: must not exceed "
                            "CRM_RESTART_BACKOFF_MAX_MS");
  return result;
}

std::map<std::string, std::string> crm_environment(char** envp) {
  std::map<std::string, std::string> out;
  for (char** entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos || !text.starts_with("CRM_"))
      continue;
    out.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return out;
}

std::vector<std::string_view> known_keys() {
  std::vector<std::string_view> names;
  for (const auto& spec : schema())
    names.push_back(spec.name);
  return names;
}

}  // namespace crmd::config
