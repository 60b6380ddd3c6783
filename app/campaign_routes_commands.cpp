// launch / pause / resume / cancel: forwarded to the campaign registry, which owns every status
// change of a campaign that has left the draft (domain::campaign::check_transition there).
#include "actors/campaign_types.hpp"
#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "app/campaign_routes_input.hpp"
#include "app/campaign_routes_internal.hpp"
#include "app/session_guard.hpp"

#include <caf/all.hpp>

namespace crmd::app {

namespace {

// Launch materialises the audience in one transaction: give it time on a large book.
constexpr std::chrono::seconds command_timeout{60};

unsigned status_for(const std::string& code) {
  if (code == "not_found")
    return 404;
  if (code == "invalid_field" || code == "invalid_json")
    return 400;
  if (code == "database_unavailable" || code == "unavailable")
    return 503;
  return 409;  // invalid_transition, campaign_not_editable, empty_audience, …
}

// A short-lived actor carries the request: HTTP handlers never block on an actor. Its state
// comes in as spawn arguments (CAF 0.17 dereferences a null argument tuple otherwise).
void ask_registry(caf::event_based_actor* self, caf::actor registry, campaign_command command,
                  net::responder respond) {
  self->request(registry, command_timeout, atoms::campaign_command_atom_v, std::move(command))
    .then(
      [self, respond](const campaign_command_result& result) {
        if (result.ok)
          respond(net::json_response(200, result.campaign_json));
        else
          respond(net::error_response(status_for(result.error_code), result.error_code,
                                      result.message));
        self->quit();
      },
      [self, respond](caf::error& error) {
        respond(net::error_response(503, "campaigns_unavailable",
                                    "the campaign runner did not answer: " +
                                      caf::to_string(error)));
        self->quit();
      });
}

void command(caf::actor_system& actors, const net::http_request& request, const principal& user,
             std::string action, net::responder respond) {
  auto id = path_id(request, "id", "campaign");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  campaign_command cmd{.campaign_id = std::get<std::int64_t>(id),
                       .action = action,
                       .user_id = user.user_id,
                       .scheduled_at = std::nullopt};
  if (action == "launch") {
    auto when = validate_launch_input(request.body);
    if (auto* error = std::get_if<campaign_input_error>(&when))
      return respond(input_error_response(*error));
    cmd.scheduled_at = std::get<std::optional<std::string>>(when);
  }
  auto registry = actors.registry().get(registry_keys::campaigns);
  if (!registry)
    return respond(net::error_response(503, "campaigns_unavailable",
                                       "the campaign runner is not running"));
  actors.spawn(ask_registry, caf::actor_cast<caf::actor>(registry), std::move(cmd),
               std::move(respond));
}

}  // namespace

void add_campaign_command_routes(net::router& routes, const session_guard& guard,
                                 caf::actor_system& actors) {
  for (std::string action : {"launch", "pause", "resume", "cancel"}) {
    // Starting texts to customers and stopping a campaign for good are the owner's decisions.
    auto level = action == "launch" || action == "cancel" ? access::owner_only : access::any_user;
    routes.add("POST", "/api/v1/campaigns/{id}/" + action, "campaigns_" + action,
               guard.protect(
                 [&actors, action](net::http_request&& request, principal user,
                                   net::responder respond) {
                   command(actors, request, user, action, std::move(respond));
                 },
                 level));
  }
}

}  // namespace crmd::app
