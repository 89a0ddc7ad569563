#include "node/block.h"

#include "node/serialize.h"
#include "protocol/hex.h"
#include "protocol/work.h"

namespace synthminer::node {
namespace {

// BIP 144: the coinbase with marker 00, flag 01 after the version, and its
// single witness (one item of 32 zero bytes, the reserved value the
// commitment hashed) before the locktime.
std::vector<uint8_t> with_witness(const std::vector<uint8_t>& coinbase) {
  std::vector<uint8_t> out(coinbase.begin(), coinbase.begin() + 4);
  out.push_back(0x00);
  out.push_back(0x01);
  out.insert(out.end(), coinbase.begin() + 4, coinbase.end() - 4);
  out.push_back(1);   // one witness item
  out.push_back(32);  // of 32 bytes
  out.insert(out.end(), 32, 0x00);
  out.insert(out.end(), coinbase.end() - 4, coinbase.end());
  return out;
}

}  // namespace

std::string block_hex(const TemplateJob& work, const BlockTemplate& tmpl,
                      std::span<const uint8_t> extranonce2, uint32_t version, uint32_t ntime,
                      uint32_t nonce) {
  const auto header =
      protocol::share_header(work.job, work.extranonce, extranonce2, version, ntime, nonce);
  std::vector<uint8_t> block(header.begin(), header.end());
  put_compact_size(block, tmpl.transactions.size() + 1);
  const auto coinbase =
      protocol::build_coinbase(work.job, work.extranonce.extranonce1, extranonce2);
  if (work.witness_commitment) {
    const auto full = with_witness(coinbase);
    block.insert(block.end(), full.begin(), full.end());
  } else {
    block.insert(block.end(), coinbase.begin(), coinbase.end());
  }
  for (const auto& tx : tmpl.transactions)
    block.insert(block.end(), tx.data.begin(), tx.data.end());
  return protocol::to_hex(block);
}

}  // namespace synthminer::node
