// Share validation as DemoPool does it: parse a mining.submit, rebuild the
// header from the job and the session's extranonce, and judge it. Pure
// functions, no I/O, so tests can check every verdict directly.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "hashcore/sha256.h"
#include "protocol/job.h"
#include "protocol/result.h"

namespace synthminer::demo_pool {

/// Why a pool turns a share down; kNone for a share it accepts.
enum class Reject {
  kNone,
  kMalformed,           ///< 20: a parameter is missing or not the hex it should be
  kExtranonce2Size,     ///< 20: extranonce2 is not exactly the session's size
  kNtimeOutOfRange,     ///< 20: ntime outside [job ntime, job ntime + kMaxNtimeRoll]
  kInvalidVersionMask,  ///< 20: version bits outside the granted rolling mask
  kJobNotFound,         ///< 21: unknown or stale job id
  kDuplicate,           ///< 22: the same share was accepted before
  kLowDifficulty,       ///< 23: the hash does not meet the share target
  kUnauthorized,        ///< 24: the worker was never authorized on this connection
  kNotSubscribed,       ///< 25: submit before mining.subscribe
};

/// The slush-style error code: 20 other, 21 job not found, 22 duplicate,
/// 23 low difficulty, 24 unauthorized, 25 not subscribed; 0 for kNone.
int reject_code(Reject reject);
/// The message sent beside the code, e.g. "Job not found".
std::string_view reject_message(Reject reject);
/// ckpool's "reject-reason" wording for the same verdict, e.g. "Above target".
std::string_view ckpool_reason(Reject reject);

/// How far a share's ntime may roll forward from the job's, in seconds (ckpool).
inline constexpr uint32_t kMaxNtimeRoll = 7000;

/// One mining.submit, parsed.
struct Submission {
  std::string worker;
  protocol::Share share;
};

/// Parses mining.submit params [worker, job_id, extranonce2, ntime, nonce
/// (, version_bits)]: ntime, nonce and version_bits as exactly 8 hex digits,
/// extranonce2 as whole bytes of hex (its size is checked by validate_share).
protocol::Result<Submission> parse_submit(const nlohmann::json& params);

/// What validate_share found.
struct ShareCheck {
  Reject reject = Reject::kNone;
  bool block = false;          ///< the hash also meets the job's nbits target
  hashcore::Digest hash{};     ///< sha256d of the rebuilt header (zero if never hashed)
  double hash_difficulty = 0;  ///< the difficulty the hash achieves (0 if never hashed)
};

/// Checks a share against the job as the session received it: extranonce2 of
/// exactly `session.extranonce2_size` bytes, ntime within [job.ntime,
/// job.ntime + kMaxNtimeRoll], version bits only inside `version_mask` (the
/// granted mask; 0 when none was negotiated), then rebuilds the header with
/// share_header() and compares sha256d with difficulty_to_target(difficulty).
/// Authorization, job lookup and duplicates are session state: not checked here.
ShareCheck validate_share(const protocol::Job& job, const protocol::Extranonce& session,
                          const protocol::Share& share, double difficulty, uint32_t version_mask);

}  // namespace synthminer::demo_pool
