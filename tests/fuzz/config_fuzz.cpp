// Fuzzes the config loader: whatever a config file holds (a typo, a hostile
// or truncated file), parse_config returns a Config or an error naming the
// place, never crashes, hangs or touches memory it does not own (ASan,
// UBSan). A config it accepts is also diffed against itself, as a reload
// does, and must show no change.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/diff.h"
#include "config/load.h"

namespace cfg = synthminer::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = cfg::parse_config(text);
  if (!parsed) return 0;
  const cfg::ConfigDiff same = cfg::diff(*parsed, *parsed);
  if (!same.empty()) {
    std::fprintf(stderr, "config_fuzz: a config differs from itself\n");
    std::abort();
  }
  return 0;
}
