// The portable backend: the shared sha256d template on plain 32-bit words.
#include "hashcore/backend_kernels.h"
#include "hashcore/sha256d_lanes.h"

namespace synthminer::hashcore::kernels {
namespace {

struct ScalarLane {
  using T = uint32_t;
  static constexpr uint32_t kLanes = 1;
  static T set1(uint32_t x) { return x; }
  static T load(const uint32_t* p) { return *p; }
  static void store(uint32_t* p, T x) { *p = x; }
  static T add(T a, T b) { return a + b; }
  template <int kN>
  static T ror(T x) {
    return rotr(x, kN);
  }
  template <int kN>
  static T shr(T x) {
    return x >> kN;
  }
  static T xor3(T a, T b, T c) { return a ^ b ^ c; }
  static T ch(T e, T f, T g) { return g ^ (e & (f ^ g)); }
  static T maj(T a, T b, T c) { return (a & b) | (c & (a | b)); }
  static T bswap(T x) { return bswap32(x); }
  static T k(int t) { return set1(round_constant_from_memory(t)); }
  static T lane_index() { return 0; }
  static uint32_t le_mask(T x, uint32_t bound) { return x <= bound ? 1u : 0u; }
};

}  // namespace

uint64_t scan_scalar(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits) {
  return Sha256dLanes<ScalarLane>::scan(k, start, count, hits);
}

void compress_scalar(uint32_t* state, const uint8_t* const* blocks) {
  Sha256dLanes<ScalarLane>::compress(state, blocks);
}

}  // namespace synthminer::hashcore::kernels
