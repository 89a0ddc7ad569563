// A found block, serialized for submitblock.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "node/block_template.h"
#include "node/coinbase.h"

namespace synthminer::node {

/// The whole block as hex: the 80-byte header (protocol::share_header of
/// the job with these numbers), the transaction count, the coinbase (with
/// its witness, one 32-byte zero item, when it commits to witnesses), then
/// each template transaction's `data`. `version` is the full header version
/// (rolled bits applied); `extranonce2` is extranonce2_size bytes.
std::string block_hex(const TemplateJob& work, const BlockTemplate& tmpl,
                      std::span<const uint8_t> extranonce2, uint32_t version, uint32_t ntime,
                      uint32_t nonce);

}  // namespace synthminer::node
