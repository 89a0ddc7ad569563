// A dense product computed in blocks of rows, with the stop token checked
// before each block, so that DELETE, a deadline or a shutdown stops a large
// host product within one block instead of after all of it (up to
// max_product_flops: seconds on one core).
#pragma once

#include <algorithm>

#include <Eigen/Dense>

#include "vgpu/payload/stop_token.h"

namespace jarvis {

/// The FLOPs of one block between two checks: about 0.15 s at the 13-17
/// GFLOP/s Eigen reaches on one core here.
inline constexpr double kProductBlockFlops = 2e9;
/// No block has fewer rows: Eigen packs the whole right operand again for
/// each block, 1/(2 rows) of the block's work, and measured 2-3 % slower in
/// all at 256 rows, 9 % at 119 (docs/PERFORMANCE.md). So the longest block,
/// 256 rows times the largest right operand, is 8.6 GFLOP (about 0.6 s).
inline constexpr Eigen::Index kProductMinBlockRows = 256;

/// Rows per block for a product whose left operand has `inner` columns and
/// whose right operand has `columns` columns.
inline Eigen::Index product_block_rows(Eigen::Index inner, Eigen::Index columns) {
  const double row_flops = 2.0 * static_cast<double>(inner) * static_cast<double>(columns);
  return std::max<Eigen::Index>(
      kProductMinBlockRows,
      static_cast<Eigen::Index>(kProductBlockFlops / std::max(row_flops, 1.0)));
}

/// c = a b, `block_rows` rows of c at a time, stop.check() before each
/// block. `c` must be a.rows() x b.cols(). On Stopped the rows before the
/// block being started hold their values and the rest are untouched.
template <typename Lhs>
void product_in_blocks(const Lhs& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                       Eigen::Index block_rows, const StopToken& stop) {
  for (Eigen::Index first = 0; first < a.rows(); first += block_rows) {
    stop.check();
    const Eigen::Index n = std::min(block_rows, a.rows() - first);
    c.middleRows(first, n).noalias() = a.middleRows(first, n) * b;
  }
}

}  // namespace jarvis
