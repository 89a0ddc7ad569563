// The simulation of a parsed circuit: gates, mid-circuit measurement with
// seeded branching and collapse, and sampling of the final state.
//
// Consecutive one-qubit gates on a qubit are first fused (quantum_fusion.h).
// Measurements that no later gate depends on (nothing but other
// measurements acts on that qubit afterwards) are terminal: they do not
// change the outcome distribution, so they are dropped and the final state is
// sampled. Every other measurement is a branch point. The `shots` are split
// between its two outcomes as `shots` Bernoulli draws with the seeded PRNG
// (a binomial split); each outcome that received shots is followed, depth
// first, collapsed and renormalised, the smaller share on a copy of the
// state and the larger in place. So a circuit with mid-circuit measurements
// costs one trajectory per distinct measurement history that some shot
// took, and holds at most 1 + min(measurements, log2(shots)) states at once.
// For n <= kMaxProbabilityQubits the exact final distribution (the mixture
// over every outcome history of probability > 1e-12) is computed as well,
// up to kMaxExactBranches histories.
//
// The states live in a StateEngine (quantum_engine.h): simulate() uses the
// host's CpuEngine; plan_simulation() + run_plan() run the same steps on any
// engine (a GPU's), so both give the same answer up to rounding.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_engine.h"
#include "vgpu/quantum/quantum_executor.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_state.h"

namespace jarvis::quantum {

/// Probabilities are reported for registers up to this size.
constexpr unsigned kMaxProbabilityQubits = 16;
/// Exact mixtures over more measurement histories than this are not reported.
constexpr uint64_t kMaxExactBranches = 64;

struct Simulation {
  std::string error;                    ///< when not empty, nothing else is valid
  std::map<uint64_t, uint64_t> counts;  ///< basis index -> shots
  /// Classical bits (bit j is clbit j) -> shots, when the circuit has 1 to 64
  /// clbits: each bit as the last measurement that wrote it left it, 0 if none did.
  std::map<uint64_t, uint64_t> clbit_counts;
  std::vector<double> probabilities;  ///< exact, 2^n entries; empty when not computed
  std::string probabilities_note;     ///< why probabilities are absent, if they are
  uint64_t flops = 0;
  uint64_t trajectories = 0;      ///< final states sampled (1 without branching)
  unsigned mid_measurements = 0;  ///< measurements that branch
  unsigned threads = 1;
  const char* kernels = "";
  /// <P> per circuit.observables, of the state before terminal measurements;
  /// with mid-circuit measurements, the exact mixture over their histories.
  std::vector<double> expectations;
  /// The final state (circuit.return_state, no mid-circuit measurement).
  std::vector<Complex> state;
};

/// What a run decides before it touches a state: the gates lowered and
/// fused, and how many states it may hold at once.
struct SimulationPlan {
  std::string error;  ///< when not empty, the run is refused (memory)
  std::vector<Op> ops;
  unsigned mid_measurements = 0;
  /// (clbit, qubit) for each classical bit whose last write is a terminal
  /// measurement (dropped from ops: read from the sampled final state).
  std::vector<std::pair<uint32_t, uint32_t>> terminal_reads;
  uint64_t fusion_flops = 0;
  bool exact = false;              ///< compute the exact final distribution
  std::string probabilities_note;  ///< why not, when !exact
  uint64_t max_states = 1;         ///< states held at once: main + branch copies
};

/// Lowers and fuses `circuit` and checks that the states it may hold at once
/// (16 * 2^n bytes each, 8 * 2^n in float32) fit in `max_state_bytes`; a refusal names the field.
/// Also refuses return_state with mid-circuit measurements (the final state
/// is then a mixture), and observables with them when the exact mixture is
/// not computed.
SimulationPlan plan_simulation(const Circuit& circuit, uint64_t max_state_bytes);

/// Runs `plan` (not refused) on `engine`, whose slots are states of
/// circuit.qubits qubits; refused (Simulation::error) when the engine's
/// precision is not the circuit's. May throw what the engine throws, and
/// Stopped when `stop` says so (checked before each stretch of gates).
Simulation run_plan(const Circuit& circuit, SimulationPlan plan, StateEngine& engine,
                    const StopToken& stop = {});

/// The executor settings `options` implies (threads 0: hardware threads).
ExecOptions exec_options(const QuantumOptions& options);

/// Runs `circuit`. Checks the memory of the branch copies against
/// options.max_state_bytes before allocating anything; a refusal comes back
/// in Simulation::error naming the field. May throw std::bad_alloc, and
/// Stopped when `stop` says so (checked between gate passes too).
Simulation simulate(const Circuit& circuit, const QuantumOptions& options,
                    const StopToken& stop = {});

/// The state after every gate of `circuit` (in circuit.precision, whatever
/// exec.precision says), measurements collapsing along one trajectory drawn
/// with circuit.seed. For tests and benchmarks. `flops`
/// receives the FLOPs executed when not null.
StateVector final_state(const Circuit& circuit, const ExecOptions& exec, uint64_t* flops = nullptr);

/// The same on any engine: slot 0 ends as that state. Returns the FLOPs
/// executed (the engine's, plus fusion).
uint64_t run_trajectory(const Circuit& circuit, StateEngine& engine);

}  // namespace jarvis::quantum
