// The RPC client against a scripted node on loopback: results, logins and
// cookies, the node's errors, malformed and oversized answers, deadlines,
// keep-alive and reconnection, order, cancellation and TLS pins. The io
// loop runs here, in the test's thread.
#include "solo/rpc_client.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "fake_rpc_server.h"
#include "tests/stratum/test_cert.h"

namespace synthminer::solo {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FakeReply;
using testing::FakeRpcServer;
using testing::rpc_error;
using testing::rpc_result;
using testing::SeenRequest;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RpcClientTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (client) client->cancel();
    if (server) server->stop();
    for (int i = 0; i < 10; ++i) {
      io.restart();
      io.poll();
    }
    std::remove(cookie_path.c_str());
  }

  void serve(FakeRpcServer::Script script, asio::ssl::context* tls = nullptr) {
    server = std::make_unique<FakeRpcServer>(io, std::move(script), tls);
  }
  std::shared_ptr<RpcClient> connect(RpcCredentials login = {"alice", "s3cret", ""},
                                     RpcLimits limits = {}, stratum::TlsSettings tls = {},
                                     uint16_t port = 0) {
    RpcEndpoint endpoint{"127.0.0.1", port != 0 ? port : server->port(), tls};
    client = std::make_shared<RpcClient>(io, endpoint, std::move(login), limits);
    return client;
  }
  RpcCredentials cookie_login() { return {"ignored", "ignored", cookie_path}; }
  void write_cookie(const std::string& text) { std::ofstream(cookie_path) << text << "\n"; }

  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > end) return false;
      io.restart();
      io.run_one_for(10ms);
    }
    return true;
  }
  RpcResult call(const std::string& method, json params = json::array(),
                 std::chrono::milliseconds timeout = 5s) {
    std::optional<RpcResult> out;
    client->call(method, std::move(params), timeout, [&](RpcResult r) { out = std::move(r); });
    EXPECT_TRUE(run_until([&] { return out.has_value(); })) << method << ": no answer";
    if (!out) return RpcError{RpcErrorKind::kTransport, 0, "test: no answer"};
    return std::move(*out);
  }
  static FakeRpcServer::Script answer(json result) {
    return [result](const SeenRequest& r) { return rpc_result(r, result); };
  }
  static FakeRpcServer::Script answer_error(int code, std::string message, unsigned status) {
    return [=](const SeenRequest& r) { return rpc_error(r, code, message, status); };
  }
  static FakeRpcServer::Script reply(FakeReply fixed) {
    return [fixed](const SeenRequest&) { return fixed; };
  }

  asio::io_context io;
  std::unique_ptr<FakeRpcServer> server;
  std::shared_ptr<RpcClient> client;
  std::string cookie_path =
      ::testing::TempDir() + "synthminer_rpc_cookie_" + std::to_string(getpid());
};

TEST_F(RpcClientTest, ReturnsTheResult) {
  serve(answer({{"height", 840000}, {"bits", "17034219"}}));
  connect();
  const RpcResult r = call("getblocktemplate", json::array({{{"rules", {"segwit"}}}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("height"), 840000);
  ASSERT_EQ(server->requests().size(), 1u);
  const SeenRequest& seen = server->requests()[0];
  EXPECT_EQ(seen.method, testing::http::verb::post);
  EXPECT_EQ(seen.target, "/");
  EXPECT_EQ(seen.content_type, "application/json");
  EXPECT_EQ(seen.host, "127.0.0.1:" + std::to_string(server->port()));
  EXPECT_EQ(seen.body.at("jsonrpc"), "1.0");
  EXPECT_EQ(seen.body.at("method"), "getblocktemplate");
  EXPECT_TRUE(seen.body.at("id").is_number_unsigned());
  EXPECT_EQ(seen.body.at("params")[0].at("rules")[0], "segwit");
}

TEST_F(RpcClientTest, AuthorizationCarriesUserAndPassword) {
  serve(answer(nullptr));
  connect({"alice", "s3cret", ""});
  ASSERT_TRUE(call("submitblock", json::array({"00"})).ok());
  EXPECT_EQ(server->requests().at(0).authorization, "Basic YWxpY2U6czNjcmV0");  // alice:s3cret
}

TEST_F(RpcClientTest, CookieReadAgainAfter401WhenTheNodeRotatedIt) {
  std::string accepted = "Basic X19jb29raWVfXzpmaXJzdA==";  // __cookie__:first
  serve([&](const SeenRequest& r) {
    if (r.authorization != accepted) return testing::http_reply(401);
    return rpc_result(r, "ok");
  });
  write_cookie("__cookie__:first");
  connect(cookie_login());
  ASSERT_TRUE(call("getblockcount").ok());
  // The node restarted with a new cookie; the kept-alive connection still
  // carries the old login.
  write_cookie("__cookie__:second");
  accepted = "Basic X19jb29raWVfXzpzZWNvbmQ=";  // __cookie__:second
  const RpcResult r = call("getblockcount");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(server->requests().size(), 3u);
  EXPECT_EQ(server->requests()[1].authorization, "Basic X19jb29raWVfXzpmaXJzdA==");
  EXPECT_EQ(server->requests()[2].authorization, accepted);
}

TEST_F(RpcClientTest, WrongCookieRetriesOnceThenUnauthorized) {
  serve(reply(testing::http_reply(401)));
  write_cookie("__cookie__:stale");
  connect(cookie_login());
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kUnauthorized);
  EXPECT_EQ(r.error().code, 401);
  EXPECT_EQ(r.error().message, "the node refused the RPC credentials (HTTP 401)");
  EXPECT_EQ(server->requests().size(), 2u) << "one retry, never a loop";
}

TEST_F(RpcClientTest, WrongPasswordIsUnauthorizedWithoutRetry) {
  serve(reply(testing::http_reply(401)));
  connect({"alice", "wrong", ""});
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kUnauthorized);
  EXPECT_FALSE(contains(r.error().message, "wrong"));
  EXPECT_EQ(server->requests().size(), 1u) << "a password cannot change: nothing to retry";
}

