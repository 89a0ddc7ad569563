#include "vgpu/quantum_simulator.h"

#include <algorithm>
#include <bit>
#include <memory>
#include <thread>

#include "vgpu/quantum_fusion.h"
#include "vgpu/quantum_rng.h"
#include "vgpu/quantum_sampling.h"

namespace jarvis::quantum {
namespace {

// Below this share of the total, an outcome nobody sampled is not followed
// for the exact distribution (it is rounding noise or negligible).
constexpr double kExactMinProbability = 1e-12;

// Lowers the gates, dropping terminal measurements.
std::vector<Op> lower_circuit(const Circuit& circuit, unsigned& mid_measurements) {
  std::vector<bool> dropped(circuit.gates.size(), false);
  std::vector<bool> touched_later(circuit.qubits, false);
  for (size_t k = circuit.gates.size(); k-- > 0;) {
    const Gate& g = circuit.gates[k];
    if (g.kind == GateKind::kMeasure) {
      dropped[k] = !touched_later[g.q[0]];
      continue;
    }
    const unsigned arity = g.kind == GateKind::kCcx ? 3
                           : (g.kind == GateKind::kCx || g.kind == GateKind::kCz ||
                              g.kind == GateKind::kCp || g.kind == GateKind::kSwap)
                               ? 2
                               : 1;
    for (unsigned s = 0; s < arity; ++s) touched_later[g.q[s]] = true;
  }
  std::vector<Op> ops;
  ops.reserve(circuit.gates.size());
  mid_measurements = 0;
  for (size_t k = 0; k < circuit.gates.size(); ++k) {
    if (dropped[k]) continue;
    ops.push_back(lower(circuit.gates[k]));
    if (ops.back().kind == OpKind::kMeasure) ++mid_measurements;
  }
  return ops;
}

class BranchRunner {
 public:
  BranchRunner(const Circuit& circuit, std::vector<Op> ops, const ExecOptions& exec, bool exact)
      : circuit_(circuit),
        ops_(std::move(ops)),
        exec_(circuit.qubits, exec),
        rng_(circuit.seed),
        exact_(exact) {
    if (exact_) result_.probabilities.assign(uint64_t{1} << circuit.qubits, 0.0);
  }

  Simulation run(unsigned mid_measurements) {
    result_.mid_measurements = mid_measurements;
    StateVector state(circuit_.qubits);
    explore(state, 0, circuit_.shots, 1.0, 0);
    result_.flops += exec_.flops();
    result_.threads = exec_.threads();
    result_.kernels = exec_.kernels().name;
    return std::move(result_);
  }

 private:
  StateVector& copy_at(unsigned depth) {
    while (copies_.size() <= depth) copies_.push_back(nullptr);
    if (!copies_[depth]) copies_[depth] = std::make_unique<StateVector>(circuit_.qubits);
    return *copies_[depth];
  }

  void explore(StateVector& state, size_t from, uint32_t shots, double weight, unsigned depth) {
    for (;;) {
      size_t to = from;
      while (to < ops_.size() && ops_[to].kind != OpKind::kMeasure) ++to;
      exec_.apply(state, std::span<const Op>(ops_).subspan(from, to - from));
      if (to == ops_.size()) {
        leaf(state, shots, weight);
        return;
      }
      const unsigned q = ops_[to].target;
      const std::array<double, 2> p = exec_.qubit_probabilities(state, q);
      const double total = p[0] + p[1];
      uint32_t ones = 0;
      for (uint32_t s = 0; s < shots; ++s) ones += rng_.uniform() * total < p[1] ? 1 : 0;
      result_.flops += shots + 1;
      const uint32_t k[2] = {shots - ones, ones};
      bool follow[2];
      for (unsigned o = 0; o < 2; ++o) {
        follow[o] = k[o] > 0 || (exact_ && p[o] > kExactMinProbability * total);
      }
      if (!follow[0] && !follow[1]) return;
      if (follow[0] && follow[1]) {
        // The smaller share of shots goes to a copy, so copies nest at most
        // log2(shots) deep when only sampled branches are followed.
        const unsigned small = k[1] <= k[0] ? 1 : 0;
        StateVector& copy = copy_at(depth);
        copy.copy_from(state);
        exec_.collapse(copy, q, small, p[small]);
        explore(copy, to + 1, k[small], weight * p[small] / total, depth + 1);
        const unsigned big = 1 - small;
        exec_.collapse(state, q, big, p[big]);
        shots = k[big];
        weight *= p[big] / total;
      } else {
        const unsigned o = follow[1] ? 1 : 0;
        exec_.collapse(state, q, o, p[o]);
        shots = k[o];
        weight *= p[o] / total;
      }
      result_.flops += 4;
      from = to + 1;
    }
  }

