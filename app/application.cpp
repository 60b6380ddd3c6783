#include "app/application.hpp"

#include "actors/campaign_registry_actor.hpp"
#include "actors/conversation_registry_actor.hpp"
#include "actors/db_actor.hpp"
#include "actors/hub_actor.hpp"
#include "actors/import_manager_actor.hpp"
#include "actors/llm_client_actor.hpp"
#include "actors/media_actor.hpp"
#include "actors/message_sender_actor.hpp"
#include "actors/openphone_client_actor.hpp"
#include "actors/password_actor.hpp"
#include "actors/reconciler_actor.hpp"
#include "actors/reconciler_metrics.hpp"
#include "actors/reply_processor_actor.hpp"
#include "actors/supervisor_actor.hpp"
#include "actors/sync_health_actor.hpp"
#include "actors/sync_health_metrics.hpp"
#include "actors/webhook_apply_actor.hpp"
#include "actors/webhook_intake_actor.hpp"
#include "actors/webhook_metrics.hpp"
#include "app/auth_routes.hpp"
#include "app/campaign_routes.hpp"
#include "app/import_progress_printer.hpp"
#include "app/contact_routes.hpp"
#include "app/import_routes.hpp"
#include "app/inbox_routes.hpp"
#include "app/media_routes.hpp"
#include "app/message_routes.hpp"
#include "app/our_numbers.hpp"
#include "app/reconciliation_printer.hpp"
#include "app/reconciliation_routes.hpp"
#include "app/routes.hpp"
#include "app/session_guard.hpp"
#include "app/sync_health_routes.hpp"
#include "app/timeline_routes.hpp"
#include "app/web_routes.hpp"
#include "app/ws_routes.hpp"
#include "app/webhook_event_routes.hpp"
#include "app/webhook_routes.hpp"
#include "integrations/openphone/webhook_parser.hpp"
#include "net/http_server.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "storage/pg_pool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/all.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace crmd::app {

namespace {

caf::actor_system_config make_actor_config(const config::settings& settings) {
  caf::actor_system_config cfg;
  // CAF starts 4 scheduler threads even on 2 cores unless told otherwise.
  cfg.set("scheduler.max-threads", static_cast<size_t>(settings.actor_threads));
  // Work sharing waits on a condition variable; work stealing polls with short sleeps, which
  // cost crmd ~40 % more CPU per webhook under load on 2 cores (tests/bench/README.md).
  cfg.set("scheduler.policy", caf::atom("sharing"));
  return cfg;
}

// Stored payloads are parsed again for re-drives and replays, knowing our numbers as the
// webhook route does.
std::function<std::optional<domain::webhook_event>(std::string_view)> stored_payload_parser(
  const our_numbers& ours) {
  return [&ours](std::string_view raw) -> std::optional<domain::webhook_event> {
    auto parsed = integrations::openphone::parse_webhook(raw, {ours.get()});
    if (auto* event = std::get_if<domain::webhook_event>(&parsed))
      return std::move(*event);
    return std::nullopt;
  };
}

// This process's name on import leases: host, pid and a random part (pids are reused).
std::string lease_owner() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", random());
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

}  // namespace

