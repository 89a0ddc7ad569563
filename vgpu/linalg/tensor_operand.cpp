#include "vgpu/linalg/tensor_operand.h"

namespace jarvis {
namespace {

using Eigen::Index;

// rows x cols of a 1-D (one row) or 2-D tensor, checked against the limits.
std::string matrix_shape(const StoredTensor& tensor, const std::string& path,
                         const PayloadLimits& limits, Index& rows, Index& cols) {
  const auto& shape = tensor.array.shape;
  if (tensor.array.dtype == Dtype::kComplex128)
    return path + ": complex128 tensors are not supported by linalg (float64, float32)";
  if (shape.empty() || shape.size() > 2)
    return path + ": a " + std::to_string(shape.size()) +
           "-d tensor is not a matrix (1-d or 2-d expected)";
  const uint64_t r = shape.size() == 1 ? 1 : shape[0];
  const uint64_t c = shape.back();
  if (r == 0 || c == 0) return path + ": empty";
  if (r > limits.max_matrix_dim || c > limits.max_matrix_dim)
    return path + ": " + std::to_string(r) + " x " + std::to_string(c) + " exceeds the limit of " +
           std::to_string(limits.max_matrix_dim) + " rows or columns";
  if (r * c > limits.max_matrix_elements)
    return path + ": " + std::to_string(r) + " x " + std::to_string(c) + " exceeds the limit of " +
           std::to_string(limits.max_matrix_elements) + " elements";
  rows = static_cast<Index>(r);
  cols = static_cast<Index>(c);
  return {};
}

// Finite values only, as the JSON reader requires (checked once, at upload).
std::string check_finite(const StoredTensor& tensor, const std::string& path) {
  if (!tensor.finite) return path + ": holds NaN or infinity";
  return {};
}

}  // namespace

std::string tensor_matrix_view(const StoredTensor& tensor, const std::string& path,
                               const PayloadLimits& limits,
                               std::optional<Eigen::Map<const RowMajorMatrixXd>>& view,
                               RowMajorMatrixXd& widened) {
  Index rows = 0, cols = 0;
  if (auto err = matrix_shape(tensor, path, limits, rows, cols); !err.empty()) return err;
  if (tensor.array.dtype == Dtype::kFloat32) {
    widened =
        Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            reinterpret_cast<const float*>(tensor.array.data()), rows, cols)
            .cast<double>();
    view.emplace(widened.data(), rows, cols);
  } else {
    view.emplace(reinterpret_cast<const double*>(tensor.array.data()), rows, cols);
  }
  return check_finite(tensor, path);
}

std::string tensor_matrix(const StoredTensor& tensor, const std::string& path,
                          const PayloadLimits& limits, Eigen::MatrixXd& out) {
  std::optional<Eigen::Map<const RowMajorMatrixXd>> view;
  RowMajorMatrixXd widened;
  if (auto err = tensor_matrix_view(tensor, path, limits, view, widened); !err.empty()) return err;
  out = *view;
  return {};
}

std::string tensor_vector(const StoredTensor& tensor, const std::string& path, uint64_t max_length,
                          Eigen::VectorXd& out) {
  const auto& shape = tensor.array.shape;
  const bool column = shape.size() == 2 && shape[1] == 1;
  if (shape.size() != 1 && !column)
    return path + ": a vector tensor must be 1-d (or n x 1), got " + std::to_string(shape.size()) +
           "-d";
  if (tensor.array.dtype == Dtype::kComplex128)
    return path + ": complex128 tensors are not supported by linalg (float64, float32)";
  const uint64_t n = shape[0];
  if (n == 0) return path + ": empty";
  if (n > max_length)
    return path + ": " + std::to_string(n) + " entries exceed the limit of " +
           std::to_string(max_length);
  const auto size = static_cast<Index>(n);
  if (tensor.array.dtype == Dtype::kFloat32)
    out =
        Eigen::Map<const Eigen::VectorXf>(reinterpret_cast<const float*>(tensor.array.data()), size)
            .cast<double>();
  else
    out = Eigen::Map<const Eigen::VectorXd>(reinterpret_cast<const double*>(tensor.array.data()),
                                            size);
  return check_finite(tensor, path);
}

}  // namespace jarvis