TEST_F(RpcClientTest, MissingCookieNamesThePath) {
  serve(answer(1));
  connect(cookie_login());
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kCookie);
  EXPECT_TRUE(contains(r.error().message, cookie_path)) << r.error().message;
  EXPECT_TRUE(server->requests().empty());
}

TEST_F(RpcClientTest, CookieMissingAtTheRetryIsReported) {
  serve([&](const SeenRequest&) {
    std::remove(cookie_path.c_str());  // the node restarts: its cookie is gone for now
    return testing::http_reply(401);
  });
  write_cookie("__cookie__:old");
  connect(cookie_login());
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kCookie);
  EXPECT_EQ(server->requests().size(), 1u);
}

TEST_F(RpcClientTest, RpcErrorWithHttp500) {
  serve(answer_error(-8, "Block height out of range", 500));
  connect();
  const RpcResult r = call("getblockhash", json::array({999999999}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kRpc);
  EXPECT_EQ(r.error().code, -8);
  EXPECT_EQ(r.error().message, "Block height out of range");
}

TEST_F(RpcClientTest, RpcErrorWithHttp200) {
  serve(answer_error(-10, "Bitcoin Core is in initial sync", 200));
  connect();
  const RpcResult r = call("getblocktemplate");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kRpc);
  EXPECT_EQ(r.error().code, -10);
  EXPECT_EQ(r.error().message, "Bitcoin Core is in initial sync");
}

TEST_F(RpcClientTest, MethodNotFoundWithHttp404) {
  serve(answer_error(-32601, "Method not found", 404));
  connect();
  const RpcResult r = call("nosuchmethod");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kRpc);
  EXPECT_EQ(r.error().code, -32601);
}

TEST_F(RpcClientTest, ForbiddenNamesRpcAllowIp) {
  serve(reply(testing::http_reply(403)));
  connect();
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kHttpStatus);
  EXPECT_EQ(r.error().code, 403);
  EXPECT_TRUE(contains(r.error().message, "rpcallowip")) << r.error().message;
}

TEST_F(RpcClientTest, NotJson) {
  serve(reply(testing::http_reply(200, "<html>proxy says hello</html>")));
  connect();
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed);
  EXPECT_TRUE(contains(r.error().message, "not JSON")) << r.error().message;
  EXPECT_FALSE(contains(r.error().message, "proxy says"));
}

TEST_F(RpcClientTest, NoResultMember) {
  serve([](const SeenRequest& r) {
    return testing::http_reply(200, json{{"error", nullptr}, {"id", r.body.at("id")}}.dump());
  });
  connect();
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed);
  EXPECT_TRUE(contains(r.error().message, "result")) << r.error().message;
}

TEST_F(RpcClientTest, OverTheSizeLimit) {
  serve(answer(std::string(4096, 'a')));
  RpcLimits limits;
  limits.max_response_bytes = 1024;
  connect({"alice", "s3cret", ""}, limits);
  const RpcResult r = call("getblocktemplate");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed);
  EXPECT_TRUE(contains(r.error().message, "over 1024 bytes")) << r.error().message;
  // The connection is dropped with the rest of that answer; the next call works.
  server->set_script(answer(1));
  EXPECT_TRUE(call("getblockcount").ok());
}