struct application::impl {
  config::settings settings;
  integrations::openphone::signing_keys webhook_keys;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  observability::metrics metrics{{CRMD_VERSION, CRMD_COMPILER, CRMD_BUILD_TYPE}};
  storage::pg_pool pool;
  webhook_metrics webhooks{metrics.registry()};
  reconcile_metrics reconciles{metrics.registry()};
  sync_health_metrics sync_health{metrics.registry()};  // registered before the first scrape
  caf::actor_system_config actor_config;
  caf::actor_system actors;
  caf::actor supervisor;
  std::shared_ptr<const web_bundle> web;  // the SPA, read at start when CRM_WEB_DIR is set
  std::unique_ptr<session_guard> guard;  // set in serve_http, before the routes that use it
  std::unique_ptr<net::http_server> server;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};

  impl(config::settings s, integrations::openphone::signing_keys keys)
    : settings(std::move(s)),
      webhook_keys(std::move(keys)),
      work(boost::asio::make_work_guard(io)),
      pool(io,
           storage::pg_pool_config{.conninfo = settings.database_url,
                                   .size = settings.db_pool_size,
                                   .queue_timeout = settings.db_queue_timeout},
           metrics.registry()),
      actor_config(make_actor_config(settings)),
      actors(actor_config) {}

  // serve: the HTTP server and the webhook actors too; otherwise only what an import needs
  // (reconcile: and the reconciler with the webhook appliers, for `crmd reconcile`).
  void start(bool serve, bool reconcile = false) {
    pool.start();
    std::vector<child_spec> children;
    children.push_back({"db", registry_keys::db, [this](caf::actor_system& system) {
                          return caf::actor_cast<caf::actor>(spawn_db_actor(system, pool));
                        }});
    children.push_back({"hub", registry_keys::hub, [this](caf::actor_system& system) {
                          return caf::actor_cast<caf::actor>(spawn_hub_actor(
                            system, {.replay_events = static_cast<std::size_t>(
                                       settings.ws_replay_events)}));
                        }});
    children.push_back({"openphone", registry_keys::openphone, [this](caf::actor_system& system) {
                          return caf::actor_cast<caf::actor>(
                            spawn_openphone_client(system, openphone_config(), metrics.registry()));
                        }});
    // Only crmd serving classifies campaign replies, and only with a model configured.
    if (serve && !settings.llm_api_url.empty())
      children.push_back({"llm", registry_keys::llm, [this](caf::actor_system& system) {
                            return caf::actor_cast<caf::actor>(
                              spawn_llm_client(system, llm_config(), metrics.registry()));
                          }});
    children.push_back({"imports", registry_keys::imports, [this](caf::actor_system& system) {
                          return spawn_import_manager(system,
                                                      {.owner = owner,
                                                       .lease = settings.import_lease,
                                                       .concurrency = settings.import_concurrency});
                        }});
    if (!settings.media_dir.empty())
      children.push_back({"media", registry_keys::media, [this](caf::actor_system& system) {
                            return spawn_media_actor(system, {.directory = settings.media_dir});
                          }});
    if (serve) {
      load_web();
      children.push_back({"message_sender", registry_keys::sender, [](caf::actor_system& system) {
                            return spawn_message_sender(system, {});
                          }});
      children.push_back({"sync_health", registry_keys::sync_health,
                          [this](caf::actor_system& system) {
                            return spawn_sync_health_actor(
                              system, {.webhook_quiet = settings.sync_webhook_quiet,
                                       .interval = settings.sync_health_interval,
                                       .business_hours = settings.business_hours,
                                       .time_zone = settings.business_time_zone,
                                       .metrics = &sync_health});
                          }});
      children.push_back({"password", registry_keys::password, [](caf::actor_system& system) {
                            return spawn_password_actor(system);
                          }});
      children.push_back({"replies", registry_keys::replies, [this](caf::actor_system& system) {
                            return spawn_reply_processor(
                              system, {.help_reply = settings.campaign_help_reply});
                          }});
      children.push_back({"campaigns", registry_keys::campaigns, [this](caf::actor_system& system) {
                            return spawn_campaign_registry(system, campaign_options());
                          }});
      children.push_back({"webhook_intake", registry_keys::intake,
                          [this](caf::actor_system& system) {
                            return spawn_webhook_intake_actor(
                              system,
                              {.max_batch = static_cast<std::size_t>(settings.webhook_batch_max)},
                              webhooks);
                          }});
    }
    // `crmd reconcile` re-drives failed webhook events: it applies them as the server does.
    if (serve || reconcile) {
      children.push_back({"webhook_applier", registry_keys::applier,
                          [this](caf::actor_system& system) {
                            return spawn_webhook_apply_actor(system, {.metrics = &webhooks});
                          }});
      children.push_back({"conversations", registry_keys::conversations,
                          [this](caf::actor_system& system) {
                            return spawn_conversation_registry(system, registry_options(),
                                                               webhooks);
                          }});
      children.push_back({"reconciler", registry_keys::reconciler,
                          [this, serve](caf::actor_system& system) {
                            return spawn_reconciler(system, reconciler_config(serve), reconciles);
                          }});
    }
    supervisor = spawn_supervisor(actors, std::move(children),
                                  {.backoff_min = settings.restart_backoff_min,
                                   .backoff_max = settings.restart_backoff_max},
                                  metrics.registry());
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (!ec)
        shutdown(signal);
    });
    // Webhooks are parsed knowing our numbers from the first request on: the server starts
    // once they were read (or the attempt failed, with the database down).
    if (serve)
      refresh_our_numbers([this] {
        if (!stopping)
          serve_http();
      });
    else if (reconcile)
      refresh_our_numbers(nullptr);
  }

  // Reads our numbers, then again every minute (the import adds them); `then` runs once, after
  // the first attempt.
  void refresh_our_numbers(std::function<void()> then) {
    pool.execute({storage::statement::named("our_phone_numbers")},
                 [this, then](storage::pg_outcome outcome) {
                   if (outcome.ok()) {
                     std::vector<std::string> numbers;
                     for (const auto& row : outcome.results[0].rows)
                       if (row[0])
                         numbers.push_back(*row[0]);
                     ours.set(std::move(numbers));
                   }
                   if (then)
                     then();
                   if (stopping)
                     return;
                   numbers_timer.expires_after(std::chrono::minutes(1));
                   numbers_timer.async_wait([this](const boost::system::error_code& ec) {
                     if (!ec && !stopping)
                       refresh_our_numbers(nullptr);
                   });
                 });
  }

  // Reads the web app when CRM_WEB_DIR is set; throws when it is not there.
  void load_web() {
    if (settings.web_dir.empty())
      return;
    std::string problem;
    auto bundle = load_web_bundle(settings.web_dir, problem);
    if (!bundle)
      throw std::runtime_error("CRM_WEB_DIR: " + problem);
    web = std::make_shared<const web_bundle>(std::move(*bundle));
  }

  // Every route crmd serves. The guard is made here, before the routes that use it.
  net::router make_routes() {
    net::router routes;
    add_operational_routes(routes, pool, metrics);
    add_webhook_routes(routes, actors,
                       {.keys = webhook_keys,
                        .tolerance = settings.openphone_webhook_tolerance,
                        .body_limit = settings.webhook_body_limit,
                        .ours = &ours},
                       webhooks);
    // Every /api/* route, /media/ and /ws require a session.
    guard = std::make_unique<session_guard>(pool, session());
    add_auth_routes(routes, actors, pool, *guard, {.session = session()});
    add_webhook_event_routes(routes, actors, pool, stored_payload_parser(ours), *guard);
    add_import_routes(routes, actors, pool, *guard);
    add_reconciliation_routes(routes, actors, pool, *guard);
    add_media_routes(routes, pool, settings.media_dir, *guard);
    add_contact_routes(routes, *guard, pool);
    add_inbox_routes(routes, *guard, pool);
    add_timeline_routes(routes, *guard, pool);
    add_message_routes(routes, *guard, actors, pool);
    add_campaign_routes(routes, *guard, actors, pool);
    add_sync_health_routes(routes, *guard, actors);
    add_ws_routes(routes, actors,
                  [&guard = *guard](const net::http_request& request,
                                    std::function<void(bool)> done) {
                    guard.authenticate(request, [done](std::optional<principal> user) {
                      done(user.has_value());
                    });
                  });
    if (web)
      add_web_routes(routes, web);
    return routes;
  }

  void serve_http() {
    auto routes = make_routes();
    server = std::make_unique<net::http_server>(
      io,
      net::http_server_config{.address = settings.http_address,
                              .port = settings.http_port,
                              .body_limit = settings.http_body_limit,
                              .read_timeout = settings.http_read_timeout,
                              .idle_timeout = settings.http_idle_timeout,
                              .handler_timeout = settings.http_handler_timeout,
                              .websocket = {.queue_frames = static_cast<std::size_t>(
                                              settings.ws_send_queue_frames),
                                            .queue_bytes = static_cast<std::size_t>(
                                              settings.ws_send_queue_bytes)}},
      std::move(routes), metrics.registry());
    server->start();  // logs "listening" with the bound port
  }

  session_settings session() const {
    return {.idle_ttl = settings.session_ttl,
            .max_age = settings.session_max_age,
            .cookie_secure = settings.cookie_secure};
  }

  llm_client_config llm_config() const {
    return {.base_url = settings.llm_api_url,
            .api_key = settings.llm_api_key,
            .model = settings.llm_model,
            .timeout = settings.llm_timeout};
  }

  campaign_runtime_options campaign_options() const {
    campaign_runtime_options options;
    options.default_zone = settings.campaign_default_zone;
    options.floor = {settings.campaign_hard_window_open, settings.campaign_hard_window_close};
    options.page_size = settings.campaign_page_size;
    // A POST is never retried once it may have reached OpenPhone, so one attempt's timeout
    // plus the client's queueing bounds how long a send of this run can still be in flight.
    options.settle_after = std::max<std::chrono::milliseconds>(settings.openphone_timeout * 4,
                                                               std::chrono::minutes{2});
    options.in_transit_grace = settings.openphone_timeout;
    options.run_id = campaign_process_run_id();
    return options;
  }

  // Only the serving crmd keeps the nightly schedule; `crmd reconcile` runs the one it asked for.
  reconciler_options reconciler_config(bool scheduled) const {
    return {.time_zone = settings.business_time_zone,
            .reconcile_at = scheduled ? settings.reconcile_at : std::nullopt,
            .overlap = settings.reconcile_overlap,
            .lookback = settings.reconcile_lookback,
            .parse = stored_payload_parser(ours)};
  }

  openphone_client_config openphone_config() const {
    return {.base_url = settings.openphone_api_url,
            .api_key = settings.openphone_api_key,
            .rate_per_second = settings.openphone_rate_limit,
            .timeout = settings.openphone_timeout,
            .max_attempts = settings.openphone_max_attempts};
  }

  conversation_registry_options registry_options() const {
    return {.conversation = {.max_attempts = settings.webhook_max_attempts,
                             .retry_min = settings.webhook_retry_min,
                             .retry_max = settings.webhook_retry_max},
            .idle_timeout = settings.conversation_idle,
            .redrive_interval = settings.webhook_redrive_interval,
            .max_inflight = static_cast<std::size_t>(settings.webhook_max_inflight),
            .parse = stored_payload_parser(ours)};
  }

  void shutdown(int signal) {
    log::info("crmd", "shutting down", {{"signal", signal}});
    // The refresh chain sees this and stops re-arming its timer; io.stop() drops a pending wait.
    stopping = true;
    if (printer) {
      printer->stop();
      exit_code = 130;  // interrupted: the job keeps its checkpoint and resumes later
    }
    if (reconcile_printer) {
      reconcile_printer->stop();
      exit_code = 130;  // interrupted: the reconciliation resumes when a crmd starts
    }
    if (!server) {
      stop_actors_and_pool();
      return;
    }
    server->shutdown(settings.shutdown_grace, [this] { stop_actors_and_pool(); });
  }

  void stop_actors_and_pool() {
    caf::anon_send(supervisor, atoms::shutdown_atom_v);
    pool.stop([this] {
      work.reset();
      io.stop();
    });
  }

  void run_io() {
    std::vector<std::thread> threads;
    for (int i = 1; i < settings.io_threads; ++i)
      threads.emplace_back([this] { io.run(); });
    io.run();
    for (auto& thread : threads)
      thread.join();
    actors.await_all_actors_done();
  }

  std::string owner = lease_owner();
  our_numbers ours;
  boost::asio::steady_timer numbers_timer{io};
  std::atomic<bool> stopping{false};
  std::unique_ptr<import_progress_printer> printer;
  std::unique_ptr<reconciliation_printer> reconcile_printer;
  int exit_code = 0;
};

