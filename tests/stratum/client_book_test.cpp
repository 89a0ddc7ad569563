// The pool client's bookkeeping: line framing, request tracking, the share
// ledger and the session book that judges shares.
#include <gtest/gtest.h>

#include "stratum/line_framer.h"
#include "stratum/request_tracker.h"
#include "stratum/session_book.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;

TEST(LineFramer, SplitsLinesAcrossChunks) {
  LineFramer f(64);
  std::vector<std::string> lines;
  EXPECT_TRUE(f.feed("{\"a\":1}\n{\"b\"", lines));
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}"}));
  EXPECT_EQ(f.buffered(), 4u);
  EXPECT_TRUE(f.feed(":2}\r\n\n\nlast\n", lines));
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "last"}));
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(LineFramer, LimitIsExact) {
  LineFramer f(8);
  std::vector<std::string> lines;
  EXPECT_TRUE(f.feed("12345678\n", lines));    // exactly the limit
  EXPECT_TRUE(f.feed("12345678\r\n", lines));  // the CR does not count
  EXPECT_EQ(lines.size(), 2u);
  EXPECT_TRUE(f.feed("1234", lines));
  EXPECT_TRUE(f.feed("5678", lines));
  EXPECT_FALSE(f.feed("9", lines));   // 9 bytes and still no newline
  EXPECT_FALSE(f.feed("\n", lines));  // unusable afterwards
}

TEST(LineFramer, CompleteOverlongLineFails) {
  LineFramer f(8);
  std::vector<std::string> lines;
  EXPECT_FALSE(f.feed("ok\n123456789\nnext\n", lines));
  EXPECT_EQ(lines, (std::vector<std::string>{"ok"}));  // lines before it still count
}

TEST(LineFramer, HugeChunkWithoutNewline) {
  LineFramer f(64 * 1024);
  std::vector<std::string> lines;
  EXPECT_FALSE(f.feed(std::string(100 * 1024, 'x'), lines));
  EXPECT_LE(f.buffered(), 64u * 1024 + 1);
}

TEST(RequestTracker, AnswerTimeoutClose) {
  using Clock = RequestTracker::Clock;
  RequestTracker t;
  const auto now = Clock::now();
  std::vector<std::string> log;
  auto note = [&log](std::string what) {
    return [&log, what](const Reply& r) {
      log.push_back(what + ":" + std::to_string(static_cast<int>(r.status)) + ":" + r.error);
    };
  };
  const uint64_t a = t.add("mining.subscribe", now + 1s, note("a"));
  const uint64_t b = t.add("mining.submit", now + 2s, note("b"));
  const uint64_t c = t.add("mining.extranonce.subscribe", std::nullopt, note("c"));
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(t.next_deadline(), now + 1s);
  EXPECT_EQ(t.method_of(b), "mining.submit");

  EXPECT_TRUE(t.answer(a, true, ""));
  EXPECT_FALSE(t.answer(a, true, ""));  // twice
  EXPECT_FALSE(t.answer(99, true, ""));
  t.expire(now + 1500ms);
  EXPECT_EQ(t.size(), 2u);
  t.expire(now + 2s);
  EXPECT_EQ(t.size(), 1u);              // c never times out
  EXPECT_FALSE(t.answer(b, true, ""));  // a late reply is unknown
  t.close_all();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(log, (std::vector<std::string>{"a:0:", "b:1:timeout", "c:2:disconnected"}));
  EXPECT_EQ(t.next_id(), c + 1);
}

TEST(RequestTracker, CallbackMayAddAndClose) {
  RequestTracker t;
  int closed = 0;
  t.add("x", std::nullopt, [&](const Reply&) {
    t.add("y", std::nullopt, [&](const Reply& r) { closed += r.status == Reply::Status::kClosed; });
    t.close_all();
  });
  t.answer(1, nullptr, "");
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(t.size(), 0u);
}

protocol::Job make_job(std::string id, uint8_t prev, bool clean) {
  protocol::Job j;
  j.job_id = std::move(id);
  j.prevhash.fill(prev);
  j.clean_jobs = clean;
  return j;
}

