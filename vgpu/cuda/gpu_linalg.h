// Dense float64 products on a CUDA device with cuBLAS (loaded at first use,
// cublas_loader.h): DGEMM for matmul, DGEMV for matvec. Eigen's matrices are
// column-major like cuBLAS, so operands go over as they are, no transposes.
// A stored tensor's row-major bytes, already on the device, are a
// column-major cols x rows matrix: cuBLAS reads it transposed (CUBLAS_OP_T,
// leading dimension cols), again with no copy. Plain C++ header.
#pragma once

#include <string>

#include <Eigen/Dense>

namespace jarvis::gpu {

struct CublasApi;

class GpuBlas {
 public:
  explicit GpuBlas(int cuda_index);
  ~GpuBlas();
  GpuBlas(const GpuBlas&) = delete;
  GpuBlas& operator=(const GpuBlas&) = delete;

  /// Loads cuBLAS and creates a handle on the device (the caller has made it
  /// current, select_device) at the first call. Empty when ready, else why not.
  std::string ready();

  /// c = a b (DGEMV when b has one column), operands copied to the device
  /// and back. The device must be current. Empty on success, else why not.
  /// Sets `method` to "cublas-dgemm" or "cublas-dgemv".
  std::string product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                      std::string& method);

  /// c = a b where `device_a` is a rows x cols matrix in row-major order in
  /// device memory (a stored tensor's device copy) and b is copied over;
  /// otherwise as product().
  std::string product_row_major(const double* device_a, Eigen::Index rows, Eigen::Index cols,
                                const Eigen::MatrixXd& b, Eigen::MatrixXd& c, std::string& method);

  /// FLOP/s of n x n DGEMM on device-resident operands, timed over about
  /// `seconds` (at least two runs after a warm-up). 0 with `why` on failure.
  double measure_dgemm(int n, double seconds, std::string& why);

 private:
  /// c = A b, A rows x cols at device_a: column-major, or row-major (read
  /// transposed) when `row_major`. ready() has succeeded.
  std::string multiply(const double* device_a, bool row_major, Eigen::Index rows, Eigen::Index cols,
                       const Eigen::MatrixXd& b, Eigen::MatrixXd& c, std::string& method);

  int device_;
  const CublasApi* api_ = nullptr;
  void* handle_ = nullptr;  // cublasHandle_t
  std::string why_not_;
  bool tried_ = false;
};

}  // namespace jarvis::gpu
