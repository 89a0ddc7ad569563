// Known-answer vectors shared by the start-up self-test and the test suite.
#pragma once

#include <array>
#include <cstdint>

#include "hashcore/scan.h"

namespace synthminer::hashcore {

/// The Bitcoin genesis block header (80 bytes, nonce included).
std::array<uint8_t, 80> genesis_header();
inline constexpr uint32_t kGenesisNonce = 2083236893;
/// Its sha256d as Bitcoin displays it (big-endian hex).
inline constexpr const char* kGenesisHashHex =
    "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
/// Its target, from nbits 0x1d00ffff (difficulty 1).
Target genesis_target();

}  // namespace synthminer::hashcore
