// Counter and gauge families beyond the built-in ones (the vgpu metrics,
// and whatever comes next): a name, a help line, label names, and values by
// label set. Label values are sanitised and at most kMaxSeries label sets
// are kept; later new ones fold into a set whose values are all "other".
// Not thread-safe: the Registry guards its families with its mutex.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "telemetry/result.h"
#include "telemetry/snapshot.h"

namespace synthminer::telemetry {

struct FamilySpec {
  std::string name;  ///< synthminer_[a-z0-9_]+, base units; counters end in _total
  std::string help;
  FamilyKind kind = FamilyKind::kCounter;
  std::vector<std::string> label_names;  ///< [a-z][a-z0-9_]*, not "le" or "quantile"
};

/// Empty when `spec` is a valid family; else what is wrong with it.
std::string check_family_spec(const FamilySpec& spec);

class Family {
 public:
  static constexpr size_t kMaxSeries = 64;

  explicit Family(FamilySpec spec) : spec_(std::move(spec)) {}
  const FamilySpec& spec() const { return spec_; }
  /// Adds `delta` (counters: only a positive delta counts). `label_values`
  /// must have one value per label name, else the call is ignored.
  void add(const std::vector<std::string>& label_values, double delta);
  /// Sets a gauge's value; ignored for counters.
  void set(const std::vector<std::string>& label_values, double value);
  FamilySnapshot snapshot() const;

 private:
  double* slot(const std::vector<std::string>& label_values);

  FamilySpec spec_;
  std::map<std::vector<std::string>, double> series_;
};

}  // namespace synthminer::telemetry
