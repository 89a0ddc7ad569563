// FakeNode: a Bitcoin Core stand-in for the solo-mining tests. An HTTP/1.1
// JSON-RPC 1.0 server on 127.0.0.1 (an ephemeral port), with Basic auth,
// keep-alive and its own io thread, that answers getblockchaininfo,
// getblockcount, getblocktemplate (with BIP 22 long polling) and
// submitblock (each block judged by check_block) as bitcoind does, from
// templates the test publishes. Every method is safe from any thread.
//
// Errors have Core's shape: HTTP 500 (404 for an unknown method) with
// {"result":null,"error":{"code":..,"message":..},"id":..}. A request
// without the right credentials gets 401 and an empty body.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/fake_node/fake_chain.h"

namespace synthminer::fake_node {

struct FakeNodeOptions {
  std::string user = "synthminer";
  std::string password = "fake-node-password";
  std::string chain = "regtest";  ///< getblockchaininfo's `chain`
  /// How long a long poll on the current longpollid is held before it is
  /// answered with the (unchanged) current template.
  std::chrono::milliseconds longpoll_hold{30'000};
  std::vector<uint8_t> payout_script;  ///< the coinbase's first output must pay it; empty: any
};

class FakeNode {
 public:
  explicit FakeNode(FakeNodeOptions options = {});
  ~FakeNode();
  FakeNode(const FakeNode&) = delete;
  FakeNode& operator=(const FakeNode&) = delete;

  uint16_t port() const;
  /// "http://127.0.0.1:<port>/"
  std::string url() const;
  const std::string& user() const;
  const std::string& password() const;

  // --- The chain -----------------------------------------------------------

  /// Serves `gbt` (a getblocktemplate result) from now on and answers the
  /// held long polls with it. Its longpollid is rewritten (fake_chain.h).
  void publish_template(nlohmann::json gbt);
  /// Queues `gbt`; it is published when a block is accepted.
  void push_template(nlohmann::json gbt);
  /// The template served now (null before any), with its longpollid.
  nlohmann::json current_template() const;
  std::string current_longpollid() const;
  /// The tip's height, as getblockcount answers.
  uint32_t block_count() const;
  void set_payout_script(std::vector<uint8_t> script);

  // --- Faults --------------------------------------------------------------

  /// The next `calls` requests (of `method`, or of any method when empty)
  /// answer the RPC error {code, message}.
  void fail_next(int calls, int code, std::string message, std::string method = {});
  /// The next `calls` requests answer HTTP 200 with a body that is not JSON.
  void malformed_next(int calls);
  /// Every answer waits `delay` first (0: none).
  void set_delay(std::chrono::milliseconds delay);
  /// Every request answers 401, whatever its credentials.
  void set_always_unauthorized(bool on);
  void set_longpoll_hold(std::chrono::milliseconds hold);

  // --- What happened -------------------------------------------------------

  /// Authorized requests of `method` (faulted ones included).
  uint64_t calls(const std::string& method) const;
  uint64_t unauthorized() const;    ///< 401 answers
  uint64_t connections() const;     ///< accepted so far
  uint64_t held_longpolls() const;  ///< long polls held now
  std::vector<Submission> submissions() const;

  /// Each waits until the count reaches `n` or `timeout` passes; true when reached.
  bool wait_for_calls(const std::string& method, uint64_t n,
                      std::chrono::milliseconds timeout) const;
  bool wait_for_submissions(size_t n, std::chrono::milliseconds timeout) const;
  bool wait_for_held_longpolls(uint64_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace synthminer::fake_node
