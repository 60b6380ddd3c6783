#include "actors/reply_processor_actor.hpp"

#include "actors/campaign_types.hpp"
#include "actors/exception_text.hpp"
#include "actors/hub_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/llm_client_types.hpp"
#include "domain/campaign/opt_out.hpp"
#include "domain/campaign/reply_rules.hpp"
#include "integrations/openphone/rest_send.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace crmd {

namespace {

using nlohmann::json;
namespace campaign = domain::campaign;

struct reply_state {
  static constexpr const char* name = "crmd.reply_processor";
  reply_processor_options options;
  bool busy = false;   // a page is being read, classified or committed
  bool again = false;  // nudged while busy: look again right after
  bool full_page = false;
  json decisions = json::array();  // the page's, in activity order
  std::size_t asking = 0;          // classifications still out with the LLM client
  // A page PostgreSQL refused (not a lost connection): pages of one text until the culprit is
  // found, which is then marked processed without its effects, so it cannot block the rest.
  bool one_at_a_time = false;
};

using reply_ptr = caf::stateful_actor<reply_state>*;

void run(reply_ptr self);

const char* keyword_kind_text(campaign::keyword_kind kind) {
  switch (kind) {
    case campaign::keyword_kind::opt_out: return "opt_out";
    case campaign::keyword_kind::opt_in: return "opt_in";
    case campaign::keyword_kind::help: return "help";
    case campaign::keyword_kind::none: break;
  }
  return nullptr;
}

void finish(reply_ptr self) {
  auto& st = self->state;
  st.busy = false;
  st.decisions = json::array();
  if (!st.full_page)
    st.one_at_a_time = false;  // caught up
  if (st.full_page || st.again) {
    st.again = false;
    run(self);
  }
}

void publish(reply_ptr self, const std::string& topic, const std::string& frame) {
  if (auto hub = self->system().registry().get<hub_actor>(registry_keys::hub))
    self->send(hub, atoms::publish_atom_v, topic, frame);
}

// The HELP answer was committed as a pending outgoing activity: show it, then send it.
void send_help(reply_ptr self, const json& help) {
  auto conversation = std::to_string(help["conversation_id"].get<std::int64_t>());
  if (auto hub = self->system().registry().get<hub_actor>(registry_keys::hub)) {
    publish_conversation_frame(hub, json{{"event", "activity.created"}, {"data", help["activity"]}}.dump(),
                               conversation);
    publish_conversation_frame(hub, help["conversation_frame"].dump(), conversation);
  }
  integrations::openphone::text_to_send text{
    .content = help["activity"]["body"].get<std::string>(),
    .from = help["from_number_id"].get<std::string>(),
    .to = help["recipients"].get<std::vector<std::string>>(),
    .user_id = help["sender_provider_id"].is_string()
                 ? help["sender_provider_id"].get<std::string>() : ""};
  if (auto sender = self->system().registry().get(registry_keys::sender))
    self->send(caf::actor_cast<caf::actor>(sender), atoms::send_text_atom_v,
               help["activity_id"].get<std::int64_t>(),
               integrations::openphone::send_message_body(text));
}

// Rows of apply_reply_decisions: kind, campaign id, JSON.
void after_commit(reply_ptr self, const storage::pg_result& rows) {
  for (const auto& row : rows.rows) {
    auto kind = row[0].value_or("");
    auto topic = "campaign:" + row[1].value_or("");
    if (kind == "campaign") {
      publish(self, "campaigns", row[2].value_or("{}"));
      publish(self, topic, row[2].value_or("{}"));
    } else if (kind == "member") {
      publish(self, topic, row[2].value_or("{}"));
    } else if (kind == "help") {
      send_help(self, json::parse(row[2].value_or("{}")));
    }
  }
}

void commit(reply_ptr self);

// The database refused the page. Lost connections just wait for the next tick; a refused single
// text is skipped (marked processed, nothing else) so it cannot hold up every later reply.
void refused(reply_ptr self, const storage::pg_error& error) {
  auto& st = self->state;
  st.busy = false;
  // No answer, a lost connection, a deadlock or serialization failure, a shutdown: try again.
  if (error.sqlstate.empty() || error.sqlstate.starts_with("08") ||
      error.sqlstate.starts_with("40") || error.sqlstate.starts_with("57"))
    return;
  if (st.decisions.size() > 1 || !st.one_at_a_time) {
    st.one_at_a_time = true;
    return;
  }
  log::error("replies", "skipping a text the database refused",
             {{"activity_id", st.decisions[0]["activity_id"]}});
  st.decisions = json::array({{{"activity_id", st.decisions[0]["activity_id"]}}});
  st.one_at_a_time = false;
  st.busy = true;
  commit(self);
}

void commit(reply_ptr self) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    self->state.busy = false;  // the next tick tries again
    return;
  }
  auto count = self->state.decisions.size();
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named("apply_reply_decisions",
                                                    {self->state.decisions.dump()})}})
    .then(
      [self, count](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          log::error("replies", "committing replies failed",
                     {{"texts", count}, {"error", outcome.error->message}});
          refused(self, *outcome.error);
          return;
        }
        log::debug("replies", "replies processed", {{"texts", count}});
        after_commit(self, outcome.results[0]);
        finish(self);
      },
      [self, count](caf::error& error) {
        log::error("replies", "committing replies failed",
                   {{"texts", count}, {"error", caf::to_string(error)}});
        self->state.busy = false;
      });
}

