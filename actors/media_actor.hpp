#pragma once

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace crmd {

struct media_options {
  std::string directory;  // CRM_MEDIA_DIR
  int concurrency = 2;
  std::chrono::milliseconds poll{2000};
  std::chrono::milliseconds claim{300000};  // a download's hold on its row
  std::chrono::milliseconds timeout{120000};
  std::size_t max_bytes = 100 * 1024 * 1024;
  int max_attempts = 6;
  std::chrono::milliseconds retry_min{5000};
  std::chrono::milliseconds retry_max{3600000};
};

// Downloads the media files queued in media_files (recordings, voicemails, MMS pictures: the
// V005 trigger queues every URL an activity gains) into `directory`, content-addressed as
// <sha256[0:2]>/<sha256>, and records the hash, type and size. A few downloads run at once on
// its own HTTP client; the file is written on that client's thread (never in the actor) through
// a temporary name and a rename, so a reader never sees half a file. Failures are retried with
// backoff until max_attempts, then the row is marked failed with its error.
caf::actor spawn_media_actor(caf::actor_system& system, media_options options);

}  // namespace crmd
