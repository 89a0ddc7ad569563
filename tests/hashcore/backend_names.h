// Test helpers: run a suite once per compiled backend, skipping the ones this
// CPU cannot run.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hashcore/backend.h"
#include "hashcore/cpu_features.h"

namespace synthminer::hashcore::testing {

inline std::vector<std::string> compiled_backend_names() {
  std::vector<std::string> names;
  for (const Backend& b : compiled_backends()) names.emplace_back(b.name);
  return names;
}

/// Names parameterised tests after the backend: "BackendScan.Genesis/avx512".
struct BackendParamName {
  std::string operator()(const ::testing::TestParamInfo<std::string>& info) const {
    return info.param;
  }
};

/// The backend for this test, or nullptr (and the test is skipped) when the
/// CPU lacks its instruction set.
inline const Backend* backend_or_skip(const std::string& name) {
  const Backend* b = find_backend(name);
  if (b == nullptr || !b->supported(detect_cpu_features())) return nullptr;
  return b;
}

}  // namespace synthminer::hashcore::testing

#define SYNTHMINER_BACKEND_OR_SKIP(var, name)                 \
  const ::synthminer::hashcore::Backend* var =                \
      ::synthminer::hashcore::testing::backend_or_skip(name); \
  if (var == nullptr) GTEST_SKIP() << "this CPU cannot run backend " << (name)
