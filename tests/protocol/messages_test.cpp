// Parsing and building Stratum v1 messages, in the shapes real pools send
// (see shared/POOLS.md), and clear errors for bad input.
#include "protocol/messages.h"

#include <gtest/gtest.h>

namespace synthminer::protocol {
namespace {

TEST(ParseLine, KindsOfMessage) {
  auto req = parse_line(R"({"id":7,"method":"client.get_version","params":[]})");
  ASSERT_TRUE(req.ok()) << req.error();
  EXPECT_EQ(req->kind, Incoming::Kind::kRequest);
  EXPECT_EQ(req->method, "client.get_version");

  auto note = parse_line(R"({"id":null,"method":"mining.set_difficulty","params":[2]})");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->kind, Incoming::Kind::kNotification);

  auto no_params = parse_line(R"({"method":"mining.ping"})");
  ASSERT_TRUE(no_params.ok());
  EXPECT_TRUE(no_params->params.is_array());

  auto resp = parse_line(R"({"id":4,"result":true,"error":null})");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->kind, Incoming::Kind::kResponse);
  EXPECT_EQ(resp->result, true);
  EXPECT_EQ(resp->error, "");
}

TEST(ParseLine, RejectsWhatIsNotAMessage) {
  EXPECT_EQ(parse_line("{not json").error(), "not valid JSON");
  EXPECT_EQ(parse_line("[1,2]").error(), "not a JSON object");
  EXPECT_EQ(parse_line(R"({"result":true})").error(), "neither a method nor a response id");
  EXPECT_EQ(parse_line(R"({"id":1,"method":5})").error(), "method must be a string");
  EXPECT_EQ(parse_line(R"({"id":1,"method":"x","params":{}})").error(),
            "params of x must be an array");
  EXPECT_FALSE(parse_line(R"({"id":[1],"result":true})").ok());
  EXPECT_FALSE(parse_line("").ok());
}

TEST(ErrorReason, EveryShapePoolsUse) {
  EXPECT_EQ(
      error_reason(json::parse(R"({"id":4,"result":null,"error":[21,"Job not found",null]})")),
      "Job not found (21)");
  EXPECT_EQ(error_reason(json::parse(R"({"error":{"code":23,"message":"Low difficulty share"}})")),
            "Low difficulty share (23)");
  EXPECT_EQ(error_reason(json::parse(R"({"error":"Stale"})")), "Stale");
  EXPECT_EQ(error_reason(json::parse(
                R"({"result":false,"error":null,"reject-reason":"Above target","id":9})")),
            "Above target");
  EXPECT_EQ(error_reason(json::parse(R"({"result":false,"error":null})")),
            "rejected (no reason given)");
  EXPECT_EQ(error_reason(json::parse(R"({"result":true,"error":null})")), "");
  EXPECT_EQ(error_reason(json::parse(R"({"error":[22]})")), "error 22 (22)");
}

