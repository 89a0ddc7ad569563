// A small transaction and block reader for the tests, written apart from
// node/ (which only writes): it reads back what coinbase.cpp and block.cpp
// produce so the tests check the bytes by the format, not by our writer.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "hashcore/sha256.h"

namespace synthminer::node::testing {

struct Reader {
  std::span<const uint8_t> bytes;
  size_t pos = 0;

  uint8_t byte() {
    if (pos >= bytes.size()) throw std::out_of_range("read past the end");
    return bytes[pos++];
  }
  uint64_t le(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t{byte()} << (8 * i);
    return v;
  }
  uint64_t compact() {
    const uint8_t first = byte();
    if (first < 0xfd) return first;
    return le(first == 0xfd ? 2 : first == 0xfe ? 4 : 8);
  }
  std::vector<uint8_t> take(uint64_t n) {
    if (n > bytes.size() - pos) throw std::out_of_range("read past the end");
    std::vector<uint8_t> out(bytes.begin() + static_cast<long>(pos),
                             bytes.begin() + static_cast<long>(pos + n));
    pos += n;
    return out;
  }
};

struct TxIn {
  std::vector<uint8_t> prevout;  ///< 36 bytes
  std::vector<uint8_t> script_sig;
  uint32_t sequence = 0;
  std::vector<std::vector<uint8_t>> witness;
};

struct TxOut {
  int64_t value = 0;
  std::vector<uint8_t> script;
};

struct Tx {
  uint32_t version = 0;
  std::vector<TxIn> inputs;
  std::vector<TxOut> outputs;
  uint32_t locktime = 0;
  bool has_witness = false;
  std::vector<uint8_t> stripped;  ///< serialization without witness: the txid's preimage
  std::vector<uint8_t> full;      ///< as read: the wtxid's preimage

  hashcore::Digest txid() const { return hashcore::sha256d(stripped); }
  hashcore::Digest wtxid() const { return hashcore::sha256d(full); }
};

inline void put(std::vector<uint8_t>& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

inline void put_compact(std::vector<uint8_t>& out, uint64_t n) {
  if (n < 0xfd) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    out.push_back(0xfd);
    put(out, n, 2);  // enough for these tests
  }
}

/// Reads one transaction (BIP 144 witness serialization when marked).
inline Tx read_tx(Reader& r) {
  const size_t start = r.pos;
  Tx tx;
  tx.version = static_cast<uint32_t>(r.le(4));
  uint64_t n_in = r.compact();
  if (n_in == 0) {  // the marker; the flag must be 1
    if (r.byte() != 1) throw std::runtime_error("bad segwit flag");
    tx.has_witness = true;
    n_in = r.compact();
  }
  for (uint64_t i = 0; i < n_in; ++i) {
    TxIn in;
    in.prevout = r.take(36);
    in.script_sig = r.take(r.compact());
    in.sequence = static_cast<uint32_t>(r.le(4));
    tx.inputs.push_back(std::move(in));
  }
  const uint64_t n_out = r.compact();
  for (uint64_t i = 0; i < n_out; ++i) {
    TxOut out;
    out.value = static_cast<int64_t>(r.le(8));
    out.script = r.take(r.compact());
    tx.outputs.push_back(std::move(out));
  }
  if (tx.has_witness) {
    for (TxIn& in : tx.inputs) {
      const uint64_t items = r.compact();
      for (uint64_t i = 0; i < items; ++i) in.witness.push_back(r.take(r.compact()));
    }
  }
  tx.locktime = static_cast<uint32_t>(r.le(4));
  tx.full.assign(r.bytes.begin() + static_cast<long>(start),
                 r.bytes.begin() + static_cast<long>(r.pos));
  // The stripped form, written again from the parts read.
  put(tx.stripped, tx.version, 4);
  put_compact(tx.stripped, tx.inputs.size());
  for (const TxIn& in : tx.inputs) {
    tx.stripped.insert(tx.stripped.end(), in.prevout.begin(), in.prevout.end());
    put_compact(tx.stripped, in.script_sig.size());
    tx.stripped.insert(tx.stripped.end(), in.script_sig.begin(), in.script_sig.end());
    put(tx.stripped, in.sequence, 4);
  }
  put_compact(tx.stripped, tx.outputs.size());
  for (const TxOut& out : tx.outputs) {
    put(tx.stripped, static_cast<uint64_t>(out.value), 8);
    put_compact(tx.stripped, out.script.size());
    tx.stripped.insert(tx.stripped.end(), out.script.begin(), out.script.end());
  }
  put(tx.stripped, tx.locktime, 4);
  return tx;
}

inline Tx read_tx(std::span<const uint8_t> bytes) {
  Reader r{bytes};
  Tx tx = read_tx(r);
  if (r.pos != bytes.size()) throw std::runtime_error("bytes after the transaction");
  return tx;
}

}  // namespace synthminer::node::testing