void classified(reply_ptr self, std::size_t index, std::string verdict, std::string reason) {
  auto& decision = self->state.decisions[index];
  decision["verdict"] = std::move(verdict);
  decision["reason"] = std::move(reason);
  if (--self->state.asking == 0)
    commit(self);
}

// The rules were undecided: the language model decides, or the reply counts as neutral.
void ask_model(reply_ptr self, std::size_t index, std::string body, std::string campaign_text) {
  auto llm = self->system().registry().get<llm_client_actor>(registry_keys::llm);
  if (!llm)
    return classified(self, index, "neutral", "no rule matched");
  self->request(llm, self->state.options.llm_timeout, classify_reply_atom_v,
                llm_classify_request{std::move(body), std::move(campaign_text)})
    .then(
      [self, index](const llm_classification& answer) {
        bool known = answer.verdict == "positive" || answer.verdict == "negative" ||
                     answer.verdict == "neutral";
        classified(self, index, known ? answer.verdict : "neutral",
                   answer.reason.empty() ? "language model" : answer.reason);
      },
      [self, index](caf::error& error) {
        log::warn("replies", "reply classification failed", {{"error", caf::to_string(error)}});
        classified(self, index, "neutral", "no rule matched; the language model did not answer");
      });
}

// Row of reply_pending_page: activity id, contact id, body, membership id, campaign text.
json decide(reply_ptr self, const std::vector<storage::pg_value>& row, bool& needs_model) {
  auto body = row[2].value_or("");
  json decision = {{"activity_id", std::stoll(row[0].value_or("0"))}};
  decision["contact_id"] = row[1] ? json(std::stoll(*row[1])) : json();
  auto keyword = campaign::classify_keyword(body);
  if (auto* kind = keyword_kind_text(keyword.kind)) {
    decision["keyword_kind"] = kind;
    decision["keyword"] = std::string(keyword.keyword);
    if (keyword.kind == campaign::keyword_kind::help)
      decision["help_text"] = self->state.options.help_reply;
  }
  needs_model = false;
  if (row[3]) {
    decision["membership_id"] = std::stoll(*row[3]);
    auto rule = campaign::classify_reply(body);
    needs_model = rule.verdict == campaign::reply_verdict::undecided;
    decision["verdict"] = rule.verdict == campaign::reply_verdict::positive ? "positive"
                                                                             : "negative";
    decision["reason"] = rule.reason;
  }
  return decision;
}

int page_size(reply_ptr self) {
  return self->state.one_at_a_time ? 1 : self->state.options.page_size;
}

void on_page(reply_ptr self, const storage::pg_result& page) {
  auto& st = self->state;
  st.decisions = json::array();
  st.full_page = static_cast<int>(page.rows.size()) >= page_size(self);
  if (page.rows.empty())
    return finish(self);
  std::vector<std::size_t> undecided;
  for (const auto& row : page.rows) {
    bool needs_model = false;
    st.decisions.push_back(decide(self, row, needs_model));
    if (needs_model)
      undecided.push_back(st.decisions.size() - 1);
  }
  if (undecided.empty())
    return commit(self);
  st.asking = undecided.size();
  for (auto index : undecided) {
    const auto& row = page.rows[index];
    ask_model(self, index, row[2].value_or(""), row[4].value_or(""));
  }
}

void run(reply_ptr self) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db || self->state.busy)
    return;
  self->state.busy = true;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named(
                  "reply_pending_page", {std::to_string(page_size(self))})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          log::warn("replies", "reading pending replies failed",
                    {{"error", outcome.error->message}});
          self->state.busy = false;
          return;
        }
        on_page(self, outcome.results[0]);
      },
      [self](caf::error& error) {
        log::warn("replies", "reading pending replies failed",
                  {{"error", caf::to_string(error)}});
        self->state.busy = false;
      });
}

caf::behavior reply_behavior(reply_ptr self, reply_processor_options options) {
  self->set_exception_handler([self](std::exception_ptr& error) -> caf::error {
    auto what = exception_text(error);
    log::error("replies", "handler threw", {{"error", what}});
    return caf::make_error(caf::sec::runtime_error, what);
  });
  self->state.options = std::move(options);
  self->send(self, atoms::tick_atom_v);
  return {
    [self](atoms::tick_atom) {
      run(self);
      self->delayed_send(self, self->state.options.interval, atoms::tick_atom_v);
    },
    [self](atoms::reply_nudge_atom) {
      if (self->state.busy)
        self->state.again = true;
      else
        run(self);
    },
  };
}

}  // namespace

caf::actor spawn_reply_processor(caf::actor_system& system, reply_processor_options options) {
  return system.spawn(reply_behavior, std::move(options));
}

}  // namespace crmd