  void leaf(const StateVector& state, uint32_t shots, double weight) {
    ++result_.trajectories;
    result_.flops += sample_outcomes(state, shots, rng_, result_.counts);
    if (!exact_) return;
    if (result_.trajectories > kMaxExactBranches) {
      exact_ = false;
      result_.probabilities.clear();
      result_.probabilities_note = "more than " + std::to_string(kMaxExactBranches) +
                                   " measurement histories; the exact mixture is not computed";
      return;
    }
    double norm = 0.0;
    for (uint64_t i = 0; i < state.size(); ++i) norm += std::norm(state.amplitude(i));
    const double scale = weight / norm;
    for (uint64_t i = 0; i < state.size(); ++i) {
      result_.probabilities[i] += std::norm(state.amplitude(i)) * scale;
    }
    result_.flops += 2 * 4 * state.size() + 1;
  }

  const Circuit& circuit_;
  std::vector<Op> ops_;
  Executor exec_;
  Xoshiro256 rng_;
  bool exact_;
  std::vector<std::unique_ptr<StateVector>> copies_;
  Simulation result_;
};

}  // namespace

ExecOptions exec_options(const QuantumOptions& options) {
  ExecOptions exec;
  exec.threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  exec.block_qubits = options.block_qubits;
  return exec;
}

Simulation simulate(const Circuit& circuit, const QuantumOptions& options) {
  unsigned mid = 0;
  std::vector<Op> ops = lower_circuit(circuit, mid);
  const uint64_t fusion_flops = fuse_single_qubit_gates(ops);
  const uint64_t state_bytes = uint64_t{16} << circuit.qubits;
  // Copies held at once while branching: one per nesting level.
  const uint64_t sampled_copies =
      std::min<uint64_t>(mid, circuit.shots > 1 ? std::bit_width(circuit.shots) - 1 : 0);
  const uint64_t limit_states = options.max_state_bytes / state_bytes;
  Simulation refused;
  if (1 + sampled_copies > limit_states) {
    refused.error = "gates: " + std::to_string(mid) + " mid-circuit measurements with " +
                    std::to_string(circuit.shots) + " shots may hold " +
                    std::to_string(1 + sampled_copies) + " states of " + format_bytes(state_bytes) +
                    " at once, limit is " + format_bytes(options.max_state_bytes);
    return refused;
  }
  bool exact = circuit.qubits <= kMaxProbabilityQubits;
  std::string note;
  if (!exact) {
    note = "not computed above " + std::to_string(kMaxProbabilityQubits) + " qubits";
  } else if (1 + sampled_copies + std::min<uint64_t>(mid, kMaxExactBranches) > limit_states) {
    exact = false;
    note = "the exact mixture over measurement histories would exceed the memory limit";
  }
  BranchRunner runner(circuit, std::move(ops), exec_options(options), exact);
  Simulation sim = runner.run(mid);
  sim.flops += fusion_flops;
  if (sim.probabilities_note.empty()) sim.probabilities_note = note;
  return sim;
}

StateVector final_state(const Circuit& circuit, const ExecOptions& exec, uint64_t* flops) {
  StateVector state(circuit.qubits);
  Executor executor(circuit.qubits, exec);
  Xoshiro256 rng(circuit.seed);
  std::vector<Op> ops;
  for (const Gate& g : circuit.gates) ops.push_back(lower(g));
  const uint64_t fusion_flops = fuse_single_qubit_gates(ops);
  size_t from = 0;
  while (from < ops.size()) {
    size_t to = from;
    while (to < ops.size() && ops[to].kind != OpKind::kMeasure) ++to;
    executor.apply(state, std::span<const Op>(ops).subspan(from, to - from));
    if (to == ops.size()) break;
    const unsigned q = ops[to].target;
    const std::array<double, 2> p = executor.qubit_probabilities(state, q);
    const unsigned outcome = rng.uniform() * (p[0] + p[1]) < p[1] ? 1 : 0;
    executor.collapse(state, q, outcome, p[outcome]);
    from = to + 1;
  }
  if (flops != nullptr) *flops = executor.flops() + fusion_flops;
  return state;
}

}  // namespace jarvis::quantum
