#include "tools/jarvis-bench/bench_suite.h"

#include <functional>
#include <string>

#include "tools/jarvis-bench/bench_util.h"
#include "vgpu/payload/payload_parse.h"

namespace jarvis::bench {
namespace {

using nlohmann::json;

struct Request {
  const char* kind;
  std::string signature;
  json payload;
};

// A scenario's requests are built before its clock starts, so the wall time
// covers submit() calls only.
struct Scenario {
  std::string name;
  std::string description;
  std::function<std::vector<Request>()> prepare;
};

json run_scenario(Jarvis5090X& jarvis, const Scenario& s) {
  const std::vector<Request> requests = s.prepare();
  std::string first_error;
  jarvis.reset_stats();
  for (const Request& r : requests) {
    SubmitResult result = jarvis.submit(r.kind, r.signature, r.payload);
    if (!result.ok && first_error.empty()) first_error = result.error;
  }
  BenchmarkStats stats = jarvis.benchmark_stats();
  json out = stats.to_json();
  out["name"] = s.name;
  out["description"] = s.description;
  if (!first_error.empty()) out["first_error"] = first_error;
  return out;
}

json vector_of(Eigen::Index n, std::mt19937_64& rng) {
  return vector_to_json(gaussian(n, 1, rng).col(0));
}

json circuit(int qubits, int depth, uint64_t seed) {
  json gates = json::array();
  for (int d = 0; d < depth; ++d) {
    for (int q = 0; q < qubits; ++q) gates.push_back({{"op", "h"}, {"q", q}});
    for (int q = 0; q + 1 < qubits; q += 2) gates.push_back({{"op", "cx"}, {"c", q}, {"t", q + 1}});
    for (int q = 0; q < qubits; ++q)
      gates.push_back({{"op", "rz"}, {"q", q}, {"theta", 0.1 * (d + 1) * (q + 1)}});
  }
  return {{"qubits", qubits}, {"gates", gates}, {"shots", 128}, {"seed", seed}};
}

}  // namespace

json run_seed_suite(Jarvis5090X& jarvis, bool quick) {
  const Eigen::Index n = quick ? 256 : 1024;
  const int reps = quick ? 8 : 20;
  std::mt19937_64 rng(9);
  const json low_rank = matrix_to_json(gaussian(n, 8, rng) * gaussian(8, n, rng));
  const json full_rank = matrix_to_json(gaussian(n, n, rng));
  std::vector<json> vectors;
  for (int i = 0; i < reps; ++i) vectors.push_back(vector_of(n, rng));
  const int qubits = quick ? 8 : 16;
  const std::string dim = std::to_string(n) + "x" + std::to_string(n);
  std::string low_rank_digest;
  auto products = [&](const json& matrix, const char* sig) {
    std::vector<Request> out;
    for (const json& v : vectors)
      out.push_back({"linalg", sig, {{"operation", "matvec"}, {"matrix", matrix}, {"vector", v}}});
    return out;
  };
  std::vector<Scenario> scenarios = {
      {"low_rank_matmul_repeated",
       "same " + dim +
           " rank-8 matrix in the JSON, a new vector each call: compression from the "
           "2nd sighting",
       [&] { return products(low_rank, "lr"); }},
      {"low_rank_matmul_by_ref",
       "the same products by matrix_ref (the digest a result returned): no matrix in the JSON",
       [&] {
         std::vector<Request> out;
         for (const json& v : vectors)
           out.push_back(
               {"linalg",
                "lr_ref",
                {{"operation", "matvec"}, {"matrix_ref", low_rank_digest}, {"vector", v}}});
         return out;
       }},
      {"full_rank_matmul_repeated",
       "same " + dim + " full-rank matrix, a new vector each call: never compressed",
       [&] { return products(full_rank, "fr"); }},
      {"identical_matmul_repeated",
       "the same full-rank request each call: cache hits after the 1st",
       [&] {
         std::vector<Request> out(
             static_cast<size_t>(reps),
             Request{"linalg",
                     "same",
                     {{"operation", "matvec"}, {"matrix", full_rank}, {"vector", vectors[0]}}});
         return out;
       }},
      {"circuit_repeated",
       std::to_string(qubits) + "-qubit circuit, same request each call: cache hits after the 1st",
       [&] {
         return std::vector<Request>(static_cast<size_t>(reps),
                                     Request{"quantum", "circ", circuit(qubits, 4, 1)});
       }},
      {"circuit_unique", std::to_string(qubits) + "-qubit circuits, a new seed each call",
       [&] {
         std::vector<Request> out;
         for (int i = 0; i < reps; ++i)
           out.push_back({"quantum", "circ", circuit(qubits, 4, 100 + static_cast<uint64_t>(i))});
         return out;
       }},
      {"hashing", "sha256d of 1 MiB and sha256d scans of 2^20 nonces, each unique",
       [&] {
         std::vector<Request> out;
         for (int i = 0; i < (quick ? 2 : 8); ++i) {
           out.push_back({"hashing",
                          "h",
                          {{"operation", "sha256d"},
                           {"data", std::string(1 << 20, static_cast<char>('a' + i))}}});
           out.push_back({"hashing",
                          "scan",
                          {{"operation", "scan"},
                           {"header_hex", std::string(160, '0')},
                           {"nonce_start", static_cast<uint64_t>(i) << 20},
                           {"nonce_count", 1 << 20},
                           {"target_hex",
                            "00000000ffff0000000000000000000000000000000000000000000000000000"}}});
         }
         return out;
       }},
  };
  json out = json::array();
  for (const Scenario& s : scenarios) {
    out.push_back(run_scenario(jarvis, s));
    if (s.name == "low_rank_matmul_repeated") {
      // The digest the layer reports, for the by-reference scenario.
      SubmitResult r =
          jarvis.submit("linalg", "lr_digest",
                        {{"operation", "matvec"}, {"matrix", low_rank}, {"vector", vectors[0]}});
      low_rank_digest =
          r.ok ? r.result.value("matrix_digest", std::string(64, '0')) : std::string(64, '0');
    }
  }
  return out;
}

}  // namespace jarvis::bench
