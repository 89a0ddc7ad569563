// cuBLAS, loaded with dlopen at first use: the daemon does not link it, so
// it runs where the toolkit is absent, and a device without cuBLAS simply
// runs no linalg. Internal to vgpu/cuda (needs the toolkit's headers for the
// function types; no cuBLAS symbol is linked).
#pragma once

#include <cublas_v2.h>

#include <string>

namespace jarvis::gpu {

struct CublasApi {
  decltype(&::cublasCreate_v2) create = nullptr;
  decltype(&::cublasDestroy_v2) destroy = nullptr;
  decltype(&::cublasDgemm_v2) dgemm = nullptr;
  decltype(&::cublasDgemv_v2) dgemv = nullptr;
  decltype(&::cublasGetStatusString) status_string = nullptr;  ///< may stay null
  std::string library;  ///< the file that was loaded, e.g. "libcublas.so.13"
};

/// The process's cuBLAS, loaded once (thread-safe). Null when it cannot be
/// loaded; `why` (may be null) then says what was tried.
const CublasApi* load_cublas(std::string* why);

/// "CUBLAS_STATUS_..." text of `status`.
std::string status_text(const CublasApi& api, cublasStatus_t status);

}  // namespace jarvis::gpu
