// Linalg operands given as stored tensors ({"tensor": "<id>"}): a float64
// matrix is read in place (its C-order bytes are a row-major matrix, so a
// product needs no copy); float32 is widened into a copy; complex128 is
// refused (the linalg ops are real). A 1-D tensor is one row as a matrix
// and a vector as itself; 0-d and 3-d or more are refused.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <Eigen/Dense>

#include "vgpu/payload/payload_limits.h"
#include "vgpu/tensor/tensor_store.h"

namespace jarvis {

using RowMajorMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The matrix `tensor` holds, in place for float64; rows x cols checked
/// against the limits. Empty string on success, else the error naming `path`.
std::string tensor_matrix_view(const StoredTensor& tensor, const std::string& path,
                               const PayloadLimits& limits,
                               std::optional<Eigen::Map<const RowMajorMatrixXd>>& view,
                               RowMajorMatrixXd& widened);

/// A copy of the matrix `tensor` holds (any supported real dtype).
std::string tensor_matrix(const StoredTensor& tensor, const std::string& path,
                          const PayloadLimits& limits, Eigen::MatrixXd& out);

/// A copy of the vector `tensor` holds: 1-D, or n x 1.
std::string tensor_vector(const StoredTensor& tensor, const std::string& path, uint64_t max_length,
                          Eigen::VectorXd& out);

}  // namespace jarvis
