// Fuzzes the Stratum line parser and every typed message parser behind it:
// whatever a pool sends, each must return a value or an error, never crash,
// hang or touch memory it does not own (run under ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stratum/messages.h"
#include "stratum/work.h"

namespace sm = synthminer::stratum;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto in = sm::parse_line(line);
  if (!in) return 0;

  if (auto job = sm::parse_notify(in->params)) {
    // Build a share header from whatever the job holds.
    const sm::Extranonce session{{1, 2, 3, 4}, 4};
    const uint8_t en2[4] = {0, 0, 0, 1};
    (void)sm::share_header(*job, session, en2, job->version, job->ntime, 0);
    (void)sm::nbits_to_target(job->nbits);
  }
  if (auto d = sm::parse_set_difficulty(in->params)) (void)sm::difficulty_to_target(*d);
  (void)sm::parse_set_extranonce(in->params);
  (void)sm::parse_set_version_mask(in->params);
  (void)sm::parse_reconnect(in->params);
  (void)sm::parse_subscribe_result(in->result);
  (void)sm::parse_configure_result(in->result);
  (void)sm::parse_subscribe_result(in->params);
  (void)sm::parse_configure_result(in->params.empty() ? in->params : in->params[0]);
  return 0;
}
