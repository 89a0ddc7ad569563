#include "node/address.h"

#include <cctype>
#include <span>
#include <string>

#include "common/printable.h"
#include "node/base58.h"
#include "node/bech32.h"

namespace synthminer::node {
namespace {

struct Prefixes {
  uint8_t p2pkh;
  uint8_t p2sh;
  std::string_view hrp;
};

Prefixes prefixes(Chain chain) {
  switch (chain) {
    case Chain::kMain:
      return {0x00, 0x05, "bc"};
    case Chain::kTest:
      return {0x6f, 0xc4, "tb"};
    case Chain::kRegtest:
      return {0x6f, 0xc4, "bcrt"};
  }
  return {0x00, 0x05, "bc"};
}

// The address is not a secret, so it may be quoted, but nothing longer:
// printable() keeps a hostile one from forging log lines and cuts it at the
// longest valid length.
Error fail(std::string_view address, const std::string& why) {
  return Error{"address " + common::printable(address, kMaxBech32Chars) + ": " + why};
}

// Which chain (if any) a bech32 HRP belongs to.
std::optional<Chain> chain_of_hrp(std::string_view hrp) {
  for (Chain c : {Chain::kMain, Chain::kTest, Chain::kRegtest}) {
    if (prefixes(c).hrp == hrp) return c;
  }
  return std::nullopt;
}

std::string other_chain(Chain found, Chain wanted) {
  return "is a " + std::string(chain_name(found)) + " address, but the node is on " +
         std::string(chain_name(wanted));
}

// By its prefix: a known HRP before the first '1' (a mistyped '1' in the
// data part must not make it read as Base58).
bool looks_bech32(std::string_view address) {
  const size_t sep = address.find('1');
  if (sep == std::string_view::npos) return false;
  std::string hrp;
  for (const char c : address.substr(0, sep)) {
    hrp.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return chain_of_hrp(hrp).has_value();
}

Result<std::vector<uint8_t>> segwit_script(std::string_view address, Chain chain) {
  auto witness = segwit_decode(address);
  if (!witness) return fail(address, witness.error());
  const auto found = chain_of_hrp(witness->hrp);
  if (!found) {
    return fail(address, "human-readable part '" + common::printable(witness->hrp, 16) +
                             "' is of no known chain");
  }
  if (*found != chain) return fail(address, other_chain(*found, chain));
  const bool p2wpkh_or_p2wsh = witness->version == 0;
  const bool p2tr = witness->version == 1 && witness->program.size() == 32;
  if (!p2wpkh_or_p2wsh && !p2tr) {
    return fail(address, "witness version " + std::to_string(witness->version) + " with " +
                             std::to_string(witness->program.size()) +
                             " bytes is not a defined output type");
  }
  return witness_script(*witness);
}

Result<std::vector<uint8_t>> base58_script(std::string_view address, Chain chain) {
  auto payload = base58check_decode(address);
  if (!payload) return fail(address, payload.error());
  if (payload->size() != 21) {
    return fail(address, "payload of " + std::to_string(payload->size()) + " bytes (21 expected)");
  }
  const uint8_t version = (*payload)[0];
  const Prefixes want = prefixes(chain);
  const std::span<const uint8_t> hash(payload->data() + 1, 20);
  std::vector<uint8_t> script;
  if (version == want.p2pkh) {
    // OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
    script = {0x76, 0xa9, 0x14};
    script.insert(script.end(), hash.begin(), hash.end());
    script.insert(script.end(), {0x88, 0xac});
    return script;
  }
  if (version == want.p2sh) {
    // OP_HASH160 <20> OP_EQUAL
    script = {0xa9, 0x14};
    script.insert(script.end(), hash.begin(), hash.end());
    script.push_back(0x87);
    return script;
  }
  // Test and regtest share version bytes: either is "test" to a main node.
  for (Chain other : {Chain::kMain, Chain::kTest}) {
    if (other != chain && (version == prefixes(other).p2pkh || version == prefixes(other).p2sh)) {
      return fail(address, other_chain(other, chain));
    }
  }
  return fail(address, "unknown version byte " + std::to_string(version));
}

}  // namespace

std::optional<Chain> chain_from_name(std::string_view name) {
  if (name == "main") return Chain::kMain;
  if (name == "test" || name == "testnet4" || name == "signet") return Chain::kTest;
  if (name == "regtest") return Chain::kRegtest;
  return std::nullopt;
}

std::string_view chain_name(Chain chain) {
  switch (chain) {
    case Chain::kMain:
      return "main";
    case Chain::kTest:
      return "test";
    case Chain::kRegtest:
      return "regtest";
  }
  return "?";
}

Result<std::vector<uint8_t>> output_script(std::string_view address, Chain chain) {
  if (address.empty()) return Error{"address is empty"};
  if (address.size() > kMaxBech32Chars) {
    return fail(address, "longer than " + std::to_string(kMaxBech32Chars) + " characters");
  }
  // A bech32 string of an unknown HRP (tc1...) is named as such rather
  // than reported as bad Base58.
  if (looks_bech32(address) || bech32_decode(address).ok()) return segwit_script(address, chain);
  return base58_script(address, chain);
}

}  // namespace synthminer::node