TEST_F(RpcClientTest, OverTheSizeLimitWithoutContentLength) {
  // Chunked, and read until the node closes: the limit holds for both.
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              std::string("400\r\n") + std::string(1024, 'a') + "\r\n" +
                              std::string("400\r\n") + std::string(1024, 'a') + "\r\n0\r\n\r\n";
  const std::string to_eof =
      "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(4096, 'a');
  for (const std::string& raw : {chunked, to_eof}) {
    serve(reply(testing::raw_bytes(raw)));
    RpcLimits limits;
    limits.max_response_bytes = 1500;
    connect({"alice", "s3cret", ""}, limits);
    const RpcResult r = call("getblocktemplate");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed) << r.error().message;
    EXPECT_TRUE(contains(r.error().message, "over 1500 bytes")) << r.error().message;
  }
}

TEST_F(RpcClientTest, OverTheDepthLimit) {
  serve(reply(testing::http_reply(200, std::string(100000, '['))));
  connect();
  const RpcResult r = call("getblocktemplate");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed);
  EXPECT_TRUE(contains(r.error().message, "deeper than")) << r.error().message;
}

TEST_F(RpcClientTest, TimeoutWhenTheNodeNeverAnswers) {
  serve(reply(testing::silence()));
  connect();
  const RpcResult r = call("getblocktemplate", json::array(), 200ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kTimeout);
  EXPECT_TRUE(contains(r.error().message, "0.2 s")) << r.error().message;
  // The abandoned connection is not reused: the next call opens another.
  server->set_script(answer(7));
  const RpcResult next = call("getblockcount");
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(*next, 7);
  EXPECT_EQ(server->requests().back().connection, 2u);
}

TEST_F(RpcClientTest, ConnectionRefused) {
  uint16_t port = 0;
  {
    testing::Tcp::acceptor probe(io, {asio::ip::address_v4::loopback(), 0});
    port = probe.local_endpoint().port();
  }
  connect({"alice", "s3cret", ""}, {}, {}, port);
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kTransport);
  EXPECT_TRUE(contains(r.error().message, "127.0.0.1:" + std::to_string(port)))
      << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "refused")) << r.error().message;
}

TEST_F(RpcClientTest, ClosedInTheMiddleOfTheAnswer) {
  serve(reply(testing::raw_bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":")));
  connect();
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kTransport);
  EXPECT_TRUE(contains(r.error().message, "in the middle")) << r.error().message;
  EXPECT_EQ(server->requests().size(), 1u) << "an answer had begun: no retry";
}

TEST_F(RpcClientTest, KeepAlive) {
  serve(answer(1));
  connect();
  ASSERT_TRUE(call("getblockcount").ok());
  ASSERT_TRUE(call("getblockcount").ok());
  EXPECT_EQ(client->connections_opened(), 1u);
  EXPECT_EQ(server->connections(), 1u);
}

TEST_F(RpcClientTest, ReconnectsWhenTheNodeSaysClose) {
  serve([](const SeenRequest& r) {
    FakeReply out = rpc_result(r, 1);
    out.close = true;
    return out;
  });
  connect();
  ASSERT_TRUE(call("getblockcount").ok());
  const RpcResult second = call("getblockcount");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(client->connections_opened(), 2u);
  EXPECT_EQ(server->requests().size(), 2u);
}

TEST_F(RpcClientTest, ReconnectsWhenTheNodeClosedAnIdleConnection) {
  serve([](const SeenRequest& r) {
    FakeReply out = rpc_result(r, 1);
    out.close_quietly = true;  // keep-alive promised, then closed while idle
    return out;
  });
  connect();
  ASSERT_TRUE(call("getblockcount").ok());
  // Let the close arrive before the next call is written.
  run_until([] { return false; }, 50ms);
  const RpcResult second = call("getblockcount");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(server->requests().size(), 2u);
  EXPECT_EQ(server->connections(), 2u);
}

TEST_F(RpcClientTest, CallsRunInOrder) {
  serve([](const SeenRequest& r) { return rpc_result(r, r.body.at("method")); });
  connect();
  std::vector<std::string> answers;
  for (const char* method : {"first", "second", "third"}) {
    client->call(method, json::array(), 5s, [&](RpcResult r) {
      answers.push_back(r.ok() ? r->get<std::string>() : "error: " + r.error().message);
    });
  }
  ASSERT_TRUE(run_until([&] { return answers.size() == 3; }));
  EXPECT_EQ(answers, (std::vector<std::string>{"first", "second", "third"}));
  ASSERT_EQ(server->requests().size(), 3u);
  EXPECT_EQ(server->requests()[0].body.at("method"), "first");
  EXPECT_EQ(server->requests()[2].body.at("method"), "third");
}

