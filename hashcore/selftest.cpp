#include "hashcore/selftest.h"

#include <cstdlib>
#include <vector>

#include "hashcore/known_vectors.h"
#include "hashcore/sha256_constants.h"

namespace synthminer::hashcore {
namespace {

// A fixed-seed generator: the self-test checks the same inputs every run.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t next32() { return static_cast<uint32_t>(next() >> 32); }
};

std::string check_compress(const Backend& backend, SplitMix64& rng) {
  const uint32_t lanes = backend.lanes;
  // One spare byte in front so every block starts unaligned.
  std::vector<uint8_t> bytes(1 + 64 * lanes);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng.next());
  std::vector<const uint8_t*> blocks(lanes);
  std::vector<uint32_t> state(8 * lanes);
  std::vector<State> expected(lanes);
  for (uint32_t lane = 0; lane < lanes; ++lane) {
    blocks[lane] = bytes.data() + 1 + 64 * lane;
    for (uint32_t i = 0; i < 8; ++i) {
      expected[lane][i] = rng.next32();
      state[i * lanes + lane] = expected[lane][i];
    }
    compress_reference(expected[lane], blocks[lane]);
  }
  backend.compress_lanes(state.data(), blocks.data());
  for (uint32_t lane = 0; lane < lanes; ++lane) {
    for (uint32_t i = 0; i < 8; ++i) {
      if (state[i * lanes + lane] != expected[lane][i]) {
        return "compression differs from the reference in lane " + std::to_string(lane);
      }
    }
  }
  return {};
}

std::string check_genesis(const Backend& backend) {
  const auto header = genesis_header();
  const PreparedScan prepared = prepare_scan(scan_job_from_header(header, genesis_target()));
  const ScanResult r = scan(backend, prepared, {kGenesisNonce - 37, 100});
  if (r.hashes != 100 || r.nonces != std::vector<uint32_t>{kGenesisNonce}) {
    return "did not find the genesis nonce";
  }
  return {};
}

std::string check_random_scan(const Backend& backend, SplitMix64& rng) {
  ScanJob job;
  for (uint32_t& w : job.midstate) w = rng.next32();
  for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng.next());
  job.target = Target::max();
  job.target.limbs[7] = 0x01ffffff;  // about 1 nonce in 128
  const PreparedScan prepared = prepare_scan(job);
  const NonceRange ranges[] = {{rng.next32() | 1, 1001}, {0xffffffffu - 40, 41}};
  for (const NonceRange& range : ranges) {
    const ScanResult want = scan_reference(job, range);
    const ScanResult got = scan(backend, prepared, range);
    if (got.hashes != want.hashes || got.nonces != want.nonces) {
      return "scan differs from the reference at start " + std::to_string(range.start);
    }
  }
  return {};
}

}  // namespace

std::string self_test(const Backend& backend) {
  SplitMix64 rng{0x5eed5eed};
  for (int i = 0; i < 4; ++i) {
    if (auto err = check_compress(backend, rng); !err.empty()) return err;
  }
  if (auto err = check_genesis(backend); !err.empty()) return err;
  return check_random_scan(backend, rng);
}

std::optional<Dispatch> Dispatch::create(const std::optional<std::string>& override_name,
                                         std::string& error) {
  Dispatch d;
  d.cpu_ = detect_cpu_features();
  for (const Backend& b : compiled_backends()) {
    BackendStatus status{&b, b.supported(d.cpu_), {}};
    if (status.cpu_supported) status.failure = self_test(b);
    d.statuses_.push_back(std::move(status));
  }
  if (override_name) {
    const Backend* wanted = find_backend(*override_name);
    if (wanted == nullptr) {
      error = "unknown hash backend '" + *override_name + "' (choose from " + backend_names() + ")";
      return std::nullopt;
    }
    d.chosen_ = d.usable(*override_name);
    if (d.chosen_ == nullptr) {
      error = "hash backend '" + *override_name + "' cannot be used on this machine";
      return std::nullopt;
    }
    return d;
  }
  for (const BackendStatus& s : d.statuses_) {
    if (s.usable()) {
      d.chosen_ = s.backend;
      return d;
    }
  }
  error = "no hash backend passed its self-test";
  return std::nullopt;
}

const Backend* Dispatch::usable(std::string_view name) const {
  for (const BackendStatus& s : statuses_) {
    if (s.backend->name == name && s.usable()) return s.backend;
  }
  return nullptr;
}

std::optional<std::string> backend_override_from_env() {
  const char* value = std::getenv("SYNTHMINER_HASHCORE");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace synthminer::hashcore
