#include "vgpu/cuda/cusolver_loader.h"

#include <string>

#include "vgpu/cuda/dl_library.h"

namespace jarvis::gpu {
namespace {

using Loaded = LoadedLibrary<CusolverApi>;

Loaded load() {
  Loaded l;
  // CUDA 13 ships cuSOLVER 12 (SONAME libcusolver.so.12): the versioned
  // name, the unversioned development link, then the toolkit's directory.
  std::string tried;
  void* lib =
      open_first({"libcusolver.so.12", "libcusolver.so", "/usr/local/cuda/lib64/libcusolver.so.12"},
                 l.api.library, tried);
  if (lib == nullptr) {
    l.why = "cuSOLVER not loaded: " + tried;
    return l;
  }
  l.ok = bind_symbol(lib, "cuSOLVER", "cusolverDnCreate", l.api.create, l.why) &&
         bind_symbol(lib, "cuSOLVER", "cusolverDnDestroy", l.api.destroy, l.why) &&
         bind_symbol(lib, "cuSOLVER", "cusolverDnDgetrf_bufferSize", l.api.dgetrf_buffer_size,
                     l.why) &&
         bind_symbol(lib, "cuSOLVER", "cusolverDnDgetrf", l.api.dgetrf, l.why) &&
         bind_symbol(lib, "cuSOLVER", "cusolverDnDgetrs", l.api.dgetrs, l.why);
  return l;
}

}  // namespace

const CusolverApi* load_cusolver(std::string* why) {
  static const Loaded loaded = load();  // thread-safe static initialisation
  return loaded.get(why);
}

std::string status_text(cusolverStatus_t status) {
  switch (status) {
    case CUSOLVER_STATUS_SUCCESS:
      return "CUSOLVER_STATUS_SUCCESS";
    case CUSOLVER_STATUS_NOT_INITIALIZED:
      return "CUSOLVER_STATUS_NOT_INITIALIZED";
    case CUSOLVER_STATUS_ALLOC_FAILED:
      return "CUSOLVER_STATUS_ALLOC_FAILED";
    case CUSOLVER_STATUS_INVALID_VALUE:
      return "CUSOLVER_STATUS_INVALID_VALUE";
    case CUSOLVER_STATUS_ARCH_MISMATCH:
      return "CUSOLVER_STATUS_ARCH_MISMATCH";
    case CUSOLVER_STATUS_EXECUTION_FAILED:
      return "CUSOLVER_STATUS_EXECUTION_FAILED";
    case CUSOLVER_STATUS_INTERNAL_ERROR:
      return "CUSOLVER_STATUS_INTERNAL_ERROR";
    case CUSOLVER_STATUS_NOT_SUPPORTED:
      return "CUSOLVER_STATUS_NOT_SUPPORTED";
    default:
      return "cuSOLVER status " + std::to_string(static_cast<int>(status));
  }
}

}  // namespace jarvis::gpu
