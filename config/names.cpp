#include "config/config.h"

namespace synthminer::config {

const char* to_string(CpuBackend backend) {
  switch (backend) {
    case CpuBackend::kAuto:
      return "auto";
    case CpuBackend::kScalar:
      return "scalar";
    case CpuBackend::kAvx2:
      return "avx2";
    case CpuBackend::kAvx512:
      return "avx512";
    case CpuBackend::kShani:
      return "shani";
  }
  return "?";
}

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

const char* to_string(VgpuProfile profile) {
  return profile == VgpuProfile::kExtreme ? "extreme" : "default";
}

}  // namespace synthminer::config
