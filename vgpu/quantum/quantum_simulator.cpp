#include "vgpu/quantum/quantum_simulator.h"

#include <algorithm>
#include <bit>
#include <memory>
#include <thread>
#include <utility>

#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_fusion.h"
#include "vgpu/quantum/quantum_observables.h"
#include "vgpu/quantum/quantum_sampling.h"

namespace jarvis::quantum {
namespace {

// Below this share of the total, an outcome nobody sampled is not followed
// for the exact distribution (it is rounding noise or negligible).
constexpr double kExactMinProbability = 1e-12;

// Whether a run reports clbit_counts: 1 to kMaxReportedClbits classical bits.
bool reports_clbits(const Circuit& circuit) {
  const uint64_t clbits = clbit_count(circuit);
  return clbits > 0 && clbits <= kMaxReportedClbits;
}

// Lowers the gates, dropping terminal measurements; `terminal_reads` gets
// (clbit, qubit) for each classical bit whose last write is one of those.
std::vector<Op> lower_circuit(const Circuit& circuit, unsigned& mid_measurements,
                              std::vector<std::pair<uint32_t, uint32_t>>& terminal_reads) {
  std::vector<bool> dropped(circuit.gates.size(), false);
  std::vector<bool> touched_later(circuit.qubits, false);
  for (size_t k = circuit.gates.size(); k-- > 0;) {
    const Gate& g = circuit.gates[k];
    if (g.kind == GateKind::kMeasure) {
      dropped[k] = !touched_later[g.q[0]];
      continue;
    }
    const unsigned arity = gate_arity(g.kind);
    for (unsigned s = 0; s < arity; ++s) touched_later[g.q[s]] = true;
  }
  std::map<uint32_t, size_t> last_write;  // clbit -> index of the gate that writes it last
  for (size_t k = 0; k < circuit.gates.size(); ++k) {
    const Gate& g = circuit.gates[k];
    if (g.kind == GateKind::kMeasure && g.clbit != kNoClbit) last_write[g.clbit] = k;
  }
  for (const auto& [clbit, k] : last_write) {
    if (dropped[k]) terminal_reads.emplace_back(clbit, circuit.gates[k].q[0]);
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

// Follows the branches of a plan on an engine: slot 0 is the main state,
// slot d + 1 the copy at nesting depth d.
class BranchRunner {
 public:
  BranchRunner(const Circuit& circuit, SimulationPlan plan, StateEngine& engine,
               const StopToken& stop)
      : circuit_(circuit),
        stop_(stop),
        ops_(std::move(plan.ops)),
        engine_(engine),
        rng_(circuit.seed),
        exact_(plan.exact),
        clbits_(reports_clbits(circuit)),
        terminal_reads_(std::move(plan.terminal_reads)) {
    if (exact_) result_.probabilities.assign(uint64_t{1} << circuit.qubits, 0.0);
    result_.expectations.assign(circuit.observables.size(), 0.0);
    result_.mid_measurements = plan.mid_measurements;
    result_.probabilities_note = std::move(plan.probabilities_note);
    result_.flops = plan.fusion_flops;
  }

  Simulation run() {
    engine_.reset(0);
    explore(0, 0, circuit_.shots, 1.0, 0, 0);
    result_.flops += engine_.flops();
    result_.threads = engine_.threads();
    result_.kernels = engine_.kernels();
    return std::move(result_);
  }

 private:
  // `written`: the classical bits the measurements before `from` left on this
  // branch (bit j is clbit j).
  void explore(unsigned slot, size_t from, uint32_t shots, double weight, unsigned depth,
               uint64_t written) {
    for (;;) {
      size_t to = from;
      while (to < ops_.size() && ops_[to].kind != OpKind::kMeasure) ++to;
      stop_.check();
      engine_.apply(slot, std::span<const Op>(ops_).subspan(from, to - from));
      if (to == ops_.size()) {
        leaf(engine_.host_state(slot), shots, weight, written);
        return;
      }
      const unsigned q = ops_[to].target;
      // The bits each outcome leaves (clbits_ means every clbit is below 64).
      const uint32_t clbit = ops_[to].clbit;
      const uint64_t bit = clbits_ && clbit != kNoClbit ? uint64_t{1} << clbit : 0;
      const uint64_t after[2] = {written & ~bit, written | bit};
      const std::array<double, 2> p = engine_.qubit_probabilities(slot, q);
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
        const unsigned copy = depth + 1;
        engine_.copy(copy, slot);
        engine_.collapse(copy, q, small, p[small]);
        explore(copy, to + 1, k[small], weight * p[small] / total, depth + 1, after[small]);
        const unsigned big = 1 - small;
        engine_.collapse(slot, q, big, p[big]);
        shots = k[big];
        weight *= p[big] / total;
        written = after[big];
      } else {
        const unsigned o = follow[1] ? 1 : 0;
        engine_.collapse(slot, q, o, p[o]);
        shots = k[o];
        weight *= p[o] / total;
        written = after[o];
      }
      result_.flops += 4;
      from = to + 1;
    }
  }

  void leaf(const StateVector& state, uint32_t shots, double weight, uint64_t written) {
    ++result_.trajectories;
    if (!clbits_) {
      result_.flops += sample_outcomes(state, shots, rng_, result_.counts);
    } else {
      std::map<uint64_t, uint64_t> sampled;
      result_.flops += sample_outcomes(state, shots, rng_, sampled);
      for (const auto& [index, count] : sampled) {
        result_.counts[index] += count;
        uint64_t bits = written;
        for (const auto& [clbit, qubit] : terminal_reads_) {
          const uint64_t mask = uint64_t{1} << clbit;
          bits = (index >> qubit) & 1 ? bits | mask : bits & ~mask;
        }
        result_.clbit_counts[bits] += count;
      }
    }
    // Every leaf is followed when exact_ (or there is one leaf), so the
    // weighted sum is the exact mixture; plan_simulation refused the rest.
    for (size_t k = 0; k < circuit_.observables.size(); ++k) {
      stop_.check();  // each term is a pass over the state; up to 1,024 of them
      result_.expectations[k] +=
          weight * expectation(state, circuit_.observables[k], &result_.flops);
    }
    if (circuit_.return_state) {
      result_.state.resize(state.size());
      for (uint64_t i = 0; i < state.size(); ++i) result_.state[i] = state.amplitude(i);
    }
    if (!exact_) return;
    if (result_.trajectories > kMaxExactBranches) {
      exact_ = false;
      result_.probabilities.clear();
      result_.probabilities_note = "more than " + std::to_string(kMaxExactBranches) +
                                   " measurement histories; the exact mixture is not computed";
      if (!circuit_.observables.empty()) {
        result_.error = "observables: more than " + std::to_string(kMaxExactBranches) +
                        " mid-circuit measurement histories; their exact mixture is not computed";
      }
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
  const StopToken& stop_;
  std::vector<Op> ops_;
  StateEngine& engine_;
  Xoshiro256 rng_;
  bool exact_;
  const bool clbits_;  ///< report clbit_counts
  const std::vector<std::pair<uint32_t, uint32_t>> terminal_reads_;
  Simulation result_;
};

}  // namespace

ExecOptions exec_options(const QuantumOptions& options) {
  ExecOptions exec;
  exec.threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  exec.block_qubits = options.block_qubits;
  // Dense 4x4 fusion measured fastest (docs/PERFORMANCE.md, "Quantum
  // simulator beside qsim").
  exec.fusion_qubits = 2;
  return exec;
}

SimulationPlan plan_simulation(const Circuit& circuit, uint64_t max_state_bytes) {
  SimulationPlan plan;
  plan.ops = lower_circuit(circuit, plan.mid_measurements, plan.terminal_reads);
  plan.fusion_flops = fuse_single_qubit_gates(plan.ops);
  const unsigned mid = plan.mid_measurements;
  const uint64_t state_bytes = amplitude_bytes(circuit.precision) << circuit.qubits;
  // Copies held at once while branching: one per nesting level.
  const uint64_t sampled_copies =
      std::min<uint64_t>(mid, circuit.shots > 1 ? std::bit_width(circuit.shots) - 1 : 0);
  const uint64_t limit_states = max_state_bytes / state_bytes;
  plan.max_states = 1 + sampled_copies;
  if (plan.max_states > limit_states) {
    plan.error = "gates: " + std::to_string(mid) + " mid-circuit measurements with " +
                 std::to_string(circuit.shots) + " shots may hold " +
                 std::to_string(plan.max_states) + " states of " + format_bytes(state_bytes) +
                 " at once, limit is " + format_bytes(max_state_bytes);
    return plan;
  }
  if (circuit.return_state && mid > 0) {
    plan.error = "return_state: the circuit measures mid-circuit (" + std::to_string(mid) +
                 " measurements that later gates depend on), so its final state is a mixture, "
                 "not one state vector";
    return plan;
  }
  plan.exact = circuit.qubits <= kMaxProbabilityQubits;
  const uint64_t exact_states = plan.max_states + std::min<uint64_t>(mid, kMaxExactBranches);
  if (!plan.exact) {
    plan.probabilities_note =
        "not computed above " + std::to_string(kMaxProbabilityQubits) + " qubits";
  } else if (exact_states > limit_states) {
    plan.exact = false;
    plan.probabilities_note =
        "the exact mixture over measurement histories would exceed the memory limit";
  } else {
    plan.max_states = exact_states;
  }
  if (!plan.exact && mid > 0 && !circuit.observables.empty()) {
    plan.error =
        "observables: with mid-circuit measurements they are the exact mixture over "
        "measurement histories, which is not computed here (" +
        plan.probabilities_note + ")";
  }
  return plan;
}

Simulation run_plan(const Circuit& circuit, SimulationPlan plan, StateEngine& engine,
                    const StopToken& stop) {
  if (engine.precision() != circuit.precision) {
    Simulation refused;
    refused.error = std::string("precision: ") + precision_name(circuit.precision) +
                    " is not supported by the " + engine.kernels() + " engine";
    return refused;
  }
  return BranchRunner(circuit, std::move(plan), engine, stop).run();
}

Simulation simulate(const Circuit& circuit, const QuantumOptions& options, const StopToken& stop) {
  SimulationPlan plan = plan_simulation(circuit, options.max_state_bytes);
  if (!plan.error.empty()) {
    Simulation refused;
    refused.error = std::move(plan.error);
    return refused;
  }
  ExecOptions exec = exec_options(options);
  exec.precision = circuit.precision;
  exec.stop = &stop;
  CpuEngine engine(circuit.qubits, exec);
  return run_plan(circuit, std::move(plan), engine, stop);
}

uint64_t run_trajectory(const Circuit& circuit, StateEngine& engine) {
  Xoshiro256 rng(circuit.seed);
  std::vector<Op> ops;
  for (const Gate& g : circuit.gates) ops.push_back(lower(g));
  const uint64_t fusion_flops = fuse_single_qubit_gates(ops);
  engine.reset(0);
  size_t from = 0;
  while (from < ops.size()) {
    size_t to = from;
    while (to < ops.size() && ops[to].kind != OpKind::kMeasure) ++to;
    engine.apply(0, std::span<const Op>(ops).subspan(from, to - from));
    if (to == ops.size()) break;
    const unsigned q = ops[to].target;
    const std::array<double, 2> p = engine.qubit_probabilities(0, q);
    const unsigned outcome = rng.uniform() * (p[0] + p[1]) < p[1] ? 1 : 0;
    engine.collapse(0, q, outcome, p[outcome]);
    from = to + 1;
  }
  return engine.flops() + fusion_flops;
}

StateVector final_state(const Circuit& circuit, const ExecOptions& exec, uint64_t* flops) {
  ExecOptions with_precision = exec;
  with_precision.precision = circuit.precision;
  CpuEngine engine(circuit.qubits, with_precision);
  const uint64_t done = run_trajectory(circuit, engine);
  if (flops != nullptr) *flops = done;
  return engine.take(0);
}

}  // namespace jarvis::quantum
