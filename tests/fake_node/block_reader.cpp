#include "tests/fake_node/block_reader.h"

#include <openssl/sha.h>

#include <stdexcept>

namespace synthminer::fake_node {
namespace {

// Counts above this are not a block (a 4 MB block holds far fewer items).
constexpr uint64_t kMaxCount = 4'000'000;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t pos() const { return pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }
  std::span<const uint8_t> since(size_t start) const { return bytes_.subspan(start, pos_ - start); }

  uint8_t byte() {
    if (pos_ >= bytes_.size()) throw std::runtime_error("the block ends early");
    return bytes_[pos_++];
  }
  uint64_t le(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t{byte()} << (8 * i);
    return v;
  }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t count() {
    const uint8_t first = byte();
    const uint64_t n = first < 0xfd ? first : le(first == 0xfd ? 2 : first == 0xfe ? 4 : 8);
    if (n > kMaxCount) throw std::runtime_error("a count over " + std::to_string(kMaxCount));
    return n;
  }
  Bytes take(uint64_t n) {
    if (n > bytes_.size() - pos_) throw std::runtime_error("the block ends early");
    Bytes out(bytes_.begin() + static_cast<long>(pos_),
              bytes_.begin() + static_cast<long>(pos_ + n));
    pos_ += n;
    return out;
  }
  Hash hash() {
    Hash h{};
    const Bytes b = take(32);
    std::copy(b.begin(), b.end(), h.begin());
    return h;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

void put_le(Bytes& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_count(Bytes& out, uint64_t n) {
  if (n < 0xfd) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xffff) {
    out.push_back(0xfd);
    put_le(out, n, 2);
  } else {
    out.push_back(0xfe);
    put_le(out, n, 4);
  }
}

void put_bytes(Bytes& out, const Bytes& b) {
  put_count(out, b.size());
  out.insert(out.end(), b.begin(), b.end());
}

// The serialization without witness, written again from the parts read.
Bytes strip(const Tx& tx) {
  Bytes out;
  put_le(out, tx.version, 4);
  put_count(out, tx.inputs.size());
  for (const TxIn& in : tx.inputs) {
    out.insert(out.end(), in.prev_txid.begin(), in.prev_txid.end());
    put_le(out, in.prev_index, 4);
    put_bytes(out, in.script_sig);
    put_le(out, in.sequence, 4);
  }
  put_count(out, tx.outputs.size());
  for (const TxOut& o : tx.outputs) {
    put_le(out, static_cast<uint64_t>(o.value), 8);
    put_bytes(out, o.script);
  }
  put_le(out, tx.locktime, 4);
  return out;
}

TxIn read_input(Reader& r) {
  TxIn in;
  in.prev_txid = r.hash();
  in.prev_index = r.u32();
  in.script_sig = r.take(r.count());
  in.sequence = r.u32();
  return in;
}

Tx read_tx(Reader& r) {
  const size_t start = r.pos();
  Tx tx;
  tx.version = r.u32();
  uint64_t n_in = r.count();
  if (n_in == 0) {  // BIP 144 marker; the flag must be 1
    if (r.byte() != 1) throw std::runtime_error("a segwit flag other than 1");
    tx.has_witness = true;
    n_in = r.count();
  }
  for (uint64_t i = 0; i < n_in; ++i) tx.inputs.push_back(read_input(r));
  const uint64_t n_out = r.count();
  for (uint64_t i = 0; i < n_out; ++i) {
    TxOut o;
    o.value = static_cast<int64_t>(r.le(8));
    o.script = r.take(r.count());
    tx.outputs.push_back(std::move(o));
  }
  if (tx.has_witness) {
    for (TxIn& in : tx.inputs) {
      const uint64_t items = r.count();
      for (uint64_t i = 0; i < items; ++i) in.witness.push_back(r.take(r.count()));
    }
  }
  tx.locktime = r.u32();
  const auto raw = r.since(start);
  tx.raw.assign(raw.begin(), raw.end());
  tx.stripped = strip(tx);
  return tx;
}

Header read_header(Reader& r) {
  const size_t start = r.pos();
  Header h;
  h.version = r.u32();
  h.prev_hash = r.hash();
  h.merkle_root = r.hash();
  h.time = r.u32();
  h.bits = r.u32();
  h.nonce = r.u32();
  const auto raw = r.since(start);
  h.raw.assign(raw.begin(), raw.end());
  return h;
}

}  // namespace

std::optional<Block> read_block(std::span<const uint8_t> bytes, std::string& error) {
  try {
    Reader r(bytes);
    Block block;
    block.header = read_header(r);
    const uint64_t n = r.count();
    for (uint64_t i = 0; i < n; ++i) block.transactions.push_back(read_tx(r));
    if (!r.at_end()) throw std::runtime_error("bytes after the last transaction");
    return block;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::optional<Tx> read_transaction(std::span<const uint8_t> bytes, std::string& error) {
  try {
    Reader r(bytes);
    Tx tx = read_tx(r);
    if (!r.at_end()) throw std::runtime_error("bytes after the transaction");
    return tx;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

Hash hash256(std::span<const uint8_t> bytes) {
  Hash once{}, twice{};
  SHA256(bytes.data(), bytes.size(), once.data());
  SHA256(once.data(), once.size(), twice.data());
  return twice;
}

std::string rpc_hex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto it = hash.rbegin(); it != hash.rend(); ++it) {
    out.push_back(kDigits[*it >> 4]);
    out.push_back(kDigits[*it & 15]);
  }
  return out;
}

}  // namespace synthminer::fake_node
