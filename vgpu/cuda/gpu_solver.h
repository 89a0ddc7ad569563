// Dense float64 solves on a CUDA device with cuSOLVER (loaded at first use,
// cusolver_loader.h): LU with partial pivoting (getrf), then getrs. Eigen's
// matrices are column-major like cuSOLVER, so operands go over as they are.
// Plain C++ header.
#pragma once

#include <string>

#include <Eigen/Dense>

#include "vgpu/linalg/linalg_ops.h"

namespace jarvis::gpu {

struct CusolverApi;

/// Whether cuSOLVER can be loaded in this process (no device needed);
/// `why` (may be null) says why not.
bool cusolver_available(std::string* why);

class GpuSolver {
 public:
  explicit GpuSolver(int cuda_index);
  ~GpuSolver();
  GpuSolver(const GpuSolver&) = delete;
  GpuSolver& operator=(const GpuSolver&) = delete;

  /// Loads cuSOLVER and creates a handle on the device (the caller has made
  /// it current, select_device) at the first call. Empty when ready, else why.
  std::string ready();

  /// Solves a x = b (a square n x n, b n x k, both validated by run_linalg)
  /// on the device, the DenseSolve contract (linalg_ops.h): `out.rcond` is
  /// estimated on the host from the factors getrf leaves (copied back,
  /// n x n doubles and n pivots), and getrs runs only when it passes
  /// kSolveMinRcond. The device must be current. Empty on success, else why.
  std::string solve(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, DenseSolution& out);

 private:
  std::string factor_and_solve(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                               DenseSolution& out);

  int device_;
  const CusolverApi* api_ = nullptr;
  void* handle_ = nullptr;  // cusolverDnHandle_t
  std::string why_not_;
  bool tried_ = false;
};

}  // namespace jarvis::gpu
