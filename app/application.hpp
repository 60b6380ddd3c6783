#pragma once

#include "config/settings.hpp"
#include "integrations/openphone/signature.hpp"

#include <memory>

namespace crmd::app {

// Wires crmd together: io threads, the PostgreSQL pool, the actor system with its root
// supervisor, and the HTTP server. run() serves until SIGTERM/SIGINT and then shuts down in
// order: stop accepting, finish in-flight requests, stop actors, close PostgreSQL.
class application {
 public:
  application(config::settings settings, integrations::openphone::signing_keys webhook_keys);
  ~application();
  application(const application&) = delete;
  application& operator=(const application&) = delete;

  // Returns the process exit code.
  int run();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::app
