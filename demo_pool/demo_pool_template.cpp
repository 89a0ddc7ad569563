#include "demo_pool/demo_pool_template.h"

#include <chrono>
#include <cstdio>

#include "protocol/hex.h"

namespace synthminer::demo_pool {
namespace {

void put_le(std::vector<uint8_t>& out, uint64_t v, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void append(std::vector<uint8_t>& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}

}  // namespace

BlockTemplate::BlockTemplate(TemplateOptions options, uint64_t seed)
    : options_(options), rng_(seed != 0 ? seed : std::random_device{}()) {
  prevhash_ = random_hash();
  height_ = 800000 + static_cast<uint32_t>(rng_() % 100000);
  extranonce_salt_ = rng_();
}

protocol::Hash256 BlockTemplate::random_hash() {
  protocol::Hash256 h;
  for (size_t i = 0; i < h.size(); i += 8) {
    const uint64_t r = rng_();
    for (size_t j = 0; j < 8; ++j) h[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  return h;
}

protocol::Job BlockTemplate::next_job(bool new_block, uint32_t ntime) {
  if (new_block) {
    prevhash_ = random_hash();
    ++height_;
  }
  ++job_counter_;
  protocol::Job job;
  if (options_.long_job_ids) {
    job.job_id =
        protocol::to_hex(std::vector<uint8_t>{
            static_cast<uint8_t>(job_counter_ >> 24), static_cast<uint8_t>(job_counter_ >> 16),
            static_cast<uint8_t>(job_counter_ >> 8), static_cast<uint8_t>(job_counter_)}) +
        random_id();
  } else {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(job_counter_));
    job.job_id = buf;
  }
  job.prevhash = prevhash_;
  // A one-input transaction: the coinbase script is the BIP 34 height, the
  // extranonce slot, then a tag naming the job so every coinbase differs.
  const std::string tag = "/synthminer demo/" + job.job_id;
  const size_t script_size = 4 + options_.extranonce_bytes + tag.size();
  put_le(job.coinb1, 1, 4);  // tx version
  job.coinb1.push_back(1);   // one input
  job.coinb1.insert(job.coinb1.end(), 32, 0);
  put_le(job.coinb1, 0xffffffff, 4);  // previous output: none
  job.coinb1.push_back(static_cast<uint8_t>(script_size < 0xfd ? script_size : 0xfc));
  job.coinb1.push_back(3);  // push 3 bytes: the height
  put_le(job.coinb1, height_, 3);
  append(job.coinb2, tag);
  put_le(job.coinb2, 0xffffffff, 4);  // sequence
  job.coinb2.push_back(1);            // one output
  put_le(job.coinb2, 312500000, 8);   // 3.125 BTC
  const protocol::Hash256 key = random_hash();
  job.coinb2.insert(job.coinb2.end(), {0x19, 0x76, 0xa9, 0x14});  // P2PKH
  job.coinb2.insert(job.coinb2.end(), key.begin(), key.begin() + 20);
  job.coinb2.insert(job.coinb2.end(), {0x88, 0xac});
  put_le(job.coinb2, 0, 4);  // lock time
  for (size_t i = 0; i < options_.merkle_branch_size; ++i)
    job.merkle_branch.push_back(random_hash());
  job.version = options_.version;
  job.nbits = options_.nbits;
  job.ntime = ntime;
  job.clean_jobs = new_block;
  return job;
}

std::vector<uint8_t> BlockTemplate::next_extranonce1(size_t size) {
  // Counting from a random start keeps values distinct until the counter wraps.
  const uint64_t v = extranonce_salt_ + extranonce_counter_++;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < size && i < 8; ++i) {
    out.push_back(static_cast<uint8_t>(v >> (8 * (size - 1 - i))));
  }
  return out;
}

std::string BlockTemplate::random_id() {
  return protocol::hex_u32(static_cast<uint32_t>(rng_()));
}

nlohmann::json notify_params(const protocol::Job& job, bool clean_jobs) {
  auto branch = nlohmann::json::array();
  for (const protocol::Hash256& h : job.merkle_branch) branch.push_back(protocol::to_hex(h));
  return nlohmann::json::array({job.job_id, protocol::to_hex(job.prevhash),
                                protocol::to_hex(job.coinb1), protocol::to_hex(job.coinb2), branch,
                                protocol::hex_u32(job.version), protocol::hex_u32(job.nbits),
                                protocol::hex_u32(job.ntime), clean_jobs});
}

uint32_t now_ntime() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

}  // namespace synthminer::demo_pool
