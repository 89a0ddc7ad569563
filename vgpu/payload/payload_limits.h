// Every limit on what a payload may ask for, in one plain struct that the
// daemon fills from its config. A payload over a limit is refused with the
// field and the limit in the message.
#pragma once

#include <cstdint>

namespace jarvis {

/// The numbers one result may hold (matmul's m x n, svd's factors, a sort's
/// values, a circuit's counts and probabilities): 16 Mi, as large as the
/// largest operand. At ~20 bytes a number in JSON that is ~320 MiB of answer;
/// a 20000x1 by 1x20000 product (400 M numbers, 3.2 GB as doubles) is refused.
inline constexpr uint64_t kMaxResultElements = 16ull << 20;

struct PayloadLimits {
  uint64_t max_matrix_elements = 16ull << 20;  ///< per matrix operand (4096 x 4096)
  uint64_t max_matrix_dim = 1u << 16;          ///< rows or columns of one operand
  uint64_t max_product_flops = 1ull << 36;     ///< 2*m*k*n of one product (~68.7 GFLOP)
  uint64_t max_factor_dim = 2048;              ///< n of solve, max(m,n) of svd
  uint64_t max_array_length = 16ull << 20;     ///< generic "values" / "other" entries
  uint64_t max_histogram_bins = 1u << 16;
  uint64_t max_hash_bytes = 64ull << 20;  ///< decoded "data" / "data_hex" bytes
  uint64_t max_scan_nonces = 1ull << 26;  ///< "nonce_count" of one scan
  uint64_t max_scan_results = 4096;       ///< nonces a scan may return before it is refused
  /// Numbers in one result, checked from the shapes before any work; over
  /// it the workload is refused as too large (413 on the API).
  uint64_t max_result_elements = kMaxResultElements;
};

}  // namespace jarvis
