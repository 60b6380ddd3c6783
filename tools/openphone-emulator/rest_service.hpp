#pragma once

#include "tools/openphone-emulator/admission.hpp"
#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/rest_api.hpp"
#include "tools/openphone-emulator/rest_send.hpp"
#include "tools/openphone-emulator/rest_types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Everything a request goes through, in order: /_emulator/stats and /_emulator/sent (the texts
// accepted so far; never limited or injected);
// the dated surface's version header (checked before auth, as on the live API); the API key;
// the rate limit; failure injection; then the endpoint. Thread-safe, so the server's threads
// share one instance; the clocks come in as arguments so tests control them.
namespace crmd::openphone_emulator::rest {

struct service_settings {
  std::string api_key;
  int rate_limit = 10;  // requests per second per key; 0 = unlimited
  injection_rates injection;
  std::uint64_t seed = 0;  // injection draws and the page-token key
  // Share of accepted sends answered with a cut-off response (--send-drop-rate): sent, but the
  // client cannot know.
  double send_drop_rate = 0;
  // Called for every text accepted by POST /v1/messages (from a server thread), e.g. to deliver
  // its delivery webhook.
  std::function<void(const accepted_text&)> on_sent;
};

struct service_outcome {
  rest_response response;
  // slow and drop are carried out by the session; fail_* are already in `response`.
  injection injected = injection::none;
};

class rest_service {
 public:
  // `data` must outlive the service.
  rest_service(const dataset& data, service_settings settings);

  service_outcome handle(const rest_request& request, std::int64_t steady_ns, std::int64_t unix_ms);

  // The body of GET /_emulator/stats.
  nlohmann::json stats() const;
  // The body of GET /_emulator/sent: every accepted text, in order.
  nlohmann::json sent() const;

 private:
  struct counters {
    std::uint64_t requests = 0;
    std::uint64_t served = 0;  // answered by an endpoint, slow ones included, drops not
    std::uint64_t rate_limited = 0;
    std::map<unsigned, std::uint64_t> by_status;  // complete responses; drops excluded
    std::map<injection, std::uint64_t> injected;
    std::optional<std::int64_t> first_served_ms;
    std::optional<std::int64_t> last_served_ms;
  };

  // The refusal of a request without the dated version header, outside the API or without the
  // key; nullopt lets it in.
  std::optional<rest_response> check_access(const rest_request& request, std::string_view path,
                                            bool dated) const;
  // Takes a token from the bucket and draws the request's injection; nullopt when rate limited.
  std::optional<injection> admit(std::int64_t steady_ns);
  // The endpoint's answer to an admitted request; `dated` for GET /messages/{id}.
  rest_response answer(const rest_request& request, std::string_view path, std::string_view query,
                       bool dated) const;
  // GET /v1/messages: the dataset's page with the texts accepted for that number and those
  // participants added to the first page (crmd settles an unknown send outcome this way).
  rest_response with_sent_texts(rest_response listed, std::string_view query) const;
  // Draws whether the latest accepted send's answer is cut off (send_drop_rate).
  bool drop_this_send();
  // POST /v1/messages: mints the id, logs the text, tells on_sent.
  rest_response send_text(const rest_request& request, std::int64_t unix_ms);
  // Counts the outcome in the stats; `served` when an endpoint answered.
  service_outcome record(service_outcome outcome, bool served, std::int64_t unix_ms);

  rest_api api_;
  service_settings settings_;
  mutable std::mutex mutex_;
  token_bucket bucket_;
  std::uint64_t admitted_ = 0;
  counters counters_;
  std::uint64_t minted_ = 0;  // ids minted, refused texts included
  std::uint64_t accepted_ = 0;  // sends accepted, for the send-drop draw
  std::vector<accepted_text> sent_;
};

}  // namespace crmd::openphone_emulator::rest
