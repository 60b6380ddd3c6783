// The history import end to end: `crmd import openphone` against the emulator's REST API with
// its 10 requests/s limit and injected failures (500/503, dropped connections, answers slower
// than crmd's timeout), killed with SIGKILL twice at random points and run again until it
// completes. The database must then hold exactly the emulator's dataset (counts per table and a
// digest per resource), and a second import must change no row.
#include "integrations/crypto/sha256.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"
#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace crmd::testing {
namespace {

namespace rest = openphone_emulator::rest;
using namespace std::chrono_literals;

constexpr const char* api_key = "e2e-import-key";

rest::dataset_options dataset_sizes() {
  rest::dataset_options options;
  options.seed = 4242;
  options.numbers = 2;
  options.users = 3;
  options.contacts = 30;
  options.conversations = 24;
  options.messages = 400;
  options.calls = 60;
  return options;
}

std::string iso_ms(std::int64_t unix_ms) {
  return openphone_emulator::iso_utc(unix_ms);
}

// A digest of a resource's canonical lines.
std::string digest_of(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines)
    text += line + "\n";
  return integrations::sha256_hex(text);
}

template <class T>
std::string joined(const std::vector<T>& values, const char* separator = ",") {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty())
      out += separator;
    out += std::string(value);
  }
  return out;
}

// Texts may hold newlines; a line per item needs them escaped (as the SQL side does).
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text)
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

// What the provider holds, one canonical line per item, per resource.
std::map<std::string, std::vector<std::string>> expected_lines(const rest::dataset& data) {
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& number : data.numbers)
    lines["phone_numbers"].push_back(number.id + "|" + number.number + "|" + number.name);
  for (const auto& user : data.users)
    lines["users"].push_back(user.id + "|" + user.email + "|" + user.first_name + "|"
                             + user.last_name);
  for (const auto& contact : data.contacts)
    lines["contacts"].push_back(contact.id + "|" + contact.first_name + "|" + contact.last_name
                                + "|" + contact.company);
  for (const auto& conversation : data.conversations)
    lines["conversations"].push_back(conversation.id + "|"
                                     + data.numbers[conversation.phone_number].id + "|"
                                     + joined(conversation.participants));
  for (const auto& message : data.messages) {
    auto to = data.to(message);
    std::vector<std::string> recipients(to.begin(), to.end());
    std::sort(recipients.begin(), recipients.end());
    lines["messages"].push_back(message.id + "|" + std::string(rest::to_string(message.dir)) + "|"
                                + std::string(data.from(message)) + "|" + joined(recipients)
                                + "|" + one_line(message.text) + "|"
                                + iso_ms(message.created_ms));
  }
  for (const auto& call : data.calls) {
    std::string recording =
      call.recording_count > 0 ? data.recordings[call.first_recording].url : "";
    std::string voicemail = call.voicemail >= 0 ? data.voicemails[call.voicemail].recording_url : "";
    std::string summary = call.summary >= 0 ? joined(data.summaries[call.summary].lines, "/") : "";
    std::string transcript =
      call.transcript >= 0 ? std::to_string(data.transcripts[call.transcript].dialogue.size()) : "";
    lines["calls"].push_back(call.id + "|" + std::string(rest::to_string(call.dir)) + "|"
                             + std::string(data.participant(call)) + "|"
                             + std::to_string(call.duration_s) + "|"
                             + (call.answered() ? iso_ms(call.answered_ms) : "") + "|" + recording
                             + "|" + voicemail + "|" + summary + "|" + transcript + "|"
                             + iso_ms(call.created_ms));
  }
  for (auto& [resource, items] : lines)
    std::sort(items.begin(), items.end());
  return lines;
}

// The same lines from what crmd stored.
std::map<std::string, std::vector<std::string>> stored_lines(test_database& database) {
  const char* iso = "to_char(%s at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  auto time_of = [iso](const std::string& column) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, iso, column.c_str());
    return std::string(buffer);
  };
  std::map<std::string, std::string> queries{
    {"phone_numbers",
     "SELECT openphone_id || '|' || phone_number || '|' || coalesce(name, '') FROM phone_numbers "
     "WHERE openphone_id IS NOT NULL"},
    {"users",
     "SELECT openphone_user_id || '|' || coalesce(email, '') || '|' || coalesce(first_name, '') "
     "|| '|' || coalesce(last_name, '') FROM users WHERE openphone_user_id IS NOT NULL"},
    {"contacts",
     "SELECT openphone_id || '|' || coalesce(first_name, '') || '|' || coalesce(last_name, '') "
     "|| '|' || coalesce(company, '') FROM contacts WHERE openphone_id IS NOT NULL"},
    {"conversations",
     "SELECT openphone_id || '|' || phone_number_id || '|' || array_to_string(participants, ',') "
     "FROM conversations WHERE openphone_id IS NOT NULL"},
    {"messages",
     "SELECT openphone_id || '|' || direction || '|' || from_number || '|' || "
     "array_to_string(ARRAY(SELECT n FROM unnest(to_numbers) n ORDER BY n), ',') || '|' || "
     "replace(coalesce(body, ''), E'\\n', '\\n') || '|' || " + time_of("occurred_at") +
       " FROM activities WHERE activity_type = 'message'"},
    {"calls",
     "SELECT openphone_id || '|' || direction || '|' || participants[1] || '|' || "
     "coalesce(duration_seconds, 0) || '|' || coalesce(" + time_of("answered_at") + ", '') || "
     "'|' || coalesce(recording_url, '') || '|' || coalesce(voicemail_url, '') || '|' || "
     "coalesce(array_to_string(ai_summary, '/'), '') || '|' || "
     "coalesce(jsonb_array_length(ai_transcript)::text, '') || '|' || " + time_of("occurred_at") +
       " FROM activities WHERE activity_type = 'call'"},
  };
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& [resource, sql] : queries) {
    auto all = database.scalar("SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM ("
                               + sql + ") AS t(line)");
    std::vector<std::string> items;
    std::size_t start = 0;
    while (!all.empty() && start <= all.size()) {
      auto end = all.find('\n', start);
      items.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos)
        break;
      start = end + 1;
    }
    lines[resource] = std::move(items);
  }
  return lines;
}

