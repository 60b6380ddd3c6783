#include "app/application.hpp"
#include "app/user_command.hpp"
#include "config/settings.hpp"
#include "domain/import_plan.hpp"
#include "observability/log.hpp"
#include "storage/migrator.hpp"

#include <cstdio>
#include <optional>
#include <string_view>
#include <variant>

extern char** environ;

namespace {

constexpr const char* usage =
  "usage: crmd                                  serve (configuration from CRM_* variables)\n"
  "       crmd import openphone [--since DATE] [--with-mms-media]\n"
  "                                             import OpenPhone history (DATE: 2024-01-31 or\n"
  "                                             an ISO-8601 UTC time; --with-mms-media: one more\n"
  "                                             request per message for its media)\n"
  "       crmd reconcile                        backfill what OpenPhone has and the record lacks\n"
  "                                             since the last reconciliation, re-drive failed\n"
  "                                             webhook events, print the report\n"
  "       crmd user add --email EMAIL --role owner|staff [--first-name F] [--last-name L]\n"
  "                                             create a login, or reset its password and role\n"
  "                                             (password: one line on standard input)\n";

struct command {
  bool import = false;
  bool reconcile = false;
  std::optional<std::string> since;
  bool mms_media = false;
  std::optional<crmd::app::user_add_options> user_add;
};

// nullopt: the arguments are wrong (usage printed).
std::optional<command> parse_command(int argc, char** argv) {
  command parsed;
  if (argc == 1)
    return parsed;
  if (std::string_view(argv[1]) == "reconcile") {
    if (argc != 2) {
      std::fputs(usage, stderr);
      return std::nullopt;
    }
    parsed.reconcile = true;
    return parsed;
  }
  if (std::string_view(argv[1]) == "user") {
    if (argc < 3 || std::string_view(argv[2]) != "add") {
      std::fputs(usage, stderr);
      return std::nullopt;
    }
    parsed.user_add = crmd::app::parse_user_add(std::span<char* const>(argv + 3, argc - 3));
    if (!parsed.user_add)
      return std::nullopt;
    return parsed;
  }
  if (argc < 3 || std::string_view(argv[1]) != "import" || std::string_view(argv[2]) != "openphone") {
    std::fputs(usage, stderr);
    return std::nullopt;
  }
  parsed.import = true;
  for (int i = 3; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--with-mms-media") {
      parsed.mms_media = true;
      continue;
    }
    std::optional<std::string_view> value;
    if (arg == "--since" && i + 1 < argc)
      value = argv[++i];
    else if (arg.rfind("--since=", 0) == 0)
      value = arg.substr(8);
    if (!value) {
      std::fputs(usage, stderr);
      return std::nullopt;
    }
    parsed.since = crmd::domain::normalize_since(*value);
    if (!parsed.since) {
      std::fprintf(stderr, "crmd: --since: not a date or ISO-8601 UTC time: %.*s\n",
                   static_cast<int>(value->size()), value->data());
      return std::nullopt;
    }
  }
  return parsed;
}

}  // namespace

int main(int argc, char** argv) {
  auto command = parse_command(argc, argv);
  if (!command)
    return 2;
  auto loaded = crmd::config::load(crmd::config::crm_environment(environ));
  if (!loaded.ok()) {
    for (const auto& problem : loaded.errors)
      std::fprintf(stderr, "crmd: config: %s\n", problem.c_str());
    return 2;
  }
  crmd::log::set_level(loaded.values.log_level);
  // Asked before anything touches the database, so a mistyped password changes nothing.
  std::optional<std::string> new_password;
  if (command->user_add && !(new_password = crmd::app::read_new_password()))
    return 2;
  auto keys = crmd::integrations::openphone::signing_keys::from_base64(
    loaded.values.openphone_webhook_keys);
  if (auto* bad = std::get_if<crmd::integrations::openphone::invalid_secret>(&keys)) {
    std::fprintf(stderr, "crmd: config: CRM_OPENPHONE_WEBHOOK_KEYS: secret #%zu: %s\n",
                 bad->index + 1, bad->reason.c_str());
    return 2;
  }
  auto& webhook_keys = std::get<crmd::integrations::openphone::signing_keys>(keys);
  if (webhook_keys.empty() && !command->user_add)
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

  if (command->user_add)
    return crmd::app::run_user_add(loaded.values.database_url, *command->user_add, *new_password);

  crmd::app::application app(std::move(loaded.values), std::move(webhook_keys));
  if (command->reconcile)
    return app.run_reconcile();
  return command->import ? app.run_import(command->since, command->mms_media) : app.run();
}
