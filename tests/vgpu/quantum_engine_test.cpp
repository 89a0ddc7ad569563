// The simulator over the StateEngine interface: the host engine gives what
// simulate() gives, and an engine built from the CUDA kernels' arithmetic
// (vgpu/cuda/state_kernels.h, run here on the host, one call per thread
// index) agrees with the host Executor: same amplitudes up to rounding, same
// seeded counts. This checks the GPU kernels' index logic on every run, GPU
// or not.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "tests/vgpu/random_circuit.h"
#include "vgpu/cuda/state_kernels.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_engine.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace {

namespace q = jarvis::quantum;
namespace gk = jarvis::gpu::kernels;
using jarvis::QuantumOptions;
using nlohmann::json;

// What CudaStateEngine launches, as host loops over the thread indices.
class KernelLoopEngine final : public q::StateEngine {
 public:
  explicit KernelLoopEngine(unsigned n) : n_(n) {}
  unsigned qubits() const override { return n_; }
  void reset(unsigned s) override { state(s) = q::StateVector(n_); }
  void copy(unsigned dst, unsigned src) override { state(dst).copy_from(state(src)); }
  void apply(unsigned s, std::span<const q::Op> ops) override {
    double* a = state(s).data();
    const uint64_t size = uint64_t{1} << n_;
    for (const q::Op& op : ops) {
      const gk::Mat2 u = gk::to_mat2(op);
      switch (op.kind) {
        case q::OpKind::kMatrix:
          for (uint64_t k = 0; k < size / 2; ++k)
            gk::matrix_thread(a, k, op.target, op.controls, u);
          break;
        case q::OpKind::kDiag:
          for (uint64_t i = 0; i < size; ++i) gk::diag_thread(a, i, op.target, u);
          break;
        case q::OpKind::kPhase:
          for (uint64_t i = 0; i < size; ++i) gk::phase_thread(a, i, op.mask, u);
          break;
        case q::OpKind::kSwap:
          for (uint64_t i = 0; i < size; ++i) gk::swap_thread(a, i, op.off0, op.off1, op.controls);
          break;
        case q::OpKind::kMeasure:
          ADD_FAILURE() << "measure among the gates";
          break;
        case q::OpKind::kDense:
          ADD_FAILURE() << "a dense op: only the CPU executor makes them";
          break;
      }
      flops_ += q::op_flops(op, n_);
    }
  }
  std::array<double, 2> qubit_probabilities(unsigned s, unsigned qubit) override {
    std::array<double, 2> sum{0.0, 0.0};
    const double* a = state(s).data();
    for (uint64_t i = 0; i < (uint64_t{1} << n_); ++i) sum[(i >> qubit) & 1] += gk::norm_of(a, i);
    return sum;
  }
  void collapse(unsigned s, unsigned qubit, unsigned outcome, double p) override {
    double* a = state(s).data();
    for (uint64_t i = 0; i < (uint64_t{1} << n_); ++i)
      gk::collapse_thread(a, i, qubit, outcome, 1.0 / std::sqrt(p));
  }
  const q::StateVector& host_state(unsigned s) override { return state(s); }
  uint64_t flops() const override { return flops_; }
  unsigned threads() const override { return 1; }
  const char* kernels() const override { return "kernel-loops"; }

 private:
  q::StateVector& state(unsigned s) {
    while (slots_.size() <= s) slots_.push_back(std::make_unique<q::StateVector>(n_));
    return *slots_[s];
  }
  unsigned n_;
  std::vector<std::unique_ptr<q::StateVector>> slots_;
  uint64_t flops_ = 0;
};

q::Circuit parse(const json& payload) {
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return parsed.circuit;
}

TEST(QuantumEngine, SimulateIsRunPlanOnTheCpuEngine) {
  const q::Circuit c = parse(jarvis::testing::random_circuit(6, 80, 7, true));
  QuantumOptions options;
  options.threads = 1;
  const q::Simulation direct = q::simulate(c, options);
  q::CpuEngine engine(c.qubits, q::exec_options(options));
  const q::Simulation planned =
      q::run_plan(c, q::plan_simulation(c, options.max_state_bytes), engine);
  EXPECT_EQ(direct.counts, planned.counts);
  EXPECT_EQ(direct.probabilities, planned.probabilities);
  EXPECT_EQ(direct.flops, planned.flops);
  EXPECT_GT(direct.mid_measurements, 0u);
}

TEST(QuantumEngine, CpuEngineSlotsResetCopyAndTake) {
  q::CpuEngine engine(3, q::ExecOptions{});
  engine.reset(0);
  const q::Op x = q::lower(q::Gate{q::GateKind::kX, {1, 0, 0}, 0.0});
  engine.apply(0, std::span<const q::Op>(&x, 1));
  engine.copy(2, 0);
  EXPECT_EQ(engine.host_state(2).amplitude(2), q::Complex(1.0, 0.0));
  engine.reset(0);
  EXPECT_EQ(engine.host_state(0).amplitude(0), q::Complex(1.0, 0.0));
  EXPECT_EQ(engine.host_state(0).amplitude(2), q::Complex(0.0, 0.0));
  const q::StateVector taken = engine.take(2);
  EXPECT_EQ(taken.amplitude(2), q::Complex(1.0, 0.0));
}

TEST(QuantumEngine, GpuKernelArithmeticGivesTheExecutorsState) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const q::Circuit c = parse(jarvis::testing::random_circuit(7, 300, seed, false));
    q::CpuEngine cpu(c.qubits, q::ExecOptions{});
    KernelLoopEngine loops(c.qubits);
    const uint64_t cpu_flops = q::run_trajectory(c, cpu);
    const uint64_t loop_flops = q::run_trajectory(c, loops);
    double worst = 0.0;
    for (uint64_t i = 0; i < cpu.host_state(0).size(); ++i)
      worst = std::max(worst,
                       std::abs(cpu.host_state(0).amplitude(i) - loops.host_state(0).amplitude(i)));
    EXPECT_LT(worst, 1e-12) << "seed " << seed;
    EXPECT_EQ(cpu_flops, loop_flops);  // no measurement: gate FLOPs only
  }
}

TEST(QuantumEngine, GpuKernelArithmeticGivesTheSameSeededCounts) {
  for (uint64_t seed = 11; seed <= 16; ++seed) {
    const q::Circuit c = parse(jarvis::testing::random_circuit(6, 120, seed, true, 1000));
    const q::Simulation cpu = q::simulate(c, QuantumOptions{});
    KernelLoopEngine loops(c.qubits);
    const q::Simulation sim = q::run_plan(c, q::plan_simulation(c, 1ull << 30), loops);
    EXPECT_EQ(cpu.counts, sim.counts) << "seed " << seed;
    EXPECT_EQ(cpu.trajectories, sim.trajectories);
    ASSERT_EQ(cpu.probabilities.size(), sim.probabilities.size());
    for (size_t i = 0; i < cpu.probabilities.size(); ++i)
      EXPECT_NEAR(cpu.probabilities[i], sim.probabilities[i], 1e-12);
  }
}

}  // namespace
