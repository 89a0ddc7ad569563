#include "vgpu/bench_suite.h"

#include <functional>
#include <string>

#include "vgpu/bench_util.h"
#include "vgpu/payload_parse.h"

namespace jarvis::bench {
namespace {

using nlohmann::json;

struct Scenario {
  std::string name;
  std::string description;
  std::function<void(Jarvis5090X&)> run;
};

json run_scenario(Jarvis5090X& jarvis, const Scenario& s) {
  jarvis.reset_stats();
  s.run(jarvis);
  BenchmarkStats stats = jarvis.benchmark_stats();
  json out = stats.to_json();
  out["name"] = s.name;
  out["description"] = s.description;
  return out;
}

json vector_of(Eigen::Index n, std::mt19937_64& rng) {
  return vector_to_json(gaussian(n, 1, rng).col(0));
}

// Submits and remembers the first error text, so the report can say why.
void submit(Jarvis5090X& jarvis, const char* kind, const std::string& sig, const json& payload,
            std::string& first_error) {
  SubmitResult r = jarvis.submit(kind, sig, payload);
  if (!r.ok && first_error.empty()) first_error = r.error;
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
  std::string errors[6];
  const int qubits = quick ? 8 : 16;
  std::vector<Scenario> scenarios = {
      {"low_rank_matmul_repeated",
       "same rank-8 matrix, a new vector each call: compression after the 2nd sighting",
       [&](Jarvis5090X& j) {
         for (const json& v : vectors)
           submit(j, "linalg", "lr", {{"operation", "matvec"}, {"matrix", low_rank}, {"vector", v}},
                  errors[0]);
       }},
      {"full_rank_matmul_repeated",
       "same full-rank matrix, a new vector each call: never compressed (dense every time)",
       [&](Jarvis5090X& j) {
         for (const json& v : vectors)
           submit(j, "linalg", "fr",
                  {{"operation", "matvec"}, {"matrix", full_rank}, {"vector", v}}, errors[1]);
       }},
      {"identical_matmul_repeated",
       "the same full-rank request every call: cache hits after the 1st",
       [&](Jarvis5090X& j) {
         for (int i = 0; i < reps; ++i)
           submit(j, "linalg", "same",
                  {{"operation", "matvec"}, {"matrix", full_rank}, {"vector", vectors[0]}},
                  errors[2]);
       }},
      {"circuit_repeated",
       std::to_string(qubits) + "-qubit circuit, same request: cache hits after the 1st",
       [&](Jarvis5090X& j) {
         const json c = circuit(qubits, 4, 1);
         for (int i = 0; i < reps; ++i) submit(j, "quantum", "circ", c, errors[3]);
       }},
      {"circuit_unique", std::to_string(qubits) + "-qubit circuits, a new seed each call: no reuse",
       [&](Jarvis5090X& j) {
         for (int i = 0; i < reps; ++i)
           submit(j, "quantum", "circ", circuit(qubits, 4, 100 + static_cast<uint64_t>(i)),
                  errors[4]);
       }},
      {"hashing", "sha256d of 1 MiB and sha256d nonce scans of 2^20 nonces, each unique",
       [&](Jarvis5090X& j) {
         const std::string header(160, '0');
         for (int i = 0; i < (quick ? 2 : 8); ++i) {
           submit(j, "hashing", "h",
                  {{"operation", "sha256d"},
                   {"data", std::string(1 << 20, static_cast<char>('a' + i))}},
                  errors[5]);
           submit(
               j, "hashing", "scan",
               {{"operation", "scan"},
                {"header_hex", header},
                {"nonce_start", static_cast<uint64_t>(i) << 20},
                {"nonce_count", 1 << 20},
                {"target_hex", "00000000ffff0000000000000000000000000000000000000000000000000000"}},
               errors[5]);
         }
       }},
  };
  json out = json::array();
  for (size_t i = 0; i < scenarios.size(); ++i) {
    json r = run_scenario(jarvis, scenarios[i]);
    if (!errors[i].empty()) r["first_error"] = errors[i];
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace jarvis::bench
