#include "demo_pool/demo_pool_share.h"

#include "hashcore/scan.h"
#include "protocol/hex.h"
#include "protocol/work.h"

namespace synthminer::demo_pool {
namespace {

protocol::Error fail(std::string what) {
  return protocol::Error{std::move(what)};
}

protocol::Result<uint32_t> hex_u32_param(const nlohmann::json& v, const char* name) {
  if (!v.is_string()) return fail(std::string(name) + " must be a hex string");
  auto n = protocol::parse_hex_u32(v.get_ref<const std::string&>());
  if (!n) return fail(std::string(name) + " must be 8 hex digits");
  return *n;
}

}  // namespace

int reject_code(Reject reject) {
  switch (reject) {
    case Reject::kNone:
      return 0;
    case Reject::kJobNotFound:
      return 21;
    case Reject::kDuplicate:
      return 22;
    case Reject::kLowDifficulty:
      return 23;
    case Reject::kUnauthorized:
      return 24;
    case Reject::kNotSubscribed:
      return 25;
    case Reject::kMalformed:
    case Reject::kExtranonce2Size:
    case Reject::kNtimeOutOfRange:
    case Reject::kInvalidVersionMask:
      return 20;
  }
  return 20;
}

std::string_view reject_message(Reject reject) {
  switch (reject) {
    case Reject::kNone:
      return "";
    case Reject::kMalformed:
      return "Invalid parameters";
    case Reject::kExtranonce2Size:
      return "Invalid extranonce2 size";
    case Reject::kNtimeOutOfRange:
      return "Ntime out of range";
    case Reject::kInvalidVersionMask:
      return "Invalid version mask";
    case Reject::kJobNotFound:
      return "Job not found";
    case Reject::kDuplicate:
      return "Duplicate share";
    case Reject::kLowDifficulty:
      return "Low difficulty share";
    case Reject::kUnauthorized:
      return "Unauthorized worker";
    case Reject::kNotSubscribed:
      return "Not subscribed";
  }
  return "Other";
}

std::string_view ckpool_reason(Reject reject) {
  switch (reject) {
    case Reject::kNone:
      return "";
    case Reject::kMalformed:
      return "Invalid parameters";
    case Reject::kExtranonce2Size:
      return "Invalid nonce2 length";
    case Reject::kNtimeOutOfRange:
      return "Ntime out of range";
    case Reject::kInvalidVersionMask:
      return "Invalid version mask";
    case Reject::kJobNotFound:
      return "Invalid JobID";
    case Reject::kDuplicate:
      return "Duplicate";
    case Reject::kLowDifficulty:
      return "Above target";
    case Reject::kUnauthorized:
      return "Worker mismatch";
    case Reject::kNotSubscribed:
      return "Not subscribed";
  }
  return "Other";
}

protocol::Result<Submission> parse_submit(const nlohmann::json& params) {
  if (!params.is_array() || params.size() < 5) {
    return fail("mining.submit needs [worker, job_id, extranonce2, ntime, nonce]");
  }
  if (!params[0].is_string()) return fail("worker must be a string");
  if (!params[1].is_string()) return fail("job_id must be a string");
  Submission s;
  s.worker = params[0].get<std::string>();
  s.share.job_id = params[1].get<std::string>();
  if (!params[2].is_string()) return fail("extranonce2 must be a hex string");
  auto en2 = protocol::from_hex(params[2].get_ref<const std::string&>());
  if (!en2) return fail("extranonce2 is not valid hex");
  s.share.extranonce2 = std::move(*en2);
  auto ntime = hex_u32_param(params[3], "ntime");
  if (!ntime) return fail(ntime.error());
  auto nonce = hex_u32_param(params[4], "nonce");
  if (!nonce) return fail(nonce.error());
  s.share.ntime = *ntime;
  s.share.nonce = *nonce;
  if (params.size() >= 6 && !params[5].is_null()) {
    auto bits = hex_u32_param(params[5], "version_bits");
    if (!bits) return fail(bits.error());
    s.share.version_bits = *bits;
  }
  return s;
}

ShareCheck validate_share(const protocol::Job& job, const protocol::Extranonce& session,
                          const protocol::Share& share, double difficulty, uint32_t version_mask) {
  ShareCheck check;
  if (share.extranonce2.size() != session.extranonce2_size) {
    check.reject = Reject::kExtranonce2Size;
    return check;
  }
  // Widened so a job ntime near 2^32 cannot wrap the window.
  if (share.ntime < job.ntime || uint64_t{share.ntime} > uint64_t{job.ntime} + kMaxNtimeRoll) {
    check.reject = Reject::kNtimeOutOfRange;
    return check;
  }
  const uint32_t bits = share.version_bits.value_or(0);
  if ((bits & ~version_mask) != 0) {
    check.reject = Reject::kInvalidVersionMask;
    return check;
  }
  // BIP 310: the rolled bits replace the job's bits under the mask; without
  // them the job's version stands as sent.
  const uint32_t version = share.version_bits ? (job.version & ~version_mask) | bits : job.version;
  const auto header =
      protocol::share_header(job, session, share.extranonce2, version, share.ntime, share.nonce);
  check.hash = hashcore::sha256d(header);
  check.hash_difficulty = protocol::hash_difficulty(check.hash);
  // An invalid difficulty is a programmer error upstream; an all-zero target rejects all.
  const auto target = protocol::difficulty_to_target(difficulty).value_or(hashcore::Target{});
  if (!hashcore::meets_target(check.hash, target)) {
    check.reject = Reject::kLowDifficulty;
    return check;
  }
  if (const auto network = protocol::nbits_to_target(job.nbits)) {
    check.block = hashcore::meets_target(check.hash, *network);
  }
  return check;
}

}  // namespace synthminer::demo_pool
