// What the client logs of a hostile pool: the pool's text made printable
// (no forged journal entries, no terminal escapes), and floods of one kind
// of event bounded by the log throttle while every share is still counted.
#include <gtest/gtest.h>
#include <sstream>

#include "client_test_util.h"
#include "log_capture.h"

namespace synthminer::stratum {
namespace {

using testing::run_until;

class ClientLogging : public testing::ClientAgainstDemoPool {
 protected:
  size_t lines_with(const std::string& needle) const {
    std::istringstream in(log.text());
    size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
  }

  testing::LogCapture log;  // made before the pool's thread starts
};

bool only_printable_ascii_lines(const std::string& text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c != '\n' && (c < 0x20 || c >= 0x7F)) return false;
  }
  return true;
}

TEST_F(ClientLogging, AHostileRejectReasonCannotForgeJournalEntriesOrEscapes) {
  start_pool();
  pool->set_unanswered({"mining.submit"});
  start_client();
  ASSERT_TRUE(wait_ready());
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  nlohmann::json submit_id;
  ASSERT_TRUE(run_until(io, [&] {
    for (const auto& m : pool->received()) {
      if (m.message.method == "mining.submit") submit_id = m.message.id;
    }
    return !submit_id.is_null();
  }));
  const nlohmann::json reply = {
      {"id", submit_id},
      {"result", false},
      {"error", {23, "Duplicate\n<3>synthminerd: forged entry \x1b[31mred\x1b[0m", nullptr}}};
  pool->send_line(reply.dump());
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kRejected);

  const std::string text = log.text();
  EXPECT_TRUE(only_printable_ascii_lines(text)) << text;
  EXPECT_EQ(lines_with("<3>"), lines_with("] share rejected")) << text;  // never at a line start
  EXPECT_NE(text.find("Duplicate\\n<3>synthminerd: forged entry \\x1b[31mred"), std::string::npos)
      << text;
}

TEST_F(ClientLogging, ARejectFloodLogsOnlyWhatTheThrottleAllowsAndCountsEveryShare) {
  start_pool();
  start_client([](ClientOptions& o) { o.log_throttle = {.burst = 3, .per_second = 0}; });
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem& job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  constexpr size_t kSubmits = 40;  // one accepted, then shares that miss the target
  client->submit(*share);
  protocol::Share bad = *share;
  for (size_t sent = 1; sent < kSubmits;) {
    ++bad.nonce;
    const auto h = protocol::share_header(job.job, job.extranonce, bad.extranonce2, job.job.version,
                                          bad.ntime, bad.nonce);
    if (hashcore::meets_target(hashcore::sha256d(h), job.share_target)) continue;
    client->submit(bad);
    ++sent;
  }
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == kSubmits; }));

  EXPECT_EQ(lines_with("] share rejected"), 3u) << log.text();
  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.accepted, 1u);
  EXPECT_EQ(s.rejected, kSubmits - 1);
}

TEST_F(ClientLogging, ABadLineFloodLogsOnlyWhatTheThrottleAllows) {
  start_pool();
  start_client([](ClientOptions& o) { o.log_throttle = {.burst = 2, .per_second = 0}; });
  ASSERT_TRUE(wait_ready());
  for (int i = 0; i < 30; ++i) pool->send_garbage();
  pool->send_notification("client.show_message", {"after the garbage"});
  ASSERT_TRUE(
      run_until(io, [&] { return log.text().find("after the garbage") != std::string::npos; }));
  EXPECT_EQ(lines_with("ignoring a bad line"), 2u) << log.text();
  EXPECT_TRUE(client->ready());  // garbage is ignored, not fatal
}

}  // namespace
}  // namespace synthminer::stratum