std::string table_snapshot(test_database& database) {
  std::string snapshot;
  for (const char* table : {"phone_numbers", "users", "contacts", "conversations", "activities"})
    snapshot += database.scalar(std::string("SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY "
                                            "id)), '') FROM ")
                                + table + " t")
                + "/";
  return snapshot;
}

class OpenPhoneImport : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<test_database>("openphone_import");
    port_ = free_tcp_port();
    auto sizes = dataset_sizes();
    emulator_ = std::make_unique<child_process>(
      CRMD_EMULATOR,
      std::vector<std::string>{
        "--serve", "--listen", "127.0.0.1:" + std::to_string(port_), "--api-key", api_key,
        "--seed", std::to_string(sizes.seed), "--numbers", std::to_string(sizes.numbers),
        "--users", std::to_string(sizes.users), "--contacts", std::to_string(sizes.contacts),
        "--conversations", std::to_string(sizes.conversations), "--messages",
        std::to_string(sizes.messages), "--calls", std::to_string(sizes.calls),
        "--rate-limit", "10", "--fail-rate", "0.03", "--drop-rate", "0.01", "--slow-rate", "0.01",
        "--slow-ms", "2500"},
      "openphone_import_emulator.log");
    ASSERT_TRUE(emulator_ready()) << "the emulator did not come up on port " << port_;
  }

  bool emulator_ready() const {
    auto until = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < until) {
      try {
        if (http_get(port_, "/_emulator/stats").status == 200)
          return true;
      } catch (const std::exception&) {
        // Not listening yet.
      }
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::map<std::string, std::string> crmd_environment() const {
    return {{"CRM_DATABASE_URL", database_->url()},
            {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(port_)},
            {"CRM_OPENPHONE_API_KEY", api_key},
            {"CRM_OPENPHONE_TIMEOUT_MS", "1000"},
            {"CRM_IMPORT_LEASE_MS", "1500"},
            {"CRM_LOG_LEVEL", "warn"}};
  }

  std::optional<int> run_import(std::chrono::milliseconds limit, const std::string& log) {
    child_process crmd(CRMD_BINARY, {"import", "openphone"}, log, crmd_environment());
    auto code = crmd.wait(limit);
    if (!code) {
      crmd.send_signal(SIGKILL);
      crmd.wait(10s);
    }
    return code;
  }

  std::unique_ptr<test_database> database_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> emulator_;
};

TEST_F(OpenPhoneImport, SurvivesTwoKillsAndMatchesTheProviderExactly) {
  auto seed = static_cast<unsigned>(std::chrono::system_clock::now().time_since_epoch().count());
  std::mt19937 random(seed);
  SCOPED_TRACE("kill points seeded with " + std::to_string(seed));
  for (int kill = 0; kill < 2; ++kill) {
    auto after = std::chrono::milliseconds(1500 + random() % 5000);
    auto code = run_import(after, "openphone_import_killed_" + std::to_string(kill) + ".log");
    ASSERT_FALSE(code.has_value()) << "the import ended before kill " << kill + 1;
  }
  ASSERT_EQ(run_import(240s, "openphone_import_final.log"), 0);

  auto data = rest::make_dataset(dataset_sizes());
  auto totals = rest::totals(data);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM phone_numbers"),
            std::to_string(totals.phone_numbers));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM users"), std::to_string(totals.users));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM conversations"),
            std::to_string(totals.conversations));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE activity_type = 'message'"),
            std::to_string(totals.messages));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE activity_type = 'call'"),
            std::to_string(totals.calls));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE recording_url IS NOT NULL"),
            std::to_string(std::count_if(data.calls.begin(), data.calls.end(),
                                         [](const auto& c) { return c.recording_count > 0; })));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM contacts WHERE openphone_id IS NOT NULL"),
            std::to_string(totals.contacts));
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE conversation_id IS NULL"),
            "0");

  auto expected = expected_lines(data);
  auto stored = stored_lines(*database_);
  for (const auto& [resource, lines] : expected) {
    SCOPED_TRACE(resource);
    const auto& held = stored[resource];
    EXPECT_EQ(digest_of(held), digest_of(lines));
    auto mismatch = std::mismatch(lines.begin(), lines.end(), held.begin(), held.end());
    if (mismatch.first != lines.end() || mismatch.second != held.end())
      ADD_FAILURE() << "first difference: expected "
                    << (mismatch.first != lines.end() ? *mismatch.first : "<none>")
                    << "\n                   stored   "
                    << (mismatch.second != held.end() ? *mismatch.second : "<none>");
  }
  EXPECT_EQ(database_->scalar("SELECT report->>'complete' FROM import_jobs ORDER BY id DESC "
                              "LIMIT 1"),
            "true");

  // Importing again finds everything in place and rewrites nothing.
  auto before = table_snapshot(*database_);
  ASSERT_EQ(run_import(240s, "openphone_import_again.log"), 0);
  EXPECT_EQ(table_snapshot(*database_), before);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM import_jobs WHERE status = 'completed'"), "2");
}

}  // namespace
}  // namespace crmd::testing
