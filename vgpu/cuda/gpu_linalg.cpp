#include "vgpu/cuda/gpu_linalg.h"

#include <chrono>
#include <climits>
#include <random>
#include <vector>

#include "vgpu/cuda/cublas_loader.h"
#include "vgpu/cuda/cuda_check.h"

namespace jarvis::gpu {
namespace {

cublasHandle_t as_handle(void* h) {
  return static_cast<cublasHandle_t>(h);
}

// A whole column-major matrix onto the device.
std::string upload(const Eigen::MatrixXd& m, DeviceBuffer& buf, const std::string& what) {
  return buf.upload(m.data(), static_cast<size_t>(m.size()), what);
}

}  // namespace

GpuBlas::GpuBlas(int cuda_index) : device_(cuda_index) {}

GpuBlas::~GpuBlas() {
  if (handle_ != nullptr && api_ != nullptr) {
    cudaSetDevice(device_);
    api_->destroy(as_handle(handle_));
  }
}

std::string GpuBlas::ready() {
  if (tried_) return why_not_;
  tried_ = true;
  api_ = load_cublas(&why_not_);
  if (api_ == nullptr) return why_not_;
  cublasHandle_t h = nullptr;
  const cublasStatus_t st = api_->create(&h);
  if (st != CUBLAS_STATUS_SUCCESS) {
    why_not_ = device_id(device_) + ": cublasCreate: " + status_text(*api_, st);
    return why_not_;
  }
  handle_ = h;
  return {};
}

std::string GpuBlas::product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                             std::string& method) {
  if (auto err = ready(); !err.empty()) return err;
  DeviceBuffer da;
  if (auto err = upload(a, da, device_id(device_) + ": linalg"); !err.empty()) return err;
  return multiply(da.get(), /*row_major=*/false, a.rows(), a.cols(), b, c, method);
}

std::string GpuBlas::product_row_major(const double* device_a, Eigen::Index rows, Eigen::Index cols,
                                       const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                                       std::string& method) {
  if (auto err = ready(); !err.empty()) return err;
  return multiply(device_a, /*row_major=*/true, rows, cols, b, c, method);
}

std::string GpuBlas::multiply(const double* device_a, bool row_major, Eigen::Index rows,
                              Eigen::Index cols, const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                              std::string& method) {
  const std::string where = device_id(device_) + ": linalg";
  if (rows > INT_MAX || cols > INT_MAX || b.cols() > INT_MAX)
    return where + ": dimensions exceed cuBLAS's int range";
  const int m = static_cast<int>(rows);
  const int k = static_cast<int>(cols);
  const int n = static_cast<int>(b.cols());
  DeviceBuffer db, dc;
  if (auto err = upload(b, db, where); !err.empty()) return err;
  c.resize(m, n);
  if (auto err = dc.allocate(sizeof(double) * static_cast<size_t>(c.size()), where); !err.empty())
    return err;
  const double one = 1.0, zero = 0.0;
  // Row-major bytes read column-major are A^T, k x m with leading dimension k.
  const cublasOperation_t op = row_major ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int lda = row_major ? k : m;
  cublasStatus_t st;
  if (n == 1) {
    method = "cublas-dgemv";
    // DGEMV takes the stored matrix's own shape: k x m (transposed), or m x k.
    const int stored_rows = row_major ? k : m, stored_cols = row_major ? m : k;
    st = api_->dgemv(as_handle(handle_), op, stored_rows, stored_cols, &one, device_a, lda,
                     db.get(), 1, &zero, dc.get(), 1);
  } else {
    method = "cublas-dgemm";
    st = api_->dgemm(as_handle(handle_), op, CUBLAS_OP_N, m, n, k, &one, device_a, lda, db.get(), k,
                     &zero, dc.get(), m);
  }
  if (st != CUBLAS_STATUS_SUCCESS) return where + ": " + method + ": " + status_text(*api_, st);
  // A blocking copy on the legacy default stream waits for the product.
  return dc.download(c.data(), static_cast<size_t>(c.size()), where);
}

double GpuBlas::measure_dgemm(int n, double seconds, std::string& why) {
  if (why = ready(); !why.empty()) return 0.0;
  const std::string where = device_id(device_) + ": dgemm calibration";
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  Eigen::MatrixXd host(n, n);
  for (Eigen::Index i = 0; i < host.size(); ++i) host.data()[i] = dist(rng);
  DeviceBuffer da, db, dc;
  if (why = upload(host, da, where); !why.empty()) return 0.0;
  if (why = upload(host, db, where); !why.empty()) return 0.0;
  if (why = dc.allocate(sizeof(double) * static_cast<size_t>(host.size()), where); !why.empty())
    return 0.0;
  const double one = 1.0, zero = 0.0;
  // One product, waited for; empty or why it failed.
  auto run = [&]() -> std::string {
    const cublasStatus_t st = api_->dgemm(as_handle(handle_), CUBLAS_OP_N, CUBLAS_OP_N, n, n, n,
                                          &one, da.get(), n, db.get(), n, &zero, dc.get(), n);
    if (st != CUBLAS_STATUS_SUCCESS) return where + ": " + status_text(*api_, st);
    const cudaError_t e = cudaDeviceSynchronize();
    return e == cudaSuccess ? std::string() : where + ": " + cudaGetErrorString(e);
  };
  if (why = run(); !why.empty()) return 0.0;  // warm-up
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t runs = 0;
  double elapsed = 0.0;
  while (runs < 2 || elapsed < seconds) {
    if (why = run(); !why.empty()) return 0.0;
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double nn = static_cast<double>(n);
  return 2.0 * nn * nn * nn * static_cast<double>(runs) / elapsed;
}

}  // namespace jarvis::gpu
