#pragma once

// Internal to net/: the HTTP server's Prometheus series.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>
#include <string_view>

namespace crmd::net {

class http_metrics {
 public:
  explicit http_metrics(prometheus::Registry& registry);

  // `route` is a router name or a fixed error label; `method` is normalised to a bounded set.
  void record_request(const std::string& route, std::string_view method, unsigned status,
                      double seconds);
  void connection_opened();
  void connection_closed();
  void ws_opened();
  void ws_closed();
  void ws_message_sent();
  void ws_slow_disconnect();

  // Unknown verbs collapse into "other" so a scanner cannot mint label values.
  static std::string method_label(std::string_view method);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Gauge& connections_active_;
  prometheus::Counter& connections_total_;
  prometheus::Gauge& ws_connections_;
  prometheus::Counter& ws_messages_sent_;
  prometheus::Counter& ws_slow_disconnects_;
};

}  // namespace crmd::net
