#include "vgpu/generic_ops.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "vgpu/payload/payload_parse.h"
#include "vgpu/payload/result_limit.h"

namespace jarvis {
namespace {

using nlohmann::json;

json with_count(json value, size_t n) {
  return json{{"value", std::move(value)}, {"count", n}};
}

OpResult run_histogram(const json& payload, const PayloadLimits& limits,
                       const std::vector<double>& values) {
  uint64_t bins = 10;
  if (auto err = read_uint(payload, "bins", 1, limits.max_histogram_bins, bins); !err.empty())
    return OpResult::failure(err);
  auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  double lo = *min_it, hi = *max_it;
  if (payload.contains("range")) {
    std::vector<double> range;
    if (auto err = parse_vector(payload["range"], "range", 2, range); !err.empty())
      return OpResult::failure(err);
    if (range.size() != 2 || !(range[0] < range[1]))
      return OpResult::failure("range: expected [lo, hi] with lo < hi");
    lo = range[0];
    hi = range[1];
  }
  std::vector<uint64_t> counts(bins, 0);
  uint64_t outside = 0;
  const double width = hi > lo ? (hi - lo) / static_cast<double>(bins) : 1.0;
  for (double v : values) {
    if (v < lo || v > hi) {
      ++outside;
      continue;
    }
    auto bin = static_cast<uint64_t>((v - lo) / width);
    counts[std::min(bin, bins - 1)]++;
  }
  json edges = json::array();
  for (uint64_t i = 0; i <= bins; ++i) edges.push_back(lo + width * static_cast<double>(i));
  json result = with_count(counts, values.size());
  result["edges"] = std::move(edges);
  result["outside"] = outside;
  return OpResult::success(std::move(result), 2 * values.size());
}

}  // namespace

OpResult run_generic(const json& payload, const PayloadLimits& limits) {
  if (!payload.is_object()) return OpResult::failure("payload: expected a JSON object");
  std::string op;
  if (auto err = read_string(payload, "operation", true, op); !err.empty())
    return OpResult::failure(err);
  static const char* const kOps[] = {"sum", "mean", "min", "max", "sort", "histogram", "dot"};
  if (std::find_if(std::begin(kOps), std::end(kOps), [&](const char* k) { return op == k; }) ==
      std::end(kOps))
    return OpResult::failure("operation: unknown generic operation \"" + op +
                             "\" (sum, mean, min, max, sort, histogram, dot)");
  std::vector<double> values;
  if (auto err = parse_vector(payload.contains("values") ? payload["values"] : json(), "values",
                              limits.max_array_length, values);
      !err.empty())
    return OpResult::failure(err);
  const size_t n = values.size();
  if (op == "sum")
    return OpResult::success(with_count(std::accumulate(values.begin(), values.end(), 0.0), n),
                             n - 1);
  if (op == "mean")
    return OpResult::success(
        with_count(std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n), n),
        n);
  if (op == "min")
    return OpResult::success(with_count(*std::min_element(values.begin(), values.end()), n));
  if (op == "max")
    return OpResult::success(with_count(*std::max_element(values.begin(), values.end()), n));
  if (op == "sort") {
    if (auto err =
            result_over_limit(std::to_string(n) + " sorted values", n, limits.max_result_elements);
        !err.empty())
      return OpResult::too_large(std::move(err));
    bool descending = false;
    if (auto err = read_bool(payload, "descending", descending); !err.empty())
      return OpResult::failure(err);
    if (descending)
      std::sort(values.begin(), values.end(), std::greater<>());
    else
      std::sort(values.begin(), values.end());
    return OpResult::success(with_count(values, n));
  }
  if (op == "histogram") return run_histogram(payload, limits, values);
  std::vector<double> other;
  if (auto err = parse_vector(payload.contains("other") ? payload["other"] : json(), "other",
                              limits.max_array_length, other);
      !err.empty())
    return OpResult::failure(err);
  if (other.size() != n)
    return OpResult::failure("other: has " + std::to_string(other.size()) + " entries, expected " +
                             std::to_string(n) + " (as values)");
  return OpResult::success(
      with_count(std::inner_product(values.begin(), values.end(), other.begin(), 0.0), n),
      2 * n - 1);
}

}  // namespace jarvis
