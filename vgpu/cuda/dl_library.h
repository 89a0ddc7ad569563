// dlopen helpers shared by the loaders of the CUDA libraries the daemon does
// not link (cublas_loader.h, cusolver_loader.h). Plain C++ header.
#pragma once

#include <dlfcn.h>

#include <initializer_list>
#include <string>

namespace jarvis::gpu {

/// Opens the first of `names` that dlopen finds (RTLD_NOW | RTLD_LOCAL) and
/// sets `loaded` to it. Null when none opens; `tried` then lists dlerror()
/// for each name, "; "-separated. The handle is never closed: the library
/// stays loaded for the life of the process (its handles may outlive any caller).
inline void* open_first(std::initializer_list<const char*> names, std::string& loaded,
                        std::string& tried) {
  for (const char* name : names) {
    if (void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL); lib != nullptr) {
      loaded = name;
      return lib;
    }
    const char* err = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (err ? err : name);
  }
  return nullptr;
}

/// Binds `out` to symbol `name` of `lib`. False with `why` set to
/// "<library>: symbol <name> missing" when it is absent.
template <typename Fn>
bool bind_symbol(void* lib, const char* library, const char* name, Fn& out, std::string& why) {
  out = reinterpret_cast<Fn>(dlsym(lib, name));
  if (out == nullptr) why = std::string(library) + ": symbol " + name + " missing";
  return out != nullptr;
}

/// A library's table of functions, loaded once: `api` when `ok`, else `why`.
template <typename Api>
struct LoadedLibrary {
  Api api;
  bool ok = false;
  std::string why;

  /// The table, or null with `out_why` (may be null) set.
  const Api* get(std::string* out_why) const {
    if (!ok && out_why != nullptr) *out_why = why;
    return ok ? &api : nullptr;
  }
};

}  // namespace jarvis::gpu
