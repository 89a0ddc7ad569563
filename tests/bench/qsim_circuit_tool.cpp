// Runs the issue-18 comparison circuit (layered_circuit.h) on our simulator
// in float64 and float32, with multi-qubit fusion off (1), 2 and 3, and
// optionally on qsim, in interleaved rounds, and prints the median times.
// It also writes the circuit in qsim's format and, when given a state that
// qsim wrote (complex64, index order), compares it with ours.
//
// Usage:
//   qsim_circuit_tool [--qubits 24] [--depth 20] [--threads 2] [--rounds 5]
//       [--block 16] [--low 8,4] [--only float32] [--circuit out.qsim]
//       [--qsim DRIVER] [--qsim-state state.bin]
// --low lists the low qubits every chunk keeps (plan_passes), one set of
// modes each; --only runs one precision.
// DRIVER is run as `DRIVER circuit threads max_fused_size 1` and must print
// the seconds of its run on its first line; it is not part of this
// repository (docs/PERFORMANCE.md says how the numbers were taken).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/bench/layered_circuit.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_engine.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace q = jarvis::quantum;

namespace {

struct Args {
  unsigned qubits = 24;
  unsigned depth = 20;
  unsigned threads = 2;
  unsigned rounds = 5;
  unsigned block = 16;
  std::vector<unsigned> lows;  ///< empty: plan_passes' default only
  std::string only;            ///< "float64" or "float32": that precision only
  std::string circuit = "layered_circuit.qsim";
  std::string qsim;
  std::string qsim_state;
};

Args parse_args(int argc, char** argv) {
  Args a;
  if (argc % 2 == 0) {  // every option takes a value; --help and typos end here
    std::fprintf(stderr,
                 "usage: qsim_circuit_tool [--qubits N] [--depth D] [--threads T] [--rounds R]\n"
                 "  [--block B] [--low L1,L2] [--only float32|float64] [--circuit out.qsim]\n"
                 "  [--qsim DRIVER] [--qsim-state state.bin]\n");
    std::exit(2);
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--qubits")
      a.qubits = static_cast<unsigned>(std::atoi(v));
    else if (k == "--depth")
      a.depth = static_cast<unsigned>(std::atoi(v));
    else if (k == "--threads")
      a.threads = static_cast<unsigned>(std::atoi(v));
    else if (k == "--block")
      a.block = static_cast<unsigned>(std::atoi(v));
    else if (k == "--low") {
      std::istringstream list(v);
      for (std::string item; std::getline(list, item, ',');)
        a.lows.push_back(static_cast<unsigned>(std::atoi(item.c_str())));
    } else if (k == "--only")
      a.only = v;
    else if (k == "--rounds")
      a.rounds = static_cast<unsigned>(std::atoi(v));
    else if (k == "--circuit")
      a.circuit = v;
    else if (k == "--qsim")
      a.qsim = v;
    else if (k == "--qsim-state")
      a.qsim_state = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

struct Mode {
  q::Precision precision;
  unsigned fusion;
  std::optional<unsigned> low;
  std::string name() const {
    return std::string(q::precision_name(precision)) + " fusion " + std::to_string(fusion) +
           (low ? " low " + std::to_string(*low) : std::string());
  }
};

// One run: lowering, one-qubit fusion and every gate, on a state already
// allocated and set to |0...0> (as qsim's time excludes its allocation).
double time_ours(const q::Circuit& circuit, const Mode& mode, const Args& a, q::StateVector* keep,
                 uint64_t* passes) {
  q::ExecOptions exec;
  exec.threads = a.threads;
  exec.block_qubits = a.block;
  exec.fusion_qubits = mode.fusion;
  exec.low_qubits = mode.low;
  exec.precision = mode.precision;
  q::CpuEngine engine(circuit.qubits, exec);
  engine.reset(0);
  const auto t0 = std::chrono::steady_clock::now();
  q::SimulationPlan plan = q::plan_simulation(circuit, ~uint64_t{0});
  engine.apply(0, plan.ops);
  const auto t1 = std::chrono::steady_clock::now();
  if (keep != nullptr) *keep = engine.take(0);
  if (passes != nullptr) *passes = plan.ops.size();
  return std::chrono::duration<double>(t1 - t0).count();
}

double run_qsim(const Args& a, unsigned fused) {
  const std::string cmd = a.qsim + " " + a.circuit + " " + std::to_string(a.threads) + " " +
                          std::to_string(fused) + " 1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return NAN;
  double seconds = NAN;
  if (std::fscanf(p, "%lf", &seconds) != 1) seconds = NAN;
  pclose(p);
  return seconds;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  const auto gates = jarvis::bench::layered_circuit(a.qubits, a.depth, 2024);
  std::ofstream(a.circuit) << jarvis::bench::layered_qsim_text(a.qubits, gates);
  std::printf("circuit: %u qubits, depth %u, %zu gates, written to %s\n", a.qubits, a.depth,
              gates.size(), a.circuit.c_str());

  std::map<q::Precision, q::Circuit> circuits;
  jarvis::QuantumOptions options;
  options.max_qubits = 40;
  options.max_state_bytes = ~uint64_t{0};
  for (q::Precision p : {q::Precision::kFloat64, q::Precision::kFloat32}) {
    const q::ParsedCircuit parsed = q::parse_circuit(
        jarvis::bench::layered_payload(a.qubits, gates, q::precision_name(p)), options);
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s\n", parsed.error.c_str());
      return 1;
    }
    circuits[p] = parsed.circuit;
  }

  // States: float64 unfused is the reference for the others and for qsim.
  std::vector<Mode> modes;
  std::vector<std::optional<unsigned>> lows(a.lows.begin(), a.lows.end());
  if (lows.empty()) lows.push_back(std::nullopt);
  for (q::Precision p : {q::Precision::kFloat64, q::Precision::kFloat32}) {
    if (!a.only.empty() && a.only != q::precision_name(p)) continue;
    for (unsigned f : {1u, 2u, 3u}) {
      for (const auto& low : lows) modes.push_back({p, f, low});
    }
  }
  const Mode reference_mode{q::Precision::kFloat64, 1, std::nullopt};
  q::StateVector reference(1);
  time_ours(circuits[q::Precision::kFloat64], reference_mode, a, &reference, nullptr);
  for (const Mode& m : modes) {
    q::StateVector s(1);
    uint64_t ops = 0;
    time_ours(circuits[m.precision], m, a, &s, &ops);
    double worst = 0.0;
    for (uint64_t i = 0; i < s.size(); ++i) {
      worst = std::max(worst, std::abs(s.amplitude(i) - reference.amplitude(i)));
    }
    std::printf("%-20s max |a - a_ref| = %.3g (%llu ops after one-qubit fusion)\n",
                m.name().c_str(), worst, static_cast<unsigned long long>(ops));
  }
  if (!a.qsim_state.empty()) {
    std::ifstream in(a.qsim_state, std::ios::binary);
    std::vector<float> qs(2 * reference.size());
    in.read(reinterpret_cast<char*>(qs.data()), static_cast<std::streamsize>(qs.size() * 4));
    if (!in) {
      std::fprintf(stderr, "could not read %s\n", a.qsim_state.c_str());
      return 1;
    }
    double worst = 0.0, norm = 0.0;
    for (uint64_t i = 0; i < reference.size(); ++i) {
      const q::Complex z(qs[2 * i], qs[2 * i + 1]);
      worst = std::max(worst, std::abs(z - reference.amplitude(i)));
      norm += std::norm(z);
    }
    std::printf("qsim state: max |a_qsim - a_ref| = %.3g, norm %.9f\n", worst, norm);
  }

  std::map<std::string, std::vector<double>> times;
  for (unsigned r = 0; r < a.rounds; ++r) {
    for (const Mode& m : modes) {
      times[m.name()].push_back(time_ours(circuits[m.precision], m, a, nullptr, nullptr));
    }
    if (!a.qsim.empty()) {
      for (unsigned f : {2u, 3u, 4u}) {
        times["qsim -f" + std::to_string(f)].push_back(run_qsim(a, f));
      }
    }
  }
  std::printf("median of %u interleaved rounds, %u threads:\n", a.rounds, a.threads);
  for (const auto& [name, t] : times) {
    std::printf("  %-20s %.3f s  (", name.c_str(), median(t));
    for (double x : t) std::printf(" %.3f", x);
    std::printf(" )\n");
  }
  return 0;
}
