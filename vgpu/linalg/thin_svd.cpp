#include "vgpu/linalg/thin_svd.h"

namespace jarvis {

ThinSvd thin_svd(const Eigen::MatrixXd& a, bool vectors) {
  const unsigned options = vectors ? (Eigen::ComputeThinU | Eigen::ComputeThinV) : 0u;
  Eigen::BDCSVD<Eigen::MatrixXd> svd(a, options);
  ThinSvd out;
  out.values = svd.singularValues();
  if (vectors) {
    out.u = svd.matrixU();
    out.v = svd.matrixV();
  }
  return out;
}

}  // namespace jarvis