application::application(config::settings settings,
                         integrations::openphone::signing_keys webhook_keys)
  : impl_(std::make_unique<impl>(std::move(settings), std::move(webhook_keys))) {}

application::~application() = default;

int application::run() {
  try {
    impl_->start(true);
  } catch (const std::exception& e) {
    log::error("crmd", "start-up failed", {{"error", e.what()}});
    caf::anon_send(impl_->supervisor, atoms::shutdown_atom_v);
    return 1;
  }
  impl_->run_io();
  log::info("crmd", "stopped");
  return 0;
}

std::vector<net::router::route_info> application::describe_routes() {
  impl_->load_web();
  return impl_->make_routes().describe();
}

int application::run_import(std::optional<std::string> since, bool mms_media) {
  auto& self = *impl_;
  self.start(false);
  self.printer = std::make_unique<import_progress_printer>(self.io, self.pool, [&self](int code) {
    self.exit_code = code;
    self.stop_actors_and_pool();
  });
  start_openphone_import(self.pool, self.actors, {std::move(since), mms_media},
                         [&self](auto outcome) {
    if (auto* error = std::get_if<storage::pg_error>(&outcome)) {
      std::fprintf(stderr, "crmd import: %s\n", error->message.c_str());
      self.exit_code = 1;
      self.stop_actors_and_pool();
      return;
    }
    const auto& started = std::get<import_started>(outcome);
    std::fprintf(stderr, "crmd import: %s job %lld\n", started.created ? "started" : "resuming",
                 static_cast<long long>(started.id));
    self.printer->watch(started.id);
  });
  self.run_io();
  return self.exit_code;
}

int application::run_reconcile() {
  auto& self = *impl_;
  self.start(false, true);
  self.reconcile_printer =
    std::make_unique<reconciliation_printer>(self.io, self.pool, [&self](int code) {
      self.exit_code = code;
      self.stop_actors_and_pool();
    });
  start_reconciliation(self.pool, self.actors, "cli", [&self](auto outcome) {
    if (auto* error = std::get_if<storage::pg_error>(&outcome)) {
      std::fprintf(stderr, "crmd reconcile: %s\n", error->message.c_str());
      self.exit_code = 1;
      self.stop_actors_and_pool();
      return;
    }
    const auto& started = std::get<reconciliation_started>(outcome);
    std::fprintf(stderr, "crmd reconcile: %s reconciliation %lld\n",
                 started.created ? "started" : "joining the running", static_cast<long long>(started.id));
    self.reconcile_printer->watch(started.id);
  });
  self.run_io();
  return self.exit_code;
}

}  // namespace crmd::app
