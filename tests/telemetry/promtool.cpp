#include "tests/telemetry/promtool.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace synthminer::telemetry::test {

std::string make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return buf.data();
}

CheckResult run_captured(const std::string& command) {
  const std::filesystem::path dir = make_temp_dir("synthminer-run");
  const auto out = dir / "out.txt";
  const int status = std::system((command + " > '" + out.string() + "' 2>&1").c_str());
  CheckResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ostringstream text;
  text << std::ifstream(out).rdbuf();
  result.output = text.str();
  std::filesystem::remove_all(dir);
  return result;
}

CheckResult promtool_check_metrics(const std::string& metrics) {
  const std::filesystem::path dir = make_temp_dir("synthminer-promtool");
  const auto in = dir / "metrics.txt";
  std::ofstream(in) << metrics;
  CheckResult result =
      run_captured(std::string(kPromtool) + " check metrics < '" + in.string() + "'");
  std::filesystem::remove_all(dir);
  return result;
}

}  // namespace synthminer::telemetry::test
