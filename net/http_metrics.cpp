#include "net/http_metrics.hpp"

#include <array>

namespace crmd::net {

namespace {

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

}  // namespace

http_metrics::http_metrics(prometheus::Registry& registry)
  : requests_(prometheus::BuildCounter()
                .Name("crmd_http_requests_total")
                .Help("HTTP requests answered, by route, method and status")
                .Register(registry)),
    durations_(prometheus::BuildHistogram()
                 .Name("crmd_http_request_duration_seconds")
                 .Help("Time from a complete request to the start of its response")
                 .Register(registry)),
    connections_active_(prometheus::BuildGauge()
                          .Name("crmd_http_connections_active")
                          .Help("Open HTTP connections")
                          .Register(registry)
                          .Add({})),
    connections_total_(prometheus::BuildCounter()
                         .Name("crmd_http_connections_total")
                         .Help("HTTP connections accepted")
                         .Register(registry)
                         .Add({})),
    ws_connections_(prometheus::BuildGauge()
                      .Name("crmd_ws_connections")
                      .Help("Open WebSocket connections")
                      .Register(registry)
                      .Add({})),
    ws_messages_sent_(prometheus::BuildCounter()
                        .Name("crmd_ws_messages_sent_total")
                        .Help("WebSocket text frames written to clients")
                        .Register(registry)
                        .Add({})),
    ws_slow_disconnects_(prometheus::BuildCounter()
                           .Name("crmd_ws_slow_disconnects_total")
                           .Help("WebSocket clients closed with 1008 because their send queue "
                                 "overflowed")
                           .Register(registry)
                           .Add({})) {}

void http_metrics::record_request(const std::string& route, std::string_view method,
                                  unsigned status, double seconds) {
  requests_
    .Add({{"route", route}, {"method", method_label(method)}, {"status", std::to_string(status)}})
    .Increment();
  durations_.Add({{"route", route}}, duration_buckets()).Observe(seconds);
}

void http_metrics::connection_opened() {
  connections_active_.Increment();
  connections_total_.Increment();
}

void http_metrics::connection_closed() {
  connections_active_.Decrement();
}

void http_metrics::ws_opened() {
  ws_connections_.Increment();
}

void http_metrics::ws_closed() {
  ws_connections_.Decrement();
}

void http_metrics::ws_message_sent() {
  ws_messages_sent_.Increment();
}

void http_metrics::ws_slow_disconnect() {
  ws_slow_disconnects_.Increment();
}

std::string http_metrics::method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known{"GET",    "HEAD",   "POST",   "PUT",
                                                         "PATCH",  "DELETE", "OPTIONS"};
  for (auto candidate : known) {
    if (candidate == method)
      return std::string(candidate);
  }
  return "other";
}

}  // namespace crmd::net
