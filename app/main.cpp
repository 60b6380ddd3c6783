#include "app/application.hpp"
#include "config/settings.hpp"
#include "observability/log.hpp"
#include "storage/migrator.hpp"

#include <cstdio>
#include <variant>

extern char** environ;

int main() {
  auto loaded = crmd::config::load(crmd::config::crm_environment(environ));
  if (!loaded.ok()) {
    for (const auto& problem : loaded.errors)
      std::fprintf(stderr, "crmd: config: %s\n", problem.c_str());
    return 2;
  }
  crmd::log::set_level(loaded.values.log_level);
  auto keys = crmd::integrations::openphone::signing_keys::from_base64(
    loaded.values.openphone_webhook_keys);
  if (auto* bad = std::get_if<crmd::integrations::openphone::invalid_secret>(&keys)) {
    std::fprintf(stderr, "crmd: config: CRM_OPENPHONE_WEBHOOK_KEYS: secret #%zu: %s\n",
                 bad->index + 1, bad->reason.c_str());
    return 2;
  }
  auto& webhook_keys = std::get<crmd::integrations::openphone::signing_keys>(keys);
  if (webhook_keys.empty())
    crmd::log::warn("crmd", "CRM_OPENPHONE_WEBHOOK_KEYS is empty: every webhook delivery will be "
                            "refused with 401");

  // Migrations run before any thread starts, so nothing can see a half-migrated schema.
  auto migrated = crmd::storage::migrate(loaded.values.database_url);
  if (auto* failure = std::get_if<crmd::storage::migrate_error>(&migrated)) {
    crmd::log::error("crmd", "migration failed",
                     {{"code", failure->code}, {"error", failure->message}});
    std::fprintf(stderr, "crmd: %s\n", failure->message.c_str());
    return 1;
  }
  const auto& report = std::get<crmd::storage::migrate_report>(migrated);
  crmd::log::info("crmd", "schema ready",
                  {{"version_before", report.version_before},
                   {"version", report.version_after},
                   {"applied", report.applied}});

  crmd::app::application app(std::move(loaded.values), std::move(webhook_keys));
  return app.run();
}
