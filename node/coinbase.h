// From a block template to a protocol::Job, so the Stratum path (the
// scheduler, the verifier, share_header) mines a node's work unchanged.
//
// The coinbase is split around the extranonce as a pool splits it:
//   coinb1 = version 2 | 1 input | null prevout (32 x 00, ffffffff)
//            | scriptSig length | BIP 34 height push | tag push
//            | push opcode of the extranonce
//   (extranonce: extranonce1, empty here, then extranonce2)
//   coinb2 = sequence ffffffff | outputs: the reward to the payout script,
//            then the witness commitment when there is one | locktime 0
// Both halves are the coinbase without its witness, whose sha256d is the
// txid the merkle root starts from; block.h adds the witness for submission.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/block_template.h"
#include "node/result.h"
#include "protocol/job.h"

namespace synthminer::node {

/// Longest tag in the scriptSig (bytes); with the height and the extranonce
/// it keeps the scriptSig under consensus's 100 bytes.
inline constexpr size_t kMaxCoinbaseTag = 32;

struct CoinbaseOptions {
  std::vector<uint8_t> payout_script;  ///< from output_script()
  uint32_t extranonce_size = 8;        ///< bytes of extranonce2, 1..16
  std::string tag = "/synthminer/";    ///< pushed after the height; may be empty
};

/// A job mined from a template, with what its blocks need besides.
struct TemplateJob {
  protocol::Job job;
  protocol::Extranonce extranonce;  ///< extranonce1 empty, extranonce2_size from the options
  bool witness_commitment = false;  ///< the coinbase commits to witnesses (and so has a witness)
};

/// Builds the job: coinbase halves, merkle branch, previous hash in
/// Stratum's word-swapped order, version, nbits from `bits`, ntime from
/// `curtime`; clean_jobs set. When the template carries a
/// default_witness_commitment it must equal the one computed from the
/// transactions' wtxids, or the template is refused.
Result<TemplateJob> build_template_job(const BlockTemplate& tmpl, const CoinbaseOptions& options,
                                       std::string job_id);

}  // namespace synthminer::node
