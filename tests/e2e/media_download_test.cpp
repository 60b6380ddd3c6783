// Media end to end: an import with mms_media against the emulator (serving its own recording,
// voicemail and picture files) stores every MMS's media and queues every media URL, each segment
// of a recording included; with CRM_MEDIA_DIR set crmd downloads each once into a
// content-addressed file and serves it back at /media/{sha256}.
#include "integrations/crypto/sha256.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"
#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/media_files.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition())
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return condition();
}

TEST(MediaDownload, ImportedRecordingsAreStoredOnceAndServedByHash) {
  test_database database("media_download");
  auto media_dir = fs::temp_directory_path() / ("crmd-media-" + std::to_string(getpid()));
  fs::remove_all(media_dir);
  auto port = free_tcp_port();
  auto base = "http://127.0.0.1:" + std::to_string(port);
  child_process emulator(CRMD_EMULATOR,
                         {"--serve", "--listen", "127.0.0.1:" + std::to_string(port), "--api-key",
                          "media-key", "--seed", "5", "--numbers", "1", "--users", "2",
                          "--contacts", "4", "--conversations", "6", "--messages", "20",
                          "--calls", "40", "--rate-limit", "0", "--media-base", base},
                         "media_download_emulator.log");
  ASSERT_TRUE(eventually(
    [port] {
      try {
        return http_get(port, "/_emulator/stats").status == 200;
      } catch (const std::exception&) {
        return false;
      }
    },
    15s));
  crmd_process crmd({{"CRM_DATABASE_URL", database.url()},
                     {"CRM_OPENPHONE_API_URL", base},
                     {"CRM_OPENPHONE_API_KEY", "media-key"},
                     {"CRM_OPENPHONE_RATE_LIMIT", "1000"},
                     {"CRM_MEDIA_DIR", media_dir.string()}});
  auto session = login_new_user(crmd.port(), database.url());
  auto get = [&](const std::string& target) {
    return http_request(crmd.port(), "GET", target, {}, session.headers());
  };
  auto started = http_request(crmd.port(), "POST", "/api/v1/imports", R"({"mms_media":true})",
                              session.headers({{"Content-Type", "application/json"}}));
  ASSERT_EQ(started.status, 201u) << started.body;
  auto id = std::to_string(json::parse(started.body)["id"].get<std::int64_t>());
  ASSERT_TRUE(eventually(
    [&] { return json::parse(get("/api/v1/imports/" + id).body)["status"] == "completed"; },
    60s));

  // Every MMS got its media from the dated surface, exactly as the provider lists them.
  openphone_emulator::rest::dataset_options sizes;
  sizes.seed = 5;
  sizes.numbers = 1;
  sizes.users = 2;
  sizes.contacts = 4;
  sizes.conversations = 6;
  sizes.messages = 20;
  sizes.calls = 40;
  sizes.media_base = base;
  auto data = openphone_emulator::rest::make_dataset(sizes);
  std::vector<std::string> expected_media;
  for (const auto& message : data.messages)
    for (const auto& item : message.media)
      expected_media.push_back(message.id + " " + item.url + " " + std::string(item.type));
  std::sort(expected_media.begin(), expected_media.end());
  auto stored_media = database.scalar(
    "SELECT coalesce(string_agg(openphone_id || ' ' || (m->>'url') || ' ' || (m->>'type'), "
    "E'\\n' ORDER BY openphone_id, m->>'url'), '') FROM activities, "
    "jsonb_array_elements(media_urls) AS m "
    "WHERE activity_type = 'message'");
  std::string expected_text;
  for (const auto& line : expected_media)
    expected_text += (expected_text.empty() ? "" : "\n") + line;
  ASSERT_FALSE(expected_media.empty()) << "the dataset should hold MMS messages";
  EXPECT_EQ(stored_media, expected_text);

  auto queued = std::stoi(database.scalar("SELECT count(*) FROM media_files"));
  auto expected = std::stoi(database.scalar(
    "SELECT count(DISTINCT u) FROM (SELECT recording_url FROM activities UNION ALL "
    "SELECT voicemail_url FROM activities UNION ALL "
    "SELECT m->>'url' FROM activities, jsonb_array_elements(media_urls) AS m) AS t(u) "
    "WHERE u IS NOT NULL"));
  ASSERT_GT(expected, 0);
  EXPECT_EQ(queued, expected);
  ASSERT_TRUE(eventually(
    [&] { return database.scalar("SELECT count(*) FROM media_files WHERE status <> 'stored'")
                 == "0"; },
    60s))
    << database.scalar("SELECT string_agg(url || ' ' || coalesce(last_error, ''), '; ') "
                       "FROM media_files WHERE status <> 'stored'");

  auto rows = database.scalar(
    "SELECT string_agg(url || ' ' || sha256 || ' ' || content_type, E'\\n' ORDER BY id) "
    "FROM media_files");
  std::istringstream lines(rows);
  std::string url, sha, type;
  int checked = 0;
  while (lines >> url >> sha >> type) {
    auto path = url.substr(base.size());
    auto bytes = openphone_emulator::rest::media_bytes(path);
    EXPECT_EQ(sha, integrations::sha256_hex(bytes)) << url;
    std::ifstream file(media_dir / sha.substr(0, 2) / sha, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(file)), {});
    EXPECT_EQ(stored, bytes) << url;
    auto served = get("/media/" + sha);
    EXPECT_EQ(served.status, 200u);
    EXPECT_EQ(served.body, bytes);
    EXPECT_EQ(served.header("content-type"), type);
    EXPECT_NE(served.header("cache-control").value_or("").find("immutable"), std::string::npos);
    ++checked;
  }
  EXPECT_EQ(checked, expected);
  EXPECT_EQ(get("/media/not-a-hash").status, 400u);
  EXPECT_EQ(get("/media/" + std::string(64, 'a')).status, 404u);
  EXPECT_EQ(http_get(crmd.port(), "/media/" + std::string(64, 'a')).status, 401u);
  fs::remove_all(media_dir);
}

}  // namespace
}  // namespace crmd::testing
