#include "config/load.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/json_depth.h"
#include "common/printable.h"
#include "config/address.h"
#include "config/object_reader.h"
#include "config/sections.h"

namespace synthminer::config {
namespace {

constexpr std::streamoff kMaxFileBytes = 1 << 20;

void read_pools(ObjectReader& in, std::vector<PoolConfig>& out, const LoadOptions& options) {
  if (!options.pools_required && in.find("pools") == nullptr) return;
  const nlohmann::json& pools = in.require("pools");
  const std::string path = in.path_of("pools");
  if (!pools.is_array() || pools.empty()) fail(path, "must be a list of at least one pool");
  for (size_t i = 0; i < pools.size(); ++i) {
    out.push_back(read_pool(pools[i], json_pointer(path, std::to_string(i))));
  }
}

Config read_document(const nlohmann::json& document, const LoadOptions& options) {
  ObjectReader in(document, "");
  Config out;
  read_pools(in, out.pools, options);
  read_section(in, "stratum", [&](ObjectReader& s) { read_stratum(s, out.stratum); });
  read_section(in, "devices", [&](ObjectReader& s) { read_devices(s, out.devices); });
  read_section(in, "scheduler", [&](ObjectReader& s) { read_scheduler(s, out.scheduler); });
  read_section(in, "logging", [&](ObjectReader& s) { read_logging(s, out.logging); });
  read_section(in, "metrics", [&](ObjectReader& s) { read_metrics(s, out.metrics); });
  read_section(in, "api", [&](ObjectReader& s) { read_api(s, out.api); });
  read_section(in, "vgpu", [&](ObjectReader& s) { read_vgpu(s, out.vgpu); });
  in.finish();
  // Metrics beyond loopback are served only with the API token as the
  // basic-auth password.
  if (out.metrics.enabled && !out.api.token &&
      !is_loopback(parse_host_port(out.metrics.listen, true)->host)) {
    fail("/metrics/listen",
         "a listener beyond loopback needs a token (api.token; Prometheus sends it as the "
         "basic-auth password)");
  }
  return out;
}

}  // namespace

Result<Config> parse_config(std::string_view json_text, const LoadOptions& options) {
  if (!common::json_depth_within(json_text)) return Error{"", common::json_too_deep_error()};
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    // what() reads "[json.exception.parse_error.101] parse error at line …;
    // last read: '…'": keep the words and the position, never the text it
    // last read, which may be a password or a token.
    std::string detail = e.what();
    if (const size_t tag_end = detail.find("] "); tag_end != std::string::npos) {
      detail.erase(0, tag_end + 2);
    }
    if (const size_t quoted = detail.find("; last read:"); quoted != std::string::npos) {
      detail.erase(quoted);
    }
    return Error{"", "JSON syntax error at byte " + std::to_string(e.byte) + ": " + detail};
  } catch (const nlohmann::json::exception&) {
    // out_of_range 406: a number past a double's range (1E999) throws even
    // here; its what() quotes the number, so it is not kept either.
    return Error{"", "JSON syntax error: a number is too large for a double"};
  }
  try {
    return read_document(document, options);
  } catch (const FieldError& e) {
    // Keys come from the file: a control character in one must not reach
    // the journal or the systemd STATUS line as such.
    return Error{common::printable(e.path), e.reason};
  }
}

Result<Config> load_config_file(const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{"", "is a directory", path};
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{"", std::string("cannot open: ") + std::strerror(errno), path};
  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  if (size < 0) return Error{"", "cannot read (not a regular file?)", path};
  if (size > kMaxFileBytes) return Error{"", "larger than 1 MiB", path};
  file.seekg(0, std::ios::beg);
  const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (file.bad()) return Error{"", std::string("cannot read: ") + std::strerror(errno), path};
  auto config = parse_config(text, options);
  if (!config) {
    Error error = config.error();
    error.file = path;
    return error;
  }
  return config;
}

}  // namespace synthminer::config
