#include "vgpu/cuda/gpu_solver.h"

#include <algorithm>
#include <climits>
#include <vector>

#include "vgpu/cuda/cuda_check.h"
#include "vgpu/cuda/cusolver_loader.h"

namespace jarvis::gpu {
namespace {

cusolverDnHandle_t as_handle(void* h) {
  return static_cast<cusolverDnHandle_t>(h);
}

// Empty when `status` is success, else "<where>: <call>: CUSOLVER_STATUS_...".
std::string checked(cusolverStatus_t status, const std::string& where, const char* call) {
  if (status == CUSOLVER_STATUS_SUCCESS) return {};
  return where + ": " + call + ": " + status_text(status);
}

// The devInfo a getrf or getrs call left on the device (the blocking copy
// waits for the call, both being on the legacy default stream).
std::string read_info(const DeviceBuffer& dinfo, int& info, const std::string& where,
                      const char* call) {
  if (auto err = dinfo.download(&info, 1, where + ": " + call + " devInfo"); !err.empty())
    return err;
  if (info < 0) return where + ": " + call + ": parameter " + std::to_string(-info) + " is invalid";
  return {};
}

}  // namespace

bool cusolver_available(std::string* why) {
  return load_cusolver(why) != nullptr;
}

GpuSolver::GpuSolver(int cuda_index) : device_(cuda_index) {}

GpuSolver::~GpuSolver() {
  if (handle_ != nullptr && api_ != nullptr) {
    cudaSetDevice(device_);
    api_->destroy(as_handle(handle_));
  }
}

std::string GpuSolver::ready() {
  if (tried_) return why_not_;
  tried_ = true;
  api_ = load_cusolver(&why_not_);
  if (api_ == nullptr) return why_not_;
  cusolverDnHandle_t h = nullptr;
  why_not_ = checked(api_->create(&h), device_id(device_), "cusolverDnCreate");
  if (why_not_.empty()) handle_ = h;
  return why_not_;
}

std::string GpuSolver::solve(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                             DenseSolution& out) {
  if (auto err = ready(); !err.empty()) return err;
  const std::string where = device_id(device_) + ": linalg solve";
  if (a.rows() != a.cols() || b.rows() != a.rows())
    return where + ": expected a square matrix and a right-hand side with as many rows";
  if (a.rows() > INT_MAX || b.cols() > INT_MAX)
    return where + ": dimensions exceed cuSOLVER's int range";
  out.method = "cusolver-getrf";
  if (a.rows() == 0) {  // nothing to send; the host's answer for an empty system
    out.rcond = lu_rcond(a, {}, 0.0);
    out.x.resize(0, b.cols());
    return {};
  }
  return factor_and_solve(a, b, out);
}

// Conditioning: the factors getrf leaves are copied back and the host runs
// Eigen's estimator on them (lu_rcond), the estimator PartialPivLU::rcond()
// runs on its own factors. The estimate is built from solves with A, which
// do not depend on how ties between pivots were broken, so the same matrix
// is refused here as on the host except within rounding of kSolveMinRcond;
// an exactly zero pivot (devInfo > 0) is always refused. Estimating on the
// host matrix before sending would match even at the threshold, but only by
// repeating the whole O(n^3) factorisation on the host.
std::string GpuSolver::factor_and_solve(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                        DenseSolution& out) {
  const std::string where = device_id(device_) + ": linalg solve";
  const int n = static_cast<int>(a.rows());  // also lda and ldb: column-major, unpadded
  const int k = static_cast<int>(b.cols());
  const cusolverDnHandle_t h = as_handle(handle_);
  DeviceBuffer da, db, dpiv, dinfo, dwork;
  if (auto err = da.upload(a.data(), static_cast<size_t>(a.size()), where); !err.empty())
    return err;
  if (auto err = dpiv.allocate(sizeof(int) * static_cast<size_t>(n), where); !err.empty())
    return err;
  if (auto err = dinfo.allocate(sizeof(int), where); !err.empty()) return err;
  int lwork = 0;
  if (auto err = checked(api_->dgetrf_buffer_size(h, n, n, da.get(), n, &lwork), where,
                         "cusolverDnDgetrf_bufferSize");
      !err.empty())
    return err;
  const size_t work_bytes = sizeof(double) * static_cast<size_t>(std::max(lwork, 1));
  if (auto err = dwork.allocate(work_bytes, where); !err.empty()) return err;
  if (auto err =
          checked(api_->dgetrf(h, n, n, da.get(), n, dwork.get(), dpiv.as<int>(), dinfo.as<int>()),
                  where, "cusolverDnDgetrf");
      !err.empty())
    return err;
  int info = 0;
  if (auto err = read_info(dinfo, info, where, "cusolverDnDgetrf"); !err.empty()) return err;

  Eigen::MatrixXd lu(n, n);
  std::vector<int> ipiv(static_cast<size_t>(n));
  if (auto err = da.download(lu.data(), static_cast<size_t>(lu.size()), where); !err.empty())
    return err;
  if (auto err = dpiv.download(ipiv.data(), ipiv.size(), where); !err.empty()) return err;
  out.rcond = lu_rcond(lu, ipiv, a.cwiseAbs().colwise().sum().maxCoeff());
  if (info > 0) out.rcond = 0.0;                 // U(info, info) is exactly zero: as the host says
  if (!(out.rcond > kSolveMinRcond)) return {};  // run_linalg refuses, as on the host

  if (auto err = db.upload(b.data(), static_cast<size_t>(b.size()), where); !err.empty())
    return err;
  if (auto err = checked(api_->dgetrs(h, CUBLAS_OP_N, n, k, da.get(), n, dpiv.as<int>(), db.get(),
                                      n, dinfo.as<int>()),
                         where, "cusolverDnDgetrs");
      !err.empty())
    return err;
  if (auto err = read_info(dinfo, info, where, "cusolverDnDgetrs"); !err.empty()) return err;
  out.x.resize(n, k);
  return db.download(out.x.data(), static_cast<size_t>(out.x.size()), where);
}

}  // namespace jarvis::gpu
