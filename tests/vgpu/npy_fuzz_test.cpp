// Random truncations and mutations of valid .npy files: the reader never
// crashes, and whatever it accepts is self-consistent.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "vgpu/tensor/npy_codec.h"

namespace jarvis {
namespace {

void expect_consistent(const std::string& bytes) {
  NpyArray out;
  const std::string err = decode_npy(bytes, 1u << 16, out);
  if (!err.empty()) {
    EXPECT_EQ(err.rfind("npy", 0), 0u) << err;
    return;
  }
  EXPECT_LE(out.shape.size(), kNpyMaxDims);
  EXPECT_EQ(out.data_size(), out.elements() * dtype_size(out.dtype));
  EXPECT_EQ(out.data_offset % 16, 0u);
}

TEST(NpyFuzz, MutationsAndTruncationsNeverCrash) {
  std::mt19937_64 rng(20261206);
  const double values[6] = {1, -2, 3.5, 0, 1e300, -0.0};
  const std::string seeds[] = {
      encode_npy(Dtype::kFloat64, {2, 3}, values, sizeof values).bytes,
      encode_npy(Dtype::kFloat32, {3}, values, 12).bytes,
      encode_npy(Dtype::kComplex128, {3}, values, sizeof values).bytes,
      encode_npy(Dtype::kFloat64, {}, values, 8).bytes,
  };
  const char interesting[] = {'(', ')', ',', ':', '\'', '"', '{',  '}',    ' ',   '\n',
                              '0', '9', '-', 'L', 'T',  'F', '\0', '\x93', '\xff'};
  for (int round = 0; round < 20000; ++round) {
    std::string bytes = seeds[rng() % 4];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 5) {
        case 0:
          bytes.resize(at);
          break;
        case 1:
          bytes[at] = static_cast<char>(rng());
          break;
        case 2:
          bytes[at] = interesting[rng() % sizeof interesting];
          break;
        case 3:
          bytes.insert(at, 1, interesting[rng() % sizeof interesting]);
          break;
        default:
          bytes.erase(at, 1 + rng() % 8);
          break;
      }
    }
    expect_consistent(bytes);
  }
  // Every prefix of a valid file, including the empty one.
  for (size_t n = 0; n <= seeds[0].size(); ++n) expect_consistent(seeds[0].substr(0, n));
}

}  // namespace
}  // namespace jarvis
