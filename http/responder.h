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

#include <atomic>
#include <memory>

#include "http/message.h"

namespace synthminer::http {

/// Where a response goes. Implemented by the server's connection.
class ReplyTarget {
 public:
  virtual ~ReplyTarget() = default;
  /// Queues `response` for sending; callable from any thread.
  virtual void deliver(Response response) = 0;
  /// A flag that turns true when the client hangs up before the answer is
  /// sent; null when this target cannot tell. From the handler, on its strand.
  virtual std::shared_ptr<const std::atomic<bool>> watch_hang_up() { return nullptr; }
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
  /// For a handler whose work is long: a flag that turns true if the client
  /// closes its connection before this answer is sent, so the work can stop.
  /// The server reads the connection while the handler works only once this
  /// is asked. Call it in the handler itself (on the connection's strand),
  /// before the responder goes to another thread. Null once answered, or
  /// when the target cannot tell.
  std::shared_ptr<const std::atomic<bool>> hang_up_flag() {
    return target_ ? target_->watch_hang_up() : nullptr;
  }

 private:
  void answer_unanswered();

  std::shared_ptr<ReplyTarget> target_;
};

}  // namespace synthminer::http