TEST(Subscribe, NestedTwoSubscriptions) {
  auto r = parse_subscribe_result(
      json::parse(R"([[["mining.set_difficulty","b4b6"],["mining.notify","ae68"]],"08000002",4])"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->extranonce.extranonce1, (std::vector<uint8_t>{8, 0, 0, 2}));
  EXPECT_EQ(r->extranonce.extranonce2_size, 4u);
  EXPECT_EQ(r->session_id, "ae68");
}

TEST(Subscribe, NestedOneSubscriptionCkpool) {
  auto r = parse_subscribe_result(json::parse(R"([[["mining.notify","6b018894"]],"9488016b",8])"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->extranonce.extranonce2_size, 8u);
  EXPECT_EQ(r->session_id, "6b018894");
}

TEST(Subscribe, FlatWithEmptyExtranonce1P2pool) {
  auto r = parse_subscribe_result(json::parse(R"([["mining.notify","ae68"],"",4])"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->extranonce.extranonce1.empty());
  EXPECT_EQ(r->session_id, "ae68");
}

TEST(ParseLine, NestingDeeperThan64LevelsIsRefusedBeforeParsing) {
  // 100,000 levels: a copy or dump of the parsed value would overflow the stack.
  const std::string deep =
      R"({"id": 1, "result": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const auto r = parse_line(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("deeper than 64"), std::string::npos) << r.error();
  // Brackets inside strings do not count, and 64 levels are fine.
  EXPECT_TRUE(parse_line(R"({"id": 1, "result": ")" + std::string(500, '[') + R"("})").ok());
  EXPECT_TRUE(
      parse_line(R"({"id": 1, "result": )" + std::string(63, '[') + std::string(63, ']') + "}")
          .ok());
}

TEST(Subscribe, AnExtranonce2SizeOfZeroIsAccepted) {
  // Some pools leave no extranonce2 space; refusing it made the client
  // reconnect for ever.
  auto r = parse_subscribe_result(json::parse(R"([[],"0800aabb",0])"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->extranonce.extranonce2_size, 0u);
  auto set = parse_set_extranonce(json::parse(R"(["0800",0])"));
  ASSERT_TRUE(set.ok()) << set.error();
  EXPECT_EQ(set->extranonce2_size, 0u);
}

TEST(Subscribe, BadShapesSayWhatIsWrong) {
  EXPECT_FALSE(parse_subscribe_result(json::parse(R"([[],"0800"])")).ok());
  EXPECT_NE(parse_subscribe_result(json::parse(R"([[],"08zz",4])")).error().find("extranonce1"),
            std::string::npos);
  EXPECT_NE(parse_subscribe_result(json::parse(R"([[],"08",-1])")).error().find("extranonce2_size"),
            std::string::npos);
  EXPECT_NE(parse_subscribe_result(json::parse(R"([[],"08",17])")).error().find("0..16"),
            std::string::npos);
  EXPECT_NE(parse_subscribe_result(json::parse(R"([[],"08","4"])")).error().find("integer"),
            std::string::npos);
}

json good_notify() {
  return json::parse(R"(["bf","4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000",
    "0100","0200",["4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000"],
    "00000002","1c2ac4af","504e86b9",true])");
}

TEST(Notify, ParsesEveryField) {
  auto job = parse_notify(good_notify());
  ASSERT_TRUE(job.ok()) << job.error();
  EXPECT_EQ(job->job_id, "bf");
  EXPECT_EQ(job->prevhash[0], 0x4d);
  EXPECT_EQ(job->coinb1, (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(job->merkle_branch.size(), 1u);
  EXPECT_EQ(job->version, 2u);
  EXPECT_EQ(job->nbits, 0x1c2ac4afu);
  EXPECT_EQ(job->ntime, 0x504e86b9u);
  EXPECT_TRUE(job->clean_jobs);
}

TEST(Notify, EachBadFieldIsNamed) {
  struct Case {
    size_t index;
    json value;
    const char* expect;
  };
  const Case cases[] = {
      {0, 5, "job_id"},
      {0, "", "job_id"},
      {1, "4d16", "prevhash must be 32..32 bytes"},
      {1, std::string(64, 'x'), "prevhash is not valid hex"},
      {2, "abc", "coinb1 is not valid hex"},
      {3, 12, "coinb2 must be a hex string"},
      {4, "nope", "merkle_branch"},
      {4, json::array({"00"}), "merkle branch entry must be 32..32 bytes"},
      {5, "2", "version must be 8 hex digits"},
      {6, 486604799, "nbits must be an 8-digit hex string"},
      {7, "504e86bg", "ntime must be 8 hex digits"},
      {8, "true", "clean_jobs"},
  };
  for (const Case& c : cases) {
    json params = good_notify();
    params[c.index] = c.value;
    auto job = parse_notify(params);
    ASSERT_FALSE(job.ok()) << "field " << c.index;
    EXPECT_NE(job.error().find(c.expect), std::string::npos) << job.error();
  }
  EXPECT_FALSE(parse_notify(json::array({"bf"})).ok());
}

TEST(Difficulty, IntegersAndFractions) {
  EXPECT_EQ(*parse_set_difficulty(json::parse("[1024]")), 1024.0);
  EXPECT_EQ(*parse_set_difficulty(json::parse("[0.01]")), 0.01);
  EXPECT_FALSE(parse_set_difficulty(json::parse("[0]")).ok());
  EXPECT_FALSE(parse_set_difficulty(json::parse("[-3]")).ok());
  EXPECT_FALSE(parse_set_difficulty(json::parse(R"(["8"])")).ok());
  EXPECT_FALSE(parse_set_difficulty(json::parse("[]")).ok());
}

TEST(Extensions, SetExtranonceVersionMaskConfigure) {
  auto en = parse_set_extranonce(json::parse(R"(["aabbccdd", 8])"));
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->extranonce1.size(), 4u);
  EXPECT_EQ(en->extranonce2_size, 8u);
  EXPECT_FALSE(parse_set_extranonce(json::parse(R"(["aabbccdd"])")).ok());

  EXPECT_EQ(*parse_set_version_mask(json::parse(R"(["1fffe000"])")), 0x1fffe000u);
  EXPECT_FALSE(parse_set_version_mask(json::parse("[536862720]")).ok());

  auto granted = parse_configure_result(
      json::parse(R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})"));
  ASSERT_TRUE(granted.ok());
  EXPECT_TRUE(granted->version_rolling);
  EXPECT_EQ(granted->mask, 0x1fffe000u);
  auto refused = parse_configure_result(json::parse(R"({"version-rolling":false})"));
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->version_rolling);
  EXPECT_FALSE(parse_configure_result(json::parse(R"({"version-rolling":true})")).ok());
}

TEST(Extensions, ReconnectPortAsNumberOrString) {
  auto a = parse_reconnect(json::parse(R"(["pool.example", 3333, 5])"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "pool.example");
  EXPECT_EQ(a->port, 3333);
  EXPECT_EQ(a->wait_seconds, 5u);
  auto b = parse_reconnect(json::parse(R"(["pool.example", "3334"])"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 3334);
  auto same = parse_reconnect(json::array());
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->host.empty());
  EXPECT_FALSE(parse_reconnect(json::parse(R"(["h", "33x"])")).ok());
  EXPECT_FALSE(parse_reconnect(json::parse(R"(["h", 70000])")).ok());
  EXPECT_FALSE(parse_reconnect(json::parse(R"(["h", 1, -1])")).ok());
  auto empty_port = parse_reconnect(json::parse(R"(["", "", 1])"));
  ASSERT_TRUE(empty_port.ok()) << empty_port.error();
  EXPECT_FALSE(empty_port->port.has_value());
  EXPECT_EQ(parse_reconnect(json::parse(R"(["h", 1, 999999])"))->wait_seconds, 3600u);
}

TEST(Requests, Shapes) {
  EXPECT_EQ(make_request(3, "mining.authorize", authorize_params("u", "p")),
            "{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"u\",\"p\"]}\n");
  EXPECT_EQ(subscribe_params("synthminer/0.1", std::nullopt), json::parse(R"(["synthminer/0.1"])"));
  EXPECT_EQ(subscribe_params("a", std::string("ae68")), json::parse(R"(["a","ae68"])"));
  EXPECT_EQ(configure_params(0x1fffe000)[1]["version-rolling.mask"], "1fffe000");
  // ckpool ignores a float: always an integer.
  EXPECT_TRUE(suggest_difficulty_params(1.7)[0].is_number_integer());
  EXPECT_EQ(suggest_difficulty_params(1.7)[0], 2);
  EXPECT_EQ(suggest_difficulty_params(0.01)[0], 1);

  Share s{"bf", {0, 0, 0, 1}, 0x504e86ed, 0xb2957c02, std::nullopt};
  EXPECT_EQ(submit_params("slush.miner1", s),
            json::parse(R"(["slush.miner1","bf","00000001","504e86ed","b2957c02"])"));
  s.version_bits = 0x00002000;
  EXPECT_EQ(submit_params("w", s)[5], "00002000");
  EXPECT_EQ(make_response(json(7), "pong"), "{\"error\":null,\"id\":7,\"result\":\"pong\"}\n");
}

}  // namespace
}  // namespace synthminer::protocol
