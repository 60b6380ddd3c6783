#pragma once

#include "domain/business_hours.hpp"
#include "observability/log.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crmd::config {

// Every CRM_* setting, typed, with its default. Parsed once at start-up; see
// config/crmd.env.example for the documentation of each key.
struct settings {
  std::string database_url;
  std::string http_address = "127.0.0.1";
  std::uint16_t http_port = 8080;
  log::level log_level = log::level::info;

  int io_threads = 2;
  int actor_threads = 2;
  int db_pool_size = 4;
  std::chrono::milliseconds db_queue_timeout{5000};

  std::size_t http_body_limit = 1024 * 1024;
  std::chrono::milliseconds http_read_timeout{15000};
  std::chrono::milliseconds http_idle_timeout{60000};
  std::chrono::milliseconds http_handler_timeout{30000};
  std::chrono::milliseconds shutdown_grace{10000};

  std::chrono::milliseconds restart_backoff_min{200};
  std::chrono::milliseconds restart_backoff_max{30000};

  // OpenPhone webhooks
  std::vector<std::string> openphone_webhook_keys;  // base64 signing secrets, several for rotation
  std::chrono::seconds openphone_webhook_tolerance{300};
  std::size_t webhook_body_limit = 256 * 1024;
  int webhook_batch_max = 256;
  int webhook_max_attempts = 8;
  std::chrono::milliseconds webhook_retry_min{1000};
  std::chrono::milliseconds webhook_retry_max{600000};
  std::chrono::milliseconds webhook_redrive_interval{30000};
  int webhook_max_inflight = 20000;
  std::chrono::milliseconds conversation_idle{120000};

  // OpenPhone REST API (history import, sending)
  std::string openphone_api_url = "https://api.openphone.com";
  std::string openphone_api_key;  // secret; empty: no REST calls are made
  double openphone_rate_limit = 10;  // requests per second, shared by every caller
  std::chrono::milliseconds openphone_timeout{15000};
  int openphone_max_attempts = 8;
  // Language model for campaign reply classification (any OpenAI-compatible chat-completions API)
  std::string llm_api_url;  // empty: no LLM client; undecided replies stay neutral
  std::string llm_api_key;  // secret, sent as "Authorization: Bearer"; never logged
  std::string llm_model = "gpt-4o-mini";
  std::chrono::milliseconds llm_timeout{10000};  // per attempt
  std::string media_dir;  // where provider media are stored; empty: not downloaded
  std::chrono::milliseconds import_lease{30000};  // a dead importer's job is resumed after this
  int import_concurrency = 4;  // conversations or calls an import works on at once
  std::string web_dir;  // the built single-page app (web/dist); empty: not served
  // Webhooks silent longer than this, counted in business hours, turn sync health amber.
  std::chrono::milliseconds sync_webhook_quiet{6 * 3600 * 1000};
  // How often the sync health actor gathers its facts, sets the gauges and publishes changes.
  std::chrono::milliseconds sync_health_interval{15000};

  // The business: its time zone (schedules, business hours) and its office hours.
  std::string business_time_zone = "America/New_York";
  domain::business_hours business_hours;  // Mon-Fri 08:00-18:00

  // Reconciliation with OpenPhone's history
  std::optional<std::chrono::minutes> reconcile_at{150};  // local time of day; nullopt: off
  std::chrono::milliseconds reconcile_overlap{3600 * 1000};  // re-checked before each watermark
  // How far back the first reconciliation of a number (no watermark yet) looks.
  std::chrono::milliseconds reconcile_lookback{7LL * 24 * 3600 * 1000};

  // Web sessions (login)
  std::chrono::hours session_ttl{168};     // idle expiry, slides with use
  std::chrono::days session_max_age{30};   // absolute, from login
  bool cookie_secure = false;              // Secure cookie attribute (served behind TLS)

  // WebSocket /ws (live updates)
  int ws_replay_events = 10000;             // published frames the hub keeps for resume
  int ws_send_queue_frames = 256;           // per connection; beyond it: closed 1008 too slow
  int ws_send_queue_bytes = 4 * 1024 * 1024;

  // SMS campaigns (the runtime)
  std::string campaign_default_zone = "America/New_York";  // when nothing tells a contact's zone
  // The sending floor in every recipient's local time, [open, close) minutes of the day; only
  // ever stricter than 08:00-21:00.
  std::chrono::minutes campaign_hard_window_open{8 * 60};
  std::chrono::minutes campaign_hard_window_close{21 * 60};
  int campaign_page_size = 500;  // pending members a campaign actor reads and decides at once
  // Answer to a HELP text (the reply processor sends it through the app's send path).
  std::string campaign_help_reply =
    "Attack-a-Crack: reply STOP to opt out. Questions? Call us at this number.";
};

struct load_result {
  settings values;
  std::vector<std::string> errors;  // one clear line per bad or unknown key

  bool ok() const { return errors.empty(); }
};

// Pure: validates the given CRM_* variables (others are ignored) against the schema.
load_result load(const std::map<std::string, std::string>& environment);

// The CRM_* entries of the process environment.
std::map<std::string, std::string> crm_environment(char** envp);

// Every key the schema knows, in documentation order (used to check the example file).
std::vector<std::string_view> known_keys();

}  // namespace crmd::config
