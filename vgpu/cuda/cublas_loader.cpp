#include "vgpu/cuda/cublas_loader.h"

#include <string>

#include "vgpu/cuda/dl_library.h"

namespace jarvis::gpu {
namespace {

using Loaded = LoadedLibrary<CublasApi>;

Loaded load() {
  Loaded l;
  // The versioned name first (the toolkit this was built with), then the
  // unversioned development link, then the toolkit's default directory.
  std::string tried;
  void* lib =
      open_first({"libcublas.so.13", "libcublas.so", "/usr/local/cuda/lib64/libcublas.so.13"},
                 l.api.library, tried);
  if (lib == nullptr) {
    l.why = "cuBLAS not loaded: " + tried;
    return l;
  }
  l.ok = bind_symbol(lib, "cuBLAS", "cublasCreate_v2", l.api.create, l.why) &&
         bind_symbol(lib, "cuBLAS", "cublasDestroy_v2", l.api.destroy, l.why) &&
         bind_symbol(lib, "cuBLAS", "cublasDgemm_v2", l.api.dgemm, l.why) &&
         bind_symbol(lib, "cuBLAS", "cublasDgemv_v2", l.api.dgemv, l.why);
  std::string ignored;
  bind_symbol(lib, "cuBLAS", "cublasGetStatusString", l.api.status_string, ignored);
  return l;
}

}  // namespace

const CublasApi* load_cublas(std::string* why) {
  static const Loaded loaded = load();  // thread-safe static initialisation
  return loaded.get(why);
}

std::string status_text(const CublasApi& api, cublasStatus_t status) {
  if (api.status_string != nullptr) return api.status_string(status);
  return "cuBLAS status " + std::to_string(static_cast<int>(status));
}

}  // namespace jarvis::gpu
