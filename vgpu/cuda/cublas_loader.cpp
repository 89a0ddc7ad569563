#include "vgpu/cuda/cublas_loader.h"

#include <dlfcn.h>

#include <string>

namespace jarvis::gpu {
namespace {

struct Loaded {
  CublasApi api;
  bool ok = false;
  std::string why;
};

template <typename Fn>
bool bind(void* lib, const char* name, Fn& out, std::string& why) {
  out = reinterpret_cast<Fn>(dlsym(lib, name));
  if (out == nullptr) why = std::string("cuBLAS: symbol ") + name + " missing";
  return out != nullptr;
}

Loaded load() {
  Loaded l;
  // The versioned name first (the toolkit this was built with), then the
  // unversioned development link, then the toolkit's default directory.
  const char* candidates[] = {"libcublas.so.13", "libcublas.so",
                              "/usr/local/cuda/lib64/libcublas.so.13"};
  void* lib = nullptr;
  std::string tried;
  for (const char* name : candidates) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) {
      l.api.library = name;
      break;
    }
    const char* err = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (err ? err : name);
  }
  if (lib == nullptr) {
    l.why = "cuBLAS not loaded: " + tried;
    return l;
  }
  // Stays loaded for the life of the process: handles may outlive any caller.
  l.ok = bind(lib, "cublasCreate_v2", l.api.create, l.why) &&
         bind(lib, "cublasDestroy_v2", l.api.destroy, l.why) &&
         bind(lib, "cublasDgemm_v2", l.api.dgemm, l.why) &&
         bind(lib, "cublasDgemv_v2", l.api.dgemv, l.why);
  std::string ignored;
  bind(lib, "cublasGetStatusString", l.api.status_string, ignored);
  return l;
}

}  // namespace

const CublasApi* load_cublas(std::string* why) {
  static const Loaded loaded = load();  // thread-safe static initialisation
  if (!loaded.ok && why != nullptr) *why = loaded.why;
  return loaded.ok ? &loaded.api : nullptr;
}

std::string status_text(const CublasApi& api, cublasStatus_t status) {
  if (api.status_string != nullptr) return api.status_string(status);
  return "cuBLAS status " + std::to_string(static_cast<int>(status));
}

}  // namespace jarvis::gpu
