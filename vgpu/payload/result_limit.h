// The bound on the size of a workload's answer. A small request can ask for
// a huge one (a 20000x1 by 1x20000 product is 400 M numbers, 3.2 GB as
// doubles, then several times that as JSON), so each workload works out its
// result's size from the shapes it parsed and asks here before it runs.
#pragma once

#include <cstdint>
#include <string>

namespace jarvis {

/// Empty when a result of `elements` numbers fits `limit`; else the refusal,
/// naming the shape ("20000 x 20000") and the limit:
/// "result: 20000 x 20000 = 400000000 elements exceeds the limit of 16777216 elements".
inline std::string result_over_limit(const std::string& shape, uint64_t elements, uint64_t limit) {
  if (elements <= limit) return {};
  return "result: " + shape + " = " + std::to_string(elements) + " elements exceeds the limit of " +
         std::to_string(limit) + " elements";
}

}  // namespace jarvis
