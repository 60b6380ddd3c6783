#include "net/session_registration.hpp"

#include <boost/asio/post.hpp>

namespace crmd::net {

session_registration::session_registration(std::shared_ptr<server_state> state)
  : state_(std::move(state)) {}

session_registration::~session_registration() {
  if (handed_off_)
    return;
  // The handler takes the last reference this thread holds: the server state (and its timer)
  // must not be destroyed here, where the io_context may already be gone.
  auto& strand = state_->strand();
  boost::asio::post(strand, [state = std::move(state_), id = id_] { state->remove_session(id); });
}

}  // namespace crmd::net
