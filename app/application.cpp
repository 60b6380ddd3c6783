#include "app/application.hpp"

#include "actors/conversation_registry_actor.hpp"
#include "actors/db_actor.hpp"
#include "actors/hub_actor.hpp"
#include "actors/supervisor_actor.hpp"
#include "actors/webhook_intake_actor.hpp"
#include "actors/webhook_metrics.hpp"
#include "app/routes.hpp"
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
#include <caf/all.hpp>

#include <optional>
#include <thread>
#include <vector>

namespace crmd::app {

namespace {

caf::actor_system_config make_actor_config(const config::settings& settings) {
  caf::actor_system_config cfg;
  // CAF starts 4 scheduler threads even on 2 cores unless told otherwise.
  cfg.set("scheduler.max-threads", static_cast<size_t>(settings.actor_threads));
  return cfg;
}

std::optional<domain::webhook_event> parse_stored_payload(std::string_view raw) {
  auto parsed = integrations::openphone::parse_webhook(raw);
  if (auto* event = std::get_if<domain::webhook_event>(&parsed))
    return std::move(*event);
  return std::nullopt;
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
  caf::actor_system_config actor_config;
  caf::actor_system actors;
  caf::actor supervisor;
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

  void start() {
    pool.start();
    std::vector<child_spec> children;
    children.push_back({"db", registry_keys::db, [this](caf::actor_system& system) {
                          return caf::actor_cast<caf::actor>(spawn_db_actor(system, pool));
                        }});
    children.push_back({"hub", registry_keys::hub, [](caf::actor_system& system) {
                          return caf::actor_cast<caf::actor>(spawn_hub_actor(system));
                        }});
    children.push_back({"webhook_intake", registry_keys::intake, [this](caf::actor_system& system) {
                          return spawn_webhook_intake_actor(
                            system,
                            {.max_batch = static_cast<std::size_t>(settings.webhook_batch_max)},
                            webhooks);
                        }});
    children.push_back({"conversations", registry_keys::conversations,
                        [this](caf::actor_system& system) {
                          return spawn_conversation_registry(system, registry_options(), webhooks);
                        }});
    supervisor = spawn_supervisor(actors, std::move(children),
                                  {.backoff_min = settings.restart_backoff_min,
                                   .backoff_max = settings.restart_backoff_max},
                                  metrics.registry());

    net::router routes;
    add_operational_routes(routes, pool, metrics);
    add_webhook_routes(routes, actors,
                       {.keys = webhook_keys,
                        .tolerance = settings.openphone_webhook_tolerance,
                        .body_limit = settings.webhook_body_limit},
                       webhooks);
    add_webhook_event_routes(routes, actors, pool, parse_stored_payload);
    server = std::make_unique<net::http_server>(
      io,
      net::http_server_config{.address = settings.http_address,
                              .port = settings.http_port,
                              .body_limit = settings.http_body_limit,
                              .read_timeout = settings.http_read_timeout,
                              .idle_timeout = settings.http_idle_timeout,
                              .handler_timeout = settings.http_handler_timeout},
      std::move(routes), metrics.registry());
    server->start();  // logs "listening" with the bound port
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (!ec)
        shutdown(signal);
    });
  }

  conversation_registry_options registry_options() const {
    return {.conversation = {.max_attempts = settings.webhook_max_attempts,
                             .retry_min = settings.webhook_retry_min,
                             .retry_max = settings.webhook_retry_max},
            .idle_timeout = settings.conversation_idle,
            .redrive_interval = settings.webhook_redrive_interval,
            .parse = parse_stored_payload};
  }

  void shutdown(int signal) {
    log::info("crmd", "shutting down", {{"signal", signal}});
    server->shutdown(settings.shutdown_grace, [this] {
      caf::anon_send(supervisor, atoms::shutdown_atom_v);
      pool.stop([this] {
        work.reset();
        io.stop();
      });
    });
  }
};

application::application(config::settings settings,
                         integrations::openphone::signing_keys webhook_keys)
  : impl_(std::make_unique<impl>(std::move(settings), std::move(webhook_keys))) {}

application::~application() = default;

int application::run() {
  try {
    impl_->start();
  } catch (const std::exception& e) {
    log::error("crmd", "start-up failed", {{"error", e.what()}});
    caf::anon_send(impl_->supervisor, atoms::shutdown_atom_v);
    return 1;
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->settings.io_threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : threads)
    thread.join();
  impl_->actors.await_all_actors_done();
  log::info("crmd", "stopped");
  return 0;
}

}  // namespace crmd::app