protocol::Share share_for(std::string job_id) {
  protocol::Share s;
  s.job_id = std::move(job_id);
  return s;
}

TEST(SessionBook, CurrentSession) {
  SessionBook book;
  const protocol::Extranonce en{{1, 2, 3, 4}, 4};
  EXPECT_EQ(book.judge(share_for("a"), 0, false, 0).reason, "no session");
  const uint64_t s1 = book.open(0, en);
  book.add_job(make_job("a", 1, true), en, 2.0);
  book.add_job(make_job("b", 1, false), en, 4.0);

  Verdict v = book.judge(share_for("a"), s1, true, 0);
  EXPECT_EQ(v.kind, Verdict::Kind::kSend);
  EXPECT_DOUBLE_EQ(v.difficulty, 2.0);  // the job's own difficulty
  EXPECT_EQ(book.judge(share_for("b"), 0, false, 0).kind, Verdict::Kind::kWait);
  EXPECT_EQ(book.judge(share_for("zz"), s1, true, 0).reason, "unknown job");

  book.add_job(make_job("c", 2, true), en, 4.0);
  EXPECT_EQ(book.judge(share_for("a"), s1, true, 0).reason, "job cleaned");
  EXPECT_EQ(book.judge(share_for("c"), s1, true, 0).kind, Verdict::Kind::kSend);
}

TEST(SessionBook, ResumedSessionKeepsSameBlockShares) {
  SessionBook book;
  const protocol::Extranonce en{{9, 9}, 4};
  const uint64_t s1 = book.open(1, en);
  book.add_job(make_job("a", 1, true), en, 1.0);
  book.close_current();
  EXPECT_EQ(book.judge(share_for("a"), s1, false, 0).kind, Verdict::Kind::kWait);  // offline

  book.open(1, en);  // same pool, same extranonce: resumed
  EXPECT_EQ(book.judge(share_for("a"), s1, false, 0).kind, Verdict::Kind::kWait);  // no job yet
  book.add_job(make_job("x", 1, true), en, 1.0);
  const Verdict v = book.judge(share_for("a"), s1, true, 0);
  EXPECT_EQ(v.kind, Verdict::Kind::kSend);
  EXPECT_EQ(v.pool, 1u);

  book.add_job(make_job("y", 2, true), en, 1.0);  // new block
  EXPECT_EQ(book.judge(share_for("a"), s1, true, 0).reason, "block changed");
}

TEST(SessionBook, OtherPoolOrExtranonceIsStale) {
  SessionBook book;
  const protocol::Extranonce en{{1}, 4};
  const uint64_t s1 = book.open(0, en);
  book.add_job(make_job("a", 1, true), en, 1.0);
  book.open(0, protocol::Extranonce{{2}, 4});
  EXPECT_EQ(book.judge(share_for("a"), s1, true, 0).reason, "session not resumed");
  book.open(1, en);
  EXPECT_EQ(book.judge(share_for("a"), s1, true, 0).reason, "pool changed");
  EXPECT_EQ(book.judge(share_for("a"), s1, true, 0).pool, 0u);  // counted where it was found
  for (size_t i = 0; i < SessionBook::kMaxSessions; ++i) book.open(1, en);
  const Verdict v = book.judge(share_for("a"), s1, true, 1);
  EXPECT_EQ(v.reason, "session expired");
  EXPECT_EQ(v.pool, 1u);
}

TEST(SessionBook, JobsAreBounded) {
  SessionBook book;
  const protocol::Extranonce en{{1}, 4};
  const uint64_t s = book.open(0, en);
  for (size_t i = 0; i < SessionBook::kMaxJobsPerSession + 5; ++i) {
    book.add_job(make_job(std::to_string(i), 1, false), en, 1.0);
  }
  EXPECT_EQ(book.current()->jobs.size(), SessionBook::kMaxJobsPerSession);
  EXPECT_EQ(book.judge(share_for("0"), s, true, 0).reason, "unknown job");
  EXPECT_EQ(book.judge(share_for("68"), s, true, 0).kind, Verdict::Kind::kSend);
}

}  // namespace
}  // namespace synthminer::stratum
