// cuSOLVER (dense LU), loaded with dlopen at first use like cuBLAS
// (cublas_loader.h): the daemon does not link it, and a device without it
// solves on the host. Internal to vgpu/cuda (cusolverDn.h for the function
// types only; no cuSOLVER symbol is linked).
#pragma once

#include <cusolverDn.h>

#include <string>

namespace jarvis::gpu {

struct CusolverApi {
  decltype(&::cusolverDnCreate) create = nullptr;
  decltype(&::cusolverDnDestroy) destroy = nullptr;
  decltype(&::cusolverDnDgetrf_bufferSize) dgetrf_buffer_size = nullptr;
  decltype(&::cusolverDnDgetrf) dgetrf = nullptr;
  decltype(&::cusolverDnDgetrs) dgetrs = nullptr;
  std::string library;  ///< the file that was loaded, e.g. "libcusolver.so.12"
};

/// The process's cuSOLVER, loaded once (thread-safe). Null when it cannot be
/// loaded; `why` (may be null) then says what was tried.
const CusolverApi* load_cusolver(std::string* why);

/// "CUSOLVER_STATUS_..." text of `status` (cuSOLVER has no status-string call).
std::string status_text(cusolverStatus_t status);

}  // namespace jarvis::gpu
