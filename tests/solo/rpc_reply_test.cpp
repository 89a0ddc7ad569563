// The pure half of the RPC client: the request body, answers judged into
// results and errors, the cookie file, the Basic header, and the bounds on
// text from the node.
#include "solo/rpc_reply.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "solo/rpc_auth.h"

namespace synthminer::solo {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

bool all_printable(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) return false;
  }
  return true;
}

TEST(RpcReply, RequestBodyIsJsonRpc10) {
  const json body =
      json::parse(rpc_request_body(7, "getblocktemplate", json::array({{{"rules", {"segwit"}}}})));
  EXPECT_EQ(body.at("jsonrpc"), "1.0");
  EXPECT_EQ(body.at("id"), 7);
  EXPECT_EQ(body.at("method"), "getblocktemplate");
  EXPECT_EQ(body.at("params")[0].at("rules")[0], "segwit");
}

TEST(RpcReply, ResultOf200) {
  const auto r = interpret_rpc_reply(200, R"({"result":{"height":5},"error":null,"id":3})", 3, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("height"), 5);
}

TEST(RpcReply, NullResultIsAResult) {
  // submitblock answers null when the block is accepted.
  const auto r = interpret_rpc_reply(200, R"({"result":null,"error":null,"id":1})", 1, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_null());
}

TEST(RpcReply, ErrorWith500And404And200) {
  for (const unsigned status : {500U, 404U, 200U}) {
    const auto r = interpret_rpc_reply(
        status, R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1})", 1,
        {});
    ASSERT_FALSE(r.ok()) << status;
    EXPECT_EQ(r.error().kind, RpcErrorKind::kRpc) << status;
    EXPECT_EQ(r.error().code, -32601);
    EXPECT_EQ(r.error().message, "Method not found");
  }
}

TEST(RpcReply, OtherStatusWithoutJsonError) {
  const auto r = interpret_rpc_reply(503, "Service Unavailable", 1, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kHttpStatus);
  EXPECT_EQ(r.error().code, 503);
  EXPECT_EQ(r.error().message.find("Unavailable"), std::string::npos) << "never the body";
}

TEST(RpcReply, ForbiddenNamesRpcAllowIp) {
  const auto r = interpret_rpc_reply(403, "", 1, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kHttpStatus);
  EXPECT_EQ(r.error().code, 403);
  EXPECT_NE(r.error().message.find("rpcallowip"), std::string::npos);
}

TEST(RpcReply, MalformedAnswersNeverQuoteTheBody) {
  const struct {
    std::string body;
    std::string says;
  } cases[] = {
      {"secret-looking <html> not json", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"error":null,"id":1,"secret":1})", "no \"result\""},
      {R"({"result":1,"error":null,"id":99})", "another request"},
  };
  for (const auto& c : cases) {
    const auto r = interpret_rpc_reply(200, c.body, 1, {});
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed) << c.body;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
  }
}

TEST(RpcReply, DepthCheckedBeforeParsing) {
  const std::string deep(100000, '[');
  const auto r = interpret_rpc_reply(200, deep, 1, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::kMalformed);
  EXPECT_NE(r.error().message.find("deeper than 64"), std::string::npos) << r.error().message;
  RpcLimits tight;
  tight.max_json_depth = 2;
  const auto r2 = interpret_rpc_reply(200, R"({"result":[[1]],"id":1})", 1, tight);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("deeper than 2"), std::string::npos);
}

TEST(RpcReply, NodeTextIsPrintableAndBounded) {
  const std::string hostile = "bad\n<3>forged\x1b[2J\xff";
  const std::string text = node_text(hostile);
  EXPECT_TRUE(all_printable(text)) << text;
  EXPECT_NE(text.find("bad\\n<3>forged\\x1b"), std::string::npos) << text;
  const std::string binary(5000, '\x01');
  EXPECT_LE(node_text(binary).size(), kMaxNodeTextBytes + 3);
  EXPECT_LE(node_text(std::string(5000, 'a')).size(), kMaxNodeTextBytes + 3);
  EXPECT_EQ(node_text("short"), "short");
}

TEST(RpcReply, SecondsText) {
  EXPECT_EQ(seconds_text(200ms), "0.2 s");
  EXPECT_EQ(seconds_text(30s), "30 s");
  EXPECT_EQ(seconds_text(1500ms), "1.5 s");
}

TEST(RpcAuth, BasicAuthorization) {
  EXPECT_EQ(basic_authorization({"alice", "s3cret"}), "Basic YWxpY2U6czNjcmV0");
  EXPECT_EQ(basic_authorization({"__cookie__", "ab:c"}), "Basic X19jb29raWVfXzphYjpj");
}

class Cookie : public ::testing::Test {
 protected:
  void write(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  void TearDown() override { std::remove(path.c_str()); }
  std::string path = ::testing::TempDir() + "synthminer_cookie_" + std::to_string(getpid());
};

TEST_F(Cookie, ReadsTheFirstLine) {
  write("__cookie__:abc:def\r\nignored\n");
  const auto login = read_cookie(path);
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(login->user, "__cookie__");
  EXPECT_EQ(login->password, "abc:def");
}

TEST_F(Cookie, ErrorsNameThePathNeverTheContent) {
  const struct {
    std::string content;
    std::string says;
  } cases[] = {
      {"hunter2-without-colon", "no ':'"},
      {"", "empty"},
      {":hunter2", "no user"},
      {std::string(kMaxCookieBytes + 1, 'h'), "over 4096 bytes"},
  };
  for (const auto& c : cases) {
    write(c.content);
    const auto login = read_cookie(path);
    ASSERT_FALSE(login.ok()) << c.says;
    EXPECT_EQ(login.error().kind, RpcErrorKind::kCookie);
    EXPECT_NE(login.error().message.find(path), std::string::npos) << login.error().message;
    EXPECT_NE(login.error().message.find(c.says), std::string::npos) << login.error().message;
    EXPECT_EQ(login.error().message.find("hunter2"), std::string::npos) << login.error().message;
    EXPECT_EQ(login.error().message.find("hhhh"), std::string::npos);
  }
}

TEST_F(Cookie, MissingFile) {
  const auto login = read_cookie(path + ".missing");
  ASSERT_FALSE(login.ok());
  EXPECT_EQ(login.error().kind, RpcErrorKind::kCookie);
  EXPECT_NE(login.error().message.find("No such file"), std::string::npos) << login.error().message;
}

}  // namespace
}  // namespace synthminer::solo
