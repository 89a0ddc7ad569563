#include "telemetry/status_line.h"

#include <cstdio>

namespace synthminer::telemetry {

std::string format_mhs(const std::optional<double>& hashes_per_second) {
  if (!hashes_per_second) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *hashes_per_second / 1e6);
  return buf;
}

std::string status_line(const SummarySnapshot& s) {
  std::string out = "speed 10s/60s/15m ";
  out.append(format_mhs(s.hashrate.s10)).push_back(' ');
  out.append(format_mhs(s.hashrate.s60)).push_back(' ');
  out.append(format_mhs(s.hashrate.m15)).append(" MH/s | accepted ");
  out.append(std::to_string(s.shares.accepted)).append(" rejected ");
  out.append(std::to_string(s.shares.rejected)).append(" stale ");
  out.append(std::to_string(s.shares.stale)).append(" | hw errors ");
  out.append(std::to_string(s.hardware_errors)).append(" | pools up ");
  out.append(std::to_string(s.pools_up)).push_back('/');
  out.append(std::to_string(s.pools));
  return out;
}

}  // namespace synthminer::telemetry
