#pragma once

#include "config/settings.hpp"
#include "integrations/openphone/signature.hpp"
#include "net/router.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

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

  // Serves until SIGTERM/SIGINT. Returns the process exit code.
  int run();

  // `crmd import openphone`: runs (or resumes) the history import in this process without
  // serving HTTP, draws its progress on stderr, and returns 0 when it completed and verified,
  // 1 when it failed or is incomplete, 130 when interrupted (the job resumes later).
  int run_import(std::optional<std::string> since, bool mms_media);

  // `crmd reconcile`: runs one reconciliation (or joins the unfinished one) in this process
  // without serving HTTP, prints progress and the report on stderr (and the reconciliation's
  // JSON on stdout), and returns 0 when it completed, 1 when it failed, 130 when interrupted.
  int run_reconcile();

  // The routes run() would serve, without serving or connecting (for checking the API
  // description against them).
  std::vector<net::router::route_info> describe_routes();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::app
