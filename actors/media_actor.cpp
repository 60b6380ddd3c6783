#include "actors/media_actor.hpp"

#include "actors/interfaces.hpp"
#include "domain/backoff.hpp"
#include "integrations/crypto/sha256.hpp"
#include "integrations/http/http_client.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

namespace crmd {

namespace {

namespace fs = std::filesystem;

struct media_state {
  static constexpr const char* name = "crmd.media";
  media_options options;
  std::unique_ptr<http::http_client> http;
  int in_flight = 0;
  bool claiming = false;
  std::minstd_rand random{std::random_device{}()};
};

using media_ptr = caf::stateful_actor<media_state>*;

// Runs on the HTTP client's thread: hashes the body and stores it under its hash.
media_download store(std::int64_t id, int attempts, const std::string& directory,
                     const http::http_result& result) {
  media_download outcome{id, attempts};
  if (const auto* failure = std::get_if<http::http_failure>(&result)) {
    outcome.error = std::string(http::to_string(failure->code));
    return outcome;
  }
  const auto& response = std::get<http::http_response>(result);
  if (response.status != 200) {
    outcome.error = "http_" + std::to_string(response.status);
    return outcome;
  }
  try {
    auto sha = integrations::sha256_hex(response.body);
    fs::path folder = fs::path(directory) / sha.substr(0, 2);
    fs::path target = folder / sha;
    if (!fs::exists(target)) {
      fs::create_directories(folder);
      fs::path temporary = folder / (".tmp-" + sha + "-" + std::to_string(id));
      {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
        if (!file.flush())
          throw std::runtime_error("writing " + temporary.string() + " failed");
      }
      fs::rename(temporary, target);
    }
    outcome.ok = true;
    outcome.sha256 = sha;
    outcome.content_type = response.header("content-type").value_or("application/octet-stream");
    outcome.size = static_cast<std::int64_t>(response.body.size());
  } catch (const std::exception& e) {
    outcome.error = std::string("storing: ") + e.what();
  }
  return outcome;
}

void claim_more(media_ptr self);

void download(media_ptr self, std::int64_t id, std::string url, int attempts) {
  auto& state = self->state;
  ++state.in_flight;
  auto handle = caf::actor_cast<caf::actor>(self);
  state.http->send(http::http_request{.target = std::move(url)},
                   [handle, id, attempts,
                    directory = state.options.directory](http::http_result result) {
                     caf::anon_send(handle, atoms::completed_atom_v,
                                    store(id, attempts, directory, result));
                   });
}

void record(media_ptr self, const media_download& outcome) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db)
    return;  // the row's claim expires and the download is retried
  storage::statement update;
  if (outcome.ok) {
    update = storage::statement::named(
      "media_stored", {std::to_string(outcome.id), outcome.sha256, outcome.content_type,
                       std::to_string(outcome.size)});
  } else {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto& options = self->state.options;
    auto delay = options.retry_min + domain::full_jitter_delay(outcome.attempts, options.retry_min,
                                                               options.retry_max,
                                                               unit(self->state.random));
    log::warn("media", "download failed", {{"media_id", outcome.id}, {"error", outcome.error}});
    update = storage::statement::named(
      "media_failed", {std::to_string(outcome.id), outcome.error,
                       std::to_string(options.max_attempts), std::to_string(delay.count())});
  }
  self->request(db, std::chrono::seconds(30), atoms::execute_atom_v, db_batch{{update}})
    .then([](storage::pg_outcome&) {},
          [](caf::error&) {
            // The claim expires and the file is fetched again; content addressing makes that safe.
          });
}

void claim_more(media_ptr self) {
  auto& state = self->state;
  int room = state.options.concurrency - state.in_flight;
  if (room <= 0 || state.claiming)
    return;
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db)
    return;
  state.claiming = true;
  self->request(db, std::chrono::seconds(30), atoms::execute_atom_v,
                db_batch{{storage::statement::named(
                  "claim_media_downloads",
                  {std::to_string(room), std::to_string(state.options.claim.count())})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        self->state.claiming = false;
        if (!outcome.ok())
          return;
        for (auto& row : outcome.results[0].rows)
          if (row[0] && row[1] && row[2])
            download(self, std::stoll(*row[0]), *row[1], std::stoi(*row[2]));
      },
      [self](caf::error&) { self->state.claiming = false; });
}

caf::behavior media_behavior(media_ptr self, media_options options) {
  auto& state = self->state;
  state.options = std::move(options);
  state.http = std::make_unique<http::http_client>(
    http::http_client_config{.timeout = state.options.timeout,
                             .body_limit = state.options.max_bytes,
                             .user_agent = "crmd-media"});
  state.http->start();
  self->send(self, atoms::tick_atom_v);
  return {
    [self](atoms::tick_atom) {
      claim_more(self);
      self->delayed_send(self, self->state.options.poll, atoms::tick_atom_v);
    },
    [self](atoms::completed_atom, media_download& outcome) {
      --self->state.in_flight;
      record(self, outcome);
      claim_more(self);
    },
  };
}

}  // namespace

caf::actor spawn_media_actor(caf::actor_system& system, media_options options) {
  return system.spawn(media_behavior, std::move(options));
}

}  // namespace crmd
