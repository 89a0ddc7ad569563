// A whole serialized block read by the format, written apart from node/
// (which only writes blocks): the 80-byte header, the CompactSize count,
// then each transaction with its BIP 144 witness when marked. The block
// checker judges what this reads; it never asks node/ how a block looks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace synthminer::fake_node {

using Bytes = std::vector<uint8_t>;
using Hash = std::array<uint8_t, 32>;  ///< internal byte order (as sha256d gives it)

struct TxIn {
  Hash prev_txid{};
  uint32_t prev_index = 0;
  Bytes script_sig;
  uint32_t sequence = 0;
  std::vector<Bytes> witness;
};

struct TxOut {
  int64_t value = 0;  ///< satoshis
  Bytes script;
};

struct Tx {
  uint32_t version = 0;
  std::vector<TxIn> inputs;
  std::vector<TxOut> outputs;
  uint32_t locktime = 0;
  bool has_witness = false;  ///< serialized with marker 00 and flag 01
  Bytes raw;                 ///< the bytes as read (the wtxid's preimage)
  Bytes stripped;            ///< without marker, flag and witnesses (the txid's preimage)
};

struct Header {
  uint32_t version = 0;
  Hash prev_hash{};
  Hash merkle_root{};
  uint32_t time = 0;  ///< seconds since the epoch
  uint32_t bits = 0;  ///< compact target
  uint32_t nonce = 0;
  Bytes raw;  ///< the 80 bytes
};

struct Block {
  Header header;
  std::vector<Tx> transactions;  ///< the coinbase first
};

/// Reads a block. nullopt with `error` set when the bytes end early, a
/// count is absurd, the segwit flag is not 1, or bytes follow the block.
std::optional<Block> read_block(std::span<const uint8_t> bytes, std::string& error);

/// Reads one transaction that fills `bytes` exactly.
std::optional<Tx> read_transaction(std::span<const uint8_t> bytes, std::string& error);

/// sha256d of `bytes`: a txid, a wtxid, a block hash (internal byte order).
Hash hash256(std::span<const uint8_t> bytes);

/// `hash` as RPC prints it: reversed, lower-case hex.
std::string rpc_hex(const Hash& hash);

}  // namespace synthminer::fake_node
