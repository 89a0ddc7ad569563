// Reading the Prometheus text format in tests: family names and types from
// the "# TYPE" lines, sample values by their full series text.
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace synthminer::telemetry::test {

/// family name -> type ("counter", "gauge", "histogram", ...).
inline std::map<std::string, std::string> families_in(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string hash, keyword, name, type;
    if (words >> hash >> keyword >> name >> type && hash == "#" && keyword == "TYPE") {
      out[name] = type;
    }
  }
  return out;
}

/// The value of the sample whose text before the value is exactly `series`
/// (e.g. `synthminer_pool_up{pool="main"}`).
inline std::optional<double> sample_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace synthminer::telemetry::test
