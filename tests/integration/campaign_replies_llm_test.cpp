// Campaign replies the rules leave undecided, classified by a language model: crmd's reply
// processor through the LLM client against tools/llm-emulator (keyword verdicts), with a real
// PostgreSQL. The keyword rules still decide what they can without asking.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* api_key = "llm-test-key";

TEST(CampaignRepliesLlm, UndecidedRepliesAreClassifiedByTheModel) {
  test_database database("campaign_replies_llm");
  std::string output = "/tmp/crmd-campaign-llm-" + std::to_string(::getpid());
  child_process emulator(CRMD_LLM_EMULATOR, {"--listen", "127.0.0.1:0", "--key", api_key}, output);
  auto port = wait_for_listening_port(output, 10s);
  ASSERT_NE(port, 0) << "the emulator did not start";
  crmd_process crmd({{"CRM_DATABASE_URL", database.url()},
                     {"CRM_LLM_API_URL", "http://127.0.0.1:" + std::to_string(port)},
                     {"CRM_LLM_API_KEY", api_key}});
  database.exec(R"SQL(
    insert into contacts (first_name, phone, phone_numbers)
    select 'C' || g, '+150855501' || lpad(g::text, 2, '0'), array['+150855501' || lpad(g::text, 2, '0')]
    from generate_series(1, 4) g;
    insert into conversations (contact_id, participants) select id, phone_numbers from contacts;
    insert into campaigns (name, template_a, status) values ('Fall', 'Crack in the basement?', 'running');
    insert into campaign_memberships (campaign_id, contact_id, phone, status, variant_sent, sent_at, body)
    select 1, id, phone, 'sent', 'A', now() - interval '10 minutes', 'Crack in the basement?'
    from contacts;
    insert into activities (conversation_id, contact_id, activity_type, direction, status, body, occurred_at)
    select v.id, v.contact_id, 'message', 'incoming', 'received',
           case v.contact_id when 1 then 'Sure thing, ring me Monday'
                             when 2 then 'We have no budget this year'
                             when 3 then 'What time do you open?'
                             else 'Yes' end,
           now()
    from conversations v;
  )SQL");
  auto deadline = std::chrono::steady_clock::now() + 20s;
  std::string pending = "4";
  while (pending != "0" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    pending = database.scalar("select count(*) from activities where reply_processed_at is null");
  }
  ASSERT_EQ(pending, "0") << crmd.log();
  EXPECT_EQ(database.scalar("select string_agg(status || '|' || reply_reason, ',' order by "
                            "contact_id) from campaign_memberships"),
            "replied_positive|the reply says \"sure\","
            "replied_negative|the reply says \"no\","
            "replied_neutral|no interest or refusal stated,"
            "replied_positive|reply is 'yes'");
  // Only the three the rules left undecided went to the model.
  auto stats = json::parse(http_request(port, "GET", "/_emulator/requests").body);
  EXPECT_EQ(stats["count"], 3) << stats.dump();
  std::remove(output.c_str());
}

}  // namespace
}  // namespace crmd::testing
