// The floating-point precision of a state vector: complex doubles (16 bytes
// an amplitude, the default) or complex floats (8 bytes, the payload's
// "precision": "float32").
#pragma once

#include <cstdint>

namespace jarvis::quantum {

enum class Precision : uint8_t { kFloat64, kFloat32 };

/// "float64" or "float32", as in payloads and results.
inline const char* precision_name(Precision p) {
  return p == Precision::kFloat32 ? "float32" : "float64";
}

/// Bytes one amplitude takes.
inline uint64_t amplitude_bytes(Precision p) {
  return p == Precision::kFloat32 ? 8 : 16;
}

}  // namespace jarvis::quantum
