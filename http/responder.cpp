#include "http/responder.h"

#include <utility>

namespace synthminer::http {

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    answer_unanswered();
    target_ = std::move(other.target_);
  }
  return *this;
}

Responder::~Responder() {
  answer_unanswered();
}

void Responder::answer_unanswered() {
  if (!target_) return;
  try {
    send(Response::error(Status::internal_server_error,
                         "the request was dropped without an answer (server bug)"));
  } catch (...) {
    // Building the error may throw bad_alloc; a destructor must not. The
    // connection's own deadline closes it instead.
  }
  target_.reset();
}

void Responder::send(Response response) {
  if (!target_) return;
  auto target = std::move(target_);
  target_.reset();
  target->deliver(std::move(response));
}

void Responder::send(nlohmann::json body, Status status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  send(std::move(r));
}

void Responder::fail(Status status, std::string reason) {
  send(Response::error(status, std::move(reason)));
}

}  // namespace synthminer::http
