#include "vgpu/hashing_ops.h"

#include <algorithm>
#include <string>
#include <vector>

#include "hashcore/scan.h"
#include "hashcore/sha256.h"
#include "vgpu/cache/digest.h"
#include "vgpu/payload/payload_parse.h"

namespace jarvis {
namespace {

using nlohmann::json;
namespace hc = synthminer::hashcore;

// Nonces scanned per call while collecting results (256 KiB of nonces at most).
constexpr uint64_t kScanSliceNonces = 1ull << 16;

// SHA-256 compressions for `bytes` of message (padding included).
uint64_t blocks_for(uint64_t bytes) {
  return (bytes + 9 + 63) / 64;
}

std::string display_hex(const hc::Digest& d) {
  hc::Digest reversed;
  std::reverse_copy(d.begin(), d.end(), reversed.begin());
  return to_hex(reversed.data(), reversed.size());
}

OpResult run_digest(const json& payload, const PayloadLimits& limits, bool twice,
                    const hc::Backend* sha) {
  const bool has_text = payload.contains("data");
  const bool has_hex = payload.contains("data_hex");
  if (has_text == has_hex)
    return OpResult::failure("data: give exactly one of \"data\" or \"data_hex\"");
  std::string text;
  std::vector<uint8_t> bytes;
  if (has_text) {
    if (auto err = read_string(payload, "data", true, text); !err.empty())
      return OpResult::failure(err);
    bytes.assign(text.begin(), text.end());
  } else {
    if (auto err = read_string(payload, "data_hex", true, text); !err.empty())
      return OpResult::failure(err);
    if (text.size() / 2 > limits.max_hash_bytes)
      return OpResult::failure("data_hex: " + std::to_string(text.size() / 2) +
                               " bytes exceed the limit of " +
                               std::to_string(limits.max_hash_bytes));
    if (auto err = from_hex(text, "data_hex", bytes); !err.empty()) return OpResult::failure(err);
  }
  if (bytes.size() > limits.max_hash_bytes)
    return OpResult::failure("data: " + std::to_string(bytes.size()) +
                             " bytes exceed the limit of " + std::to_string(limits.max_hash_bytes));
  hc::Digest d = digest_bytes(bytes, sha);
  if (twice) d = hc::sha256(d);
  OpResult r =
      OpResult::success(json{{"value", to_hex(d.data(), d.size())}, {"bytes", bytes.size()}});
  r.hashes = blocks_for(bytes.size()) + (twice ? 1 : 0);
  return r;
}

OpResult run_scan(const json& payload, const PayloadLimits& limits, const hc::Backend& backend) {
  std::string header_hex, target_hex;
  if (auto err = read_string(payload, "header_hex", true, header_hex); !err.empty())
    return OpResult::failure(err);
  if (header_hex.size() != 160)
    return OpResult::failure("header_hex: expected 160 hex digits (80 bytes), got " +
                             std::to_string(header_hex.size()));
  std::vector<uint8_t> header;
  if (auto err = from_hex(header_hex, "header_hex", header); !err.empty())
    return OpResult::failure(err);
  if (auto err = read_string(payload, "target_hex", true, target_hex); !err.empty())
    return OpResult::failure(err);
  std::vector<uint8_t> target_bytes;
  if (target_hex.size() != 64)
    return OpResult::failure("target_hex: expected 64 hex digits, got " +
                             std::to_string(target_hex.size()));
  if (auto err = from_hex(target_hex, "target_hex", target_bytes); !err.empty())
    return OpResult::failure(err);
  uint64_t start = 0, count = 0;
  if (auto err = read_uint(payload, "nonce_start", 0, 0xffffffffull, start); !err.empty())
    return OpResult::failure(err);
  if (!payload.contains("nonce_count")) return OpResult::failure("nonce_count: missing");
  if (auto err = read_uint(payload, "nonce_count", 1, limits.max_scan_nonces, count); !err.empty())
    return OpResult::failure(err);
  if (start + count > (1ull << 32))
    return OpResult::failure("nonce_count: the range [" + std::to_string(start) + ", " +
                             std::to_string(start + count) + ") passes the last nonce 2^32 - 1");
  const hc::Target target = hc::Target::from_hex(target_hex);
  const hc::ScanJob job =
      hc::scan_job_from_header(std::span<const uint8_t, 80>(header.data(), 80), target);
  // In slices, so that an easy target is refused once it passes the limit,
  // not after collecting up to 2^26 nonces.
  const hc::PreparedScan prepared = hc::prepare_scan(job);
  hc::ScanResult scan;
  for (uint64_t done = 0; done < count && scan.nonces.size() <= limits.max_scan_results;) {
    const uint64_t slice = std::min(kScanSliceNonces, count - done);
    hc::ScanResult part =
        hc::scan(backend, prepared, hc::NonceRange{static_cast<uint32_t>(start + done), slice});
    scan.hashes += part.hashes;
    scan.nonces.insert(scan.nonces.end(), part.nonces.begin(), part.nonces.end());
    done += slice;
  }
  if (scan.nonces.size() > limits.max_scan_results) {
    OpResult refused =
        OpResult::too_large("target_hex: more than " + std::to_string(limits.max_scan_results) +
                            " nonces meet the target, over the limit of " +
                            std::to_string(limits.max_scan_results) + " results");
    refused.hashes = scan.hashes;
    return refused;
  }
  json hashes = json::array();
  for (uint32_t nonce : scan.nonces) hashes.push_back(display_hex(hc::header_hash(job, nonce)));
  OpResult r = OpResult::success(json{{"hashes", scan.hashes},
                                      {"nonces", scan.nonces},
                                      {"hashes_hex", std::move(hashes)},
                                      {"backend", std::string(backend.name)}});
  r.hashes = scan.hashes;
  return r;
}

}  // namespace

OpResult run_hashing(const json& payload, const PayloadLimits& limits, const hc::Backend& backend,
                     const hc::Backend* sha) {
  if (!payload.is_object()) return OpResult::failure("payload: expected a JSON object");
  std::string op;
  if (auto err = read_string(payload, "operation", true, op); !err.empty())
    return OpResult::failure(err);
  if (op == "sha256") return run_digest(payload, limits, false, sha);
  if (op == "sha256d") return run_digest(payload, limits, true, sha);
  if (op == "scan") return run_scan(payload, limits, backend);
  return OpResult::failure("operation: unknown hashing operation \"" + op +
                           "\" (sha256, sha256d, scan)");
}

}  // namespace jarvis