TEST_F(RpcClientTest, DoneIsNeverCalledFromInsideCall) {
  serve(answer(1));
  connect(cookie_login());  // no cookie file: the call fails at once
  bool done = false;
  client->call("getblockcount", json::array(), 5s, [&](RpcResult) { done = true; });
  EXPECT_FALSE(done);
  EXPECT_TRUE(run_until([&] { return done; }));
}

TEST_F(RpcClientTest, CancelEndsTheCallInFlightAndTheQueued) {
  serve(reply(testing::silence()));
  connect();
  std::vector<std::pair<std::string, RpcErrorKind>> ended;
  for (const char* method : {"a", "b", "c"}) {
    client->call(method, json::array(), 5s, [&, method](RpcResult r) {
      ended.emplace_back(method, r.ok() ? RpcErrorKind::kTransport : r.error().kind);
    });
  }
  ASSERT_TRUE(run_until([&] { return server->requests().size() == 1; }));
  client->cancel();
  EXPECT_TRUE(ended.empty()) << "posted, not run inside cancel()";
  ASSERT_TRUE(run_until([&] { return ended.size() == 3; }));
  const std::vector<std::pair<std::string, RpcErrorKind>> expected = {
      {"a", RpcErrorKind::kCancelled},
      {"b", RpcErrorKind::kCancelled},
      {"c", RpcErrorKind::kCancelled}};
  EXPECT_EQ(ended, expected);
  EXPECT_EQ(server->requests().size(), 1u);
  // The client works again afterwards, on a new connection.
  server->set_script(answer(2));
  const RpcResult again = call("getblockcount");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(client->connections_opened(), 2u);
}

TEST_F(RpcClientTest, TextFromTheNodeComesBackPrintable) {
  serve(answer_error(-25, "bad\n<3>forged\x1b[2J" + std::string(5000, 'x'), 500));
  connect();
  const RpcResult r = call("submitblock", json::array({"00"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kRpc);
  const std::string& message = r.error().message;
  for (const char c : message) {
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F)
        << message;
  }
  EXPECT_TRUE(contains(message, "bad\\n<3>forged\\x1b[2J")) << message;
  EXPECT_LE(message.size(), 260u);
}

class RpcClientTls : public RpcClientTest {
 protected:
  static void SetUpTestSuite() {
    cert_ = new stratum::testing::TestCert(stratum::testing::make_self_signed());
  }
  static void TearDownTestSuite() { delete cert_; }
  void SetUp() override {
    tls_ctx.use_certificate_chain(asio::buffer(cert_->cert_pem));
    tls_ctx.use_private_key(asio::buffer(cert_->key_pem), asio::ssl::context::pem);
    serve(answer("over TLS"), &tls_ctx);
  }
  static stratum::TlsSettings pinned(const protocol::Hash256& pin) {
    stratum::TlsSettings tls;
    tls.enabled = true;
    tls.pin = pin;
    return tls;
  }

  static stratum::testing::TestCert* cert_;
  asio::ssl::context tls_ctx{asio::ssl::context::tls_server};
};
stratum::testing::TestCert* RpcClientTls::cert_ = nullptr;

TEST_F(RpcClientTls, PinnedSelfSignedCertificateWorks) {
  connect({"alice", "s3cret", ""}, {}, pinned(cert_->fingerprint));
  const RpcResult r = call("getblockcount");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "over TLS");
  ASSERT_TRUE(call("getblockcount").ok());
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(RpcClientTls, WrongPinIsRefused) {
  protocol::Hash256 wrong = cert_->fingerprint;
  wrong[0] ^= 0xFF;
  connect({"alice", "s3cret", ""}, {}, pinned(wrong));
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kTransport);
  EXPECT_TRUE(contains(r.error().message, "TLS")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "does not match the pin")) << r.error().message;
  EXPECT_TRUE(server->requests().empty()) << "nothing, not even the login, is sent";
}

TEST_F(RpcClientTls, UnknownCaIsRefusedWithoutAPin) {
  stratum::TlsSettings tls;
  tls.enabled = true;
  connect({"alice", "s3cret", ""}, {}, tls);
  const RpcResult r = call("getblockcount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kTransport);
  EXPECT_TRUE(contains(r.error().message, "TLS handshake")) << r.error().message;
  EXPECT_TRUE(server->requests().empty());
}

}  // namespace
}  // namespace synthminer::solo
