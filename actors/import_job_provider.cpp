#include "actors/import_job_internal.hpp"

#include <caf/all.hpp>

namespace crmd::import_job {

void call_provider(job_ptr self, provider_request request,
                   std::function<void(int, std::string&)> on_answer,
                   std::function<void(const provider_failure&)> on_rejected) {
  auto retry = [self, request, on_answer, on_rejected](const std::string& why) {
    retry_later(self, why, [self, request, on_answer, on_rejected] {
      call_provider(self, request, on_answer, on_rejected);
    });
  };
  self->request(self->state.client, caf::infinite, provider_request_atom_v, request)
    .then(
      [self, on_answer, on_rejected, retry](provider_result& result) {
        if (self->state.over)
          return;
        ++self->state.progress.requests;
        if (auto* response = std::get_if<provider_response>(&result)) {
          on_answer(response->status, response->body);
          return;
        }
        const auto& failure = std::get<provider_failure>(result);
        if (failure.code == "http_401" || failure.code == "http_403") {
          fail_job(self, "OpenPhone refused the API key (" + failure.code + ")");
          return;
        }
        if (failure.code.rfind("http_4", 0) == 0 && failure.code != "http_429") {
          on_rejected(failure);
          return;
        }
        retry(failure.code + ": " + failure.message);
      },
      [retry](caf::error& error) { retry("client: " + caf::to_string(error)); });
}

}  // namespace crmd::import_job
