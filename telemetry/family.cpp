#include "telemetry/family.h"

#include <cmath>

#include "telemetry/labels.h"

namespace synthminer::telemetry {

namespace {

bool is_token(const std::string& s, bool digits_first) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok =
        (c >= 'a' && c <= 'z') || c == '_' || ((c >= '0' && c <= '9') && (i > 0 || digits_first));
    if (!ok) return false;
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string check_family_spec(const FamilySpec& spec) {
  const std::string prefix = "synthminer_";
  if (spec.name.rfind(prefix, 0) != 0 || spec.name.size() == prefix.size() ||
      !is_token(spec.name, false)) {
    return "family name '" + spec.name + "' is not synthminer_[a-z0-9_]+";
  }
  const bool total = ends_with(spec.name, "_total");
  if (spec.kind == FamilyKind::kCounter && !total) {
    return "counter '" + spec.name + "' must end in _total";
  }
  if (spec.kind == FamilyKind::kGauge && total) {
    return "gauge '" + spec.name + "' must not end in _total";
  }
  if (spec.help.empty()) return "family '" + spec.name + "' has no help text";
  for (const std::string& label : spec.label_names) {
    if (!is_token(label, false) || label[0] == '_' || label == "le" || label == "quantile") {
      return "family '" + spec.name + "': bad label name '" + label + "'";
    }
  }
  return {};
}

double* Family::slot(const std::vector<std::string>& label_values) {
  if (label_values.size() != spec_.label_names.size()) return nullptr;
  std::vector<std::string> key;
  key.reserve(label_values.size());
  for (const std::string& v : label_values) key.push_back(sanitize_name(v));
  auto it = series_.find(key);
  if (it != series_.end()) return &it->second;
  if (series_.size() >= kMaxSeries) key.assign(key.size(), "other");
  return &series_[key];
}

void Family::add(const std::vector<std::string>& label_values, double delta) {
  if (std::isnan(delta) || (spec_.kind == FamilyKind::kCounter && delta < 0)) return;
  if (double* value = slot(label_values)) *value += delta;
}

void Family::set(const std::vector<std::string>& label_values, double value) {
  if (spec_.kind != FamilyKind::kGauge) return;
  if (double* v = slot(label_values)) *v = value;
}

FamilySnapshot Family::snapshot() const {
  FamilySnapshot out{spec_.name, spec_.help, spec_.kind, spec_.label_names, {}};
  out.series.assign(series_.begin(), series_.end());
  return out;
}

}  // namespace synthminer::telemetry
