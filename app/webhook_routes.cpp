#include "app/webhook_routes.hpp"

#include "actors/interfaces.hpp"
#include "actors/webhook_metrics.hpp"
#include "integrations/crypto/sha256.hpp"
#include "integrations/openphone/webhook_parser.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>

namespace crmd::app {

namespace {

using nlohmann::json;
namespace openphone = integrations::openphone;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

// A delivery without an id still has to be stored exactly once per body.
std::string body_digest_id(const std::string& body) {
  return "sha256:" + integrations::sha256_hex(body);
}

// Answers the HTTP request exactly once: from the intake's reply, or with 503 if the submission
// is dropped unanswered (the intake stopped), so OpenPhone retries instead of waiting out a
// timeout.
class reply_once {
 public:
  reply_once(net::responder respond, webhook_metrics& metrics)
    : respond_(std::move(respond)), metrics_(metrics) {}
  ~reply_once() { answer({ingest_reply::outcome::unavailable, 0, {}}); }

  void answer(const ingest_reply& reply) {
    if (answered_.exchange(true))
      return;
    using outcome = ingest_reply::outcome;
    switch (reply.result) {
      case outcome::stored:
        metrics_.delivery("stored").Increment();
        respond_(net::json_response(200, json{{"status", "stored"}, {"id", reply.row_id}}.dump()));
        return;
      case outcome::duplicate:
        metrics_.delivery("duplicate").Increment();
        respond_(net::json_response(200, R"({"duplicate":true})"));
        return;
      case outcome::stored_not_understood:
        metrics_.delivery("not_understood").Increment();
        metrics_.not_understood(reply.detail).Increment();
        respond_(net::json_response(
          202, json{{"status", "not_understood"}, {"reason", reply.detail}, {"id", reply.row_id}}
                 .dump()));
        return;
      case outcome::overloaded: {
        metrics_.delivery("overloaded").Increment();
        auto response = net::error_response(503, "overloaded", "too many deliveries queued");
        response.headers.emplace_back("Retry-After", "1");
        respond_(std::move(response));
        return;
      }
      case outcome::unavailable:
        metrics_.delivery("unavailable").Increment();
        respond_(net::error_response(503, "database_unavailable",
                                     "the delivery could not be stored; retry later"));
        return;
    }
  }

 private:
  net::responder respond_;
  webhook_metrics& metrics_;
  std::atomic<bool> answered_{false};
};

void receive(caf::actor_system& actors, const webhook_route_settings& settings,
             webhook_metrics& metrics, net::http_request& request, net::responder respond) {
  if (request.body.size() > settings.body_limit) {
    metrics.delivery("too_large").Increment();
    respond(net::error_response(413, "payload_too_large", "webhook body exceeds the limit"));
    return;
  }
  auto verdict = openphone::verify(request.header("openphone-signature").value_or(""),
                                   request.body, settings.keys, now_ms(),
                                   std::chrono::milliseconds(settings.tolerance).count());
  if (!verdict.ok()) {
    metrics.delivery("bad_signature").Increment();
    log::warn("webhook", "delivery refused",
              {{"request_id", request.request_id}, {"reason", openphone::to_string(verdict.code)}});
    respond(net::error_response(401, "bad_signature",
                                std::string("signature check failed: ")
                                  + std::string(openphone::to_string(verdict.code))));
    return;
  }
  openphone::parse_options options;
  if (settings.ours)
    options.our_numbers = settings.ours->get();
  auto parsed = openphone::parse_webhook(request.body, options);
  if (auto* rejection = std::get_if<domain::webhook_rejection>(&parsed)) {
    if (rejection->code == openphone::rejection_code::invalid_json) {
      metrics.delivery("invalid_json").Increment();
      respond(net::error_response(400, "invalid_json", "the body is not JSON"));
      return;
    }
    if (rejection->event_id.empty())
      rejection->event_id = body_digest_id(request.body);
  }
  auto intake = actors.registry().get(registry_keys::intake);
  if (!intake) {
    metrics.delivery("unavailable").Increment();
    respond(net::error_response(503, "unavailable", "webhook intake is restarting"));
    return;
  }
  auto once = std::make_shared<reply_once>(std::move(respond), metrics);
  caf::anon_send(caf::actor_cast<caf::actor>(intake), atoms::ingest_atom_v,
                 webhook_submission{std::move(request.body), std::move(parsed),
                                    [once](ingest_reply reply) { once->answer(reply); }});
}

}  // namespace

void add_webhook_routes(net::router& routes, caf::actor_system& actors,
                        webhook_route_settings settings, webhook_metrics& metrics) {
  auto shared = std::make_shared<const webhook_route_settings>(std::move(settings));
  routes.add("POST", "/webhooks/openphone", "webhook_openphone",
             [&actors, shared, &metrics](net::http_request&& request, net::responder respond) {
               receive(actors, *shared, metrics, request, std::move(respond));
             });
}

}  // namespace crmd::app
