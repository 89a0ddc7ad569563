#include "telemetry/labels.h"

#include <gtest/gtest.h>

namespace synthminer::telemetry {
namespace {

TEST(SanitizeReason, TokenOfLowerCaseWords) {
  EXPECT_EQ(sanitize_reason("Job not found (=stale)"), "job_not_found_stale");
  EXPECT_EQ(sanitize_reason("  --Low difficulty--  "), "low_difficulty");
  EXPECT_EQ(sanitize_reason(""), "unknown");
  EXPECT_EQ(sanitize_reason("\n\t\"{}"), "unknown");
  EXPECT_EQ(sanitize_reason("dup\xff\xfeshare"), "dup_share");
  const std::string long_reason(500, 'a');
  EXPECT_EQ(sanitize_reason(long_reason).size(), kMaxReasonLength);
  EXPECT_EQ(sanitize_reason(std::string(47, 'a') + " b").back(), 'a')
      << "no trailing underscore after the cut";
}

TEST(SanitizeName, KeepsUtf8ReplacesControlAndInvalidBytes) {
  EXPECT_EQ(sanitize_name("pool.example:3333"), "pool.example:3333");
  EXPECT_EQ(sanitize_name("Zürich \"main\""), "Zürich \"main\"");
  EXPECT_EQ(sanitize_name("a\nb\x7f"), "a_b_");
  EXPECT_EQ(sanitize_name("bad\xc3"), "bad_") << "truncated sequence";
  EXPECT_EQ(sanitize_name("\xc0\xaf"), "__") << "overlong form";
  EXPECT_EQ(sanitize_name("\xed\xa0\x80"), "___") << "surrogate";
  EXPECT_EQ(sanitize_name(""), "unnamed");
  std::string many;
  for (int i = 0; i < 100; ++i) many += "é";  // 2 bytes each
  const std::string cut = sanitize_name(many);
  EXPECT_LE(cut.size(), kMaxNameLength);
  EXPECT_EQ(cut.size() % 2, 0u) << "cut on a character boundary";
}

TEST(BoundedLabels, AdmitsUpToTheCap) {
  BoundedLabels labels(2);
  EXPECT_EQ(labels.admit("a"), "a");
  EXPECT_EQ(labels.admit("b"), "b");
  EXPECT_EQ(labels.admit("c"), "other");
  EXPECT_EQ(labels.admit("a"), "a");
  EXPECT_EQ(labels.size(), 2u);
}

}  // namespace
}  // namespace synthminer::telemetry
