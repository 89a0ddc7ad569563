// Responder: the one-shot, move-only handle a route handler answers through.
//
// Design: a handler may answer at once, later, or from another thread (vgpu
// work runs on worker threads). The responder holds a shared reference to
// its ReplyTarget (the connection), whose deliver() only posts the response
// onto the connection's strand, so calling it from any thread is safe and
// never blocks. A responder destroyed without answering sends a 500
// {"error": ...} instead, so no client ever waits on a forgotten request.
// The io_context the server runs on must outlive every responder.
#pragma once

#include <memory>

#include "http/message.h"

namespace synthminer::http {

/// Where a response goes. Implemented by the server's connection.
class ReplyTarget {
 public:
  virtual ~ReplyTarget() = default;
  /// Queues `response` for sending; callable from any thread.
  virtual void deliver(Response response) = 0;
};

class Responder {
 public:
  explicit Responder(std::shared_ptr<ReplyTarget> target) : target_(std::move(target)) {}
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&& other) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  /// Sends a 500 JSON error when the responder was never answered.
  ~Responder();

  /// Sends `response`. Any thread; only the first answer counts, later ones
  /// are ignored.
  void send(Response response);
  /// Sends `body` as JSON with `status` (200 by default).
  void send(nlohmann::json body, Status status = Status::ok);
  /// Sends {"error": reason} with `status`.
  void fail(Status status, std::string reason);
  /// True until the responder has answered (or was moved from).
  bool pending() const { return target_ != nullptr; }

 private:
  void answer_unanswered();

  std::shared_ptr<ReplyTarget> target_;
};

}  // namespace synthminer::http
