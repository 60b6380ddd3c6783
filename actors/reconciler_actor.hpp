#pragma once

#include "domain/webhook_event.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crmd {

class reconcile_metrics;

struct reconciler_options {
  std::string time_zone = "America/New_York";  // CRM_BUSINESS_TIME_ZONE
  std::optional<std::chrono::minutes> reconcile_at;  // local time of day; nullopt: no schedule
  std::chrono::milliseconds overlap{3600 * 1000};    // re-checked before each watermark
  std::chrono::milliseconds lookback{7LL * 24 * 3600 * 1000};  // a number without a watermark
  std::chrono::milliseconds poll{1000};  // how often the job's and the re-drive's state is read
  std::chrono::milliseconds redrive_wait{60000};  // longest wait for re-driven events to settle
  int redrive_limit = 5000;                       // failed events re-driven per run at most
  std::chrono::milliseconds db_timeout{30000};
  // Parses a stored webhook payload again for the re-drive (the wire format is integrations/').
  std::function<std::optional<domain::webhook_event>(std::string_view)> parse;
};

// Runs reconciliations (issue 8), one at a time. A reconciliation row (created by
// app/reconciliation_routes' start_reconciliation, or by this actor at settings.reconcile_at in
// the business's time zone) is run with (start_atom, id):
//   1. its window is fixed (each number's watermark minus the overlap; the lookback without one)
//      and an import job of kind openphone_reconcile pages OpenPhone from the window's start
//      through the import's upserts, recording what they inserted as the run's gaps (V017);
//   2. failed and dead webhook events are re-driven through the conversations registry and
//      watched until they settle;
//   3. the report is stored, the watermarks advance, crmd_reconcile_* move, and
//      reconcile.progress / reconcile.finished frames go to the hub topic `sync`.
// At start-up it resumes the unfinished reconciliation, if any. Database failures are retried
// with backoff; only the import job failing fails the run.
caf::actor spawn_reconciler(caf::actor_system& system, reconciler_options options,
                            reconcile_metrics& metrics);

}  // namespace crmd
