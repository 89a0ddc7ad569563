#include "tests/fake_node/fake_node.h"

#include <boost/beast/core/detail/base64.hpp>
#include <condition_variable>
#include <map>
#include <mutex>

#include "tests/fake_node/rpc_methods.h"
#include "tests/fake_node/rpc_server.h"

namespace synthminer::fake_node {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string basic_credentials(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  std::string out(boost::beast::detail::base64::encoded_size(plain.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), plain.data(), plain.size()));
  return "Basic " + out;
}

struct ScriptedError {
  int calls = 0;
  int code = 0;
  std::string message;
  std::string method;  ///< empty: any
};

}  // namespace

// The node's state behind one mutex; the RPC methods run on the server's
// io thread under it, the test's calls on theirs. `changed_` wakes the
// wait helpers on every change.
struct FakeNode::Impl final : RpcHandler {
  explicit Impl(FakeNodeOptions o)
      : options(std::move(o)), credentials(basic_credentials(options.user, options.password)) {}

  HttpAnswer handle(const std::string& authorization, const std::string& body) override;
  HttpAnswer release(const json& id) override;
  void on_connection() override {
    std::lock_guard lock(mutex);
    ++connections;
    changed.notify_all();
  }
  void on_hold(int delta) override {
    std::lock_guard lock(mutex);
    held += delta;
    changed.notify_all();
  }
  std::optional<HttpAnswer> scripted_fault(const std::string& method, const json& id);

  template <class Pred>
  bool wait(std::chrono::milliseconds timeout, Pred pred) const {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, pred);
  }

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  FakeNodeOptions options;
  const std::string credentials;
  FakeChain chain;
  std::map<std::string, uint64_t> calls;
  uint64_t unauthorized = 0;
  uint64_t connections = 0;
  int64_t held = 0;
  ScriptedError error;
  int malformed = 0;
  std::chrono::milliseconds delay{0};
  bool always_unauthorized = false;
  std::unique_ptr<RpcServer> server;  ///< last: stopped before the rest goes
};

std::optional<HttpAnswer> FakeNode::Impl::scripted_fault(const std::string& method,
                                                         const json& id) {
  if (malformed > 0) {
    --malformed;
    return HttpAnswer{200, R"({"result":{"version":5368)", false, {}, {}, id};
  }
  if (error.calls > 0 && (error.method.empty() || error.method == method)) {
    --error.calls;
    return rpc_error(id, error.code, error.message);
  }
  return std::nullopt;
}

HttpAnswer FakeNode::Impl::handle(const std::string& authorization, const std::string& body) {
  std::unique_lock lock(mutex);
  if (always_unauthorized || authorization != credentials) {
    ++unauthorized;
    changed.notify_all();
    return HttpAnswer{401, "", true, delay, {}, {}};
  }
  const json request = json::parse(body, nullptr, false);
  if (request.is_discarded()) return rpc_error(nullptr, -32700, "Parse error");
  if (!request.is_object()) return rpc_error(nullptr, -32600, "Invalid Request object");
  const json id = request.value("id", json());
  if (!request.contains("method") || !request["method"].is_string()) {
    return rpc_error(id, -32600, "Method must be a string");
  }
  const std::string method = request["method"].get<std::string>();
  ++calls[method];
  changed.notify_all();
  auto fault = scripted_fault(method, id);
  const std::string before = chain.longpollid();
  HttpAnswer answer =
      fault
          ? std::move(*fault)
          : run_method(chain, MethodContext{options, method, id, request.value("params", json())});
  answer.delay = delay;
  const bool advanced = chain.longpollid() != before;
  if (answer.hold) answer.hold = options.longpoll_hold;
  changed.notify_all();
  lock.unlock();
  if (advanced) server->release_holds();
  return answer;
}

HttpAnswer FakeNode::Impl::release(const json& id) {
  std::lock_guard lock(mutex);
  HttpAnswer answer = rpc_result(id, chain.current());
  answer.delay = delay;
  return answer;
}

FakeNode::FakeNode(FakeNodeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->server = std::make_unique<RpcServer>(*impl_);
}

FakeNode::~FakeNode() {
  impl_->server.reset();
}

uint16_t FakeNode::port() const {
  return impl_->server->port();
}

std::string FakeNode::url() const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/";
}

const std::string& FakeNode::user() const {
  return impl_->options.user;
}

const std::string& FakeNode::password() const {
  return impl_->options.password;
}

void FakeNode::publish_template(json gbt) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->chain.publish(std::move(gbt));
    impl_->changed.notify_all();
  }
  impl_->server->release_holds();
}

void FakeNode::push_template(json gbt) {
  std::lock_guard lock(impl_->mutex);
  impl_->chain.push(std::move(gbt));
}

json FakeNode::current_template() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->chain.current();
}

std::string FakeNode::current_longpollid() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->chain.longpollid();
}

uint32_t FakeNode::block_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->chain.blocks();
}

void FakeNode::set_payout_script(std::vector<uint8_t> script) {
  std::lock_guard lock(impl_->mutex);
  impl_->options.payout_script = std::move(script);
}

void FakeNode::fail_next(int calls, int code, std::string message, std::string method) {
  std::lock_guard lock(impl_->mutex);
  impl_->error = ScriptedError{calls, code, std::move(message), std::move(method)};
}

void FakeNode::malformed_next(int calls) {
  std::lock_guard lock(impl_->mutex);
  impl_->malformed = calls;
}

void FakeNode::set_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->delay = delay;
}

void FakeNode::set_always_unauthorized(bool on) {
  std::lock_guard lock(impl_->mutex);
  impl_->always_unauthorized = on;
}

void FakeNode::set_longpoll_hold(std::chrono::milliseconds hold) {
  std::lock_guard lock(impl_->mutex);
  impl_->options.longpoll_hold = hold;
}

uint64_t FakeNode::calls(const std::string& method) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->calls.find(method);
  return it == impl_->calls.end() ? 0 : it->second;
}

uint64_t FakeNode::unauthorized() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->unauthorized;
}

uint64_t FakeNode::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

uint64_t FakeNode::held_longpolls() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<uint64_t>(impl_->held);
}

std::vector<Submission> FakeNode::submissions() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->chain.submissions();
}

bool FakeNode::wait_for_calls(const std::string& method, uint64_t n,
                              std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    const auto it = impl_->calls.find(method);
    return it != impl_->calls.end() && it->second >= n;
  });
}

bool FakeNode::wait_for_submissions(size_t n, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] { return impl_->chain.submissions().size() >= n; });
}

bool FakeNode::wait_for_held_longpolls(uint64_t n, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] { return impl_->held >= static_cast<int64_t>(n); });
}

}  // namespace synthminer::fake_node
