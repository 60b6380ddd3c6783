#pragma once

#include "actors/interfaces.hpp"
#include "storage/pg_types.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <functional>
#include <vector>

namespace crmd {

// Runs `statements` as one transaction through the database actor and hands `done` the outcome;
// a database actor that is not running, or a request that fails, becomes an outcome with an
// error, so callers handle one kind of answer.
template <class Self>
void run_statements(Self* self, std::chrono::milliseconds timeout,
                    std::vector<storage::statement> statements,
                    std::function<void(storage::pg_outcome&)> done) {
  auto db = self->system().registry().template get<db_actor>(registry_keys::db);
  if (!db) {
    storage::pg_outcome missing;
    missing.error = storage::pg_error{"no_database", "", "the database actor is not running"};
    done(missing);
    return;
  }
  self->request(db, timeout, atoms::execute_atom_v, db_batch{std::move(statements)})
    .then([done](storage::pg_outcome& outcome) { done(outcome); },
          [done](caf::error& error) {
            storage::pg_outcome failed;
            failed.error = storage::pg_error{"request_failed", "", caf::to_string(error)};
            done(failed);
          });
}

}  // namespace crmd
