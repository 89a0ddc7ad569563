// The singular value decomposition both linalg ops and the FLOP compression
// use, in a file of its own: Eigen's BDCSVD takes minutes to compile, and
// one instance of it instead of one per caller halves that.
#pragma once

#include <Eigen/Dense>

namespace jarvis {

struct ThinSvd {
  Eigen::VectorXd values;  ///< singular values, largest first
  Eigen::MatrixXd u;       ///< m x k left singular vectors (empty without vectors)
  Eigen::MatrixXd v;       ///< n x k right singular vectors (empty without vectors)
};

/// BDCSVD of `a` (k = min(m, n)); the thin factors u and v only when `vectors`.
ThinSvd thin_svd(const Eigen::MatrixXd& a, bool vectors);

}  // namespace jarvis
