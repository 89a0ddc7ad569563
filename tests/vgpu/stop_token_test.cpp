// Stopping a running task (vgpu/payload/stop_token.h): the token itself; the
// executor between gate passes, the simulator between stretches of gates and
// a sweep between bindings each stop at their next check, not at the end;
// and Jarvis5090X::run turns a stop into its error kind, caches nothing and
// gives the device's queue back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <thread>
#include <vector>

#include "tests/vgpu/circuit_builders.h"
#include "tests/vgpu/stop_reason_of.h"
#include "vgpu/jarvis.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_engine.h"
#include "vgpu/quantum/quantum_observables.h"
#include "vgpu/quantum/quantum_run.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace {

namespace q = jarvis::quantum;
using jarvis::QuantumOptions;
using jarvis::StopReason;
using jarvis::StopToken;
using jarvis::test::stop_reason_of;
using nlohmann::json;
using namespace std::chrono_literals;

std::shared_ptr<std::atomic<bool>> flag() {
  return std::make_shared<std::atomic<bool>>(false);
}

q::Circuit parse(const json& payload) {
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return parsed.circuit;
}

TEST(StopToken, SaysWhyOnceCancelledPastItsDeadlineShutDownOrPreempted) {
  EXPECT_EQ(StopToken().reason(), StopReason::kNone);
  EXPECT_EQ(stop_reason_of([] { StopToken().check(); }), StopReason::kNone);
  auto cancelled = flag();
  const StopToken live(cancelled, StopToken::Clock::now() + 1h);
  EXPECT_EQ(live.reason(), StopReason::kNone);
  cancelled->store(true);
  EXPECT_EQ(live.reason(), StopReason::kCancelled);
  EXPECT_EQ(stop_reason_of([&] { live.check(); }), StopReason::kCancelled);
  const StopToken late(flag(), StopToken::Clock::now() - 1ms);
  EXPECT_EQ(stop_reason_of([&] { late.check(); }), StopReason::kDeadlinePassed);

  // The service's side: a preemption stops the tokens made before it only;
  // a shutdown stops every one.
  auto service = std::make_shared<jarvis::ServiceStop>();
  const StopToken before = StopToken().also_on(service);
  EXPECT_EQ(before.reason(), StopReason::kNone);
  service->epoch.fetch_add(1);
  const StopToken after = StopToken().also_on(service);
  EXPECT_EQ(before.reason(), StopReason::kPreempted);
  EXPECT_EQ(after.reason(), StopReason::kNone);
  service->shutdown.store(true);
  EXPECT_EQ(after.reason(), StopReason::kShutdown);
  EXPECT_EQ(stop_reason_of([&] { before.check(); }), StopReason::kShutdown);
}

// A chain of cx gates above a 4-qubit chunk: each pass takes one gate (the
// next one shares a qubit with it), so about 20,000 passes over the state.
// Cancelled from another thread once the first pass is done, the executor
// stops with most of them left undone.
TEST(StopToken, TheExecutorStopsBetweenPasses) {
  constexpr unsigned kQubits = 18;
  std::vector<q::Op> ops;
  for (int layer = 0; layer < 1500; ++layer)
    for (unsigned qubit = 4; qubit + 1 < kQubits; ++qubit)
      ops.push_back(q::lower(q::Gate{q::GateKind::kCx, {qubit, qubit + 1, 0}, 0.0}));
  auto cancelled = flag();
  const StopToken stop(cancelled, std::nullopt);
  q::ExecOptions options;
  options.block_qubits = 4;
  options.stop = &stop;
  q::Executor executor(kQubits, options);
  q::StateVector state(kQubits);
  std::thread canceller([&] {
    // Not a fixed delay: planning the 19,500 gates may take longer than one
    // on a slow or instrumented build.
    for (int i = 0; i < 5000 && executor.passes() == 0; ++i) std::this_thread::sleep_for(1ms);
    cancelled->store(true);
  });
  EXPECT_EQ(stop_reason_of([&] { executor.apply(state, ops); }), StopReason::kCancelled);
  canceller.join();
  EXPECT_GT(executor.passes(), 0u);
  EXPECT_LT(executor.passes(), ops.size() / 2) << "it ran to the end before stopping";
}

// One pass of 50,001 Z gates on qubit 0 over a uniform state, in 256
// chunks: each chunk it finishes has its odd amplitudes negated. Cancelled
// soon after it starts, the pass stops chunk by chunk: some chunks are left
// as they were.
TEST(StopToken, APassOfManyGatesStopsBetweenChunks) {
  constexpr unsigned kQubits = 18, kBlock = 10;
  const std::vector<q::Op> ops(50'001, q::lower(q::Gate{q::GateKind::kZ, {0, 0, 0}, 0.0}));
  q::StateVector state(kQubits);
  const double a = 1.0 / std::sqrt(static_cast<double>(state.size()));
  for (uint64_t i = 0; i < state.size(); ++i) state.set_amplitude(i, a);
  auto cancelled = flag();
  const StopToken stop(cancelled, std::nullopt);
  q::ExecOptions options;
  options.block_qubits = kBlock;
  options.threads = 2;
  options.stop = &stop;
  q::Executor executor(kQubits, options);
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancelled->store(true);
  });
  EXPECT_EQ(stop_reason_of([&] { executor.apply(state, ops); }), StopReason::kCancelled);
  canceller.join();
  const uint64_t chunks = state.size() >> kBlock;
  uint64_t done = 0;
  for (uint64_t c = 0; c < chunks; ++c) done += state.amplitude((c << kBlock) + 1).real() < 0;
  EXPECT_LT(done, chunks) << "the pass ran to its end before stopping";
}

// An engine that counts its apply() calls and raises the flag on the second.
class FlagRaisingEngine final : public q::StateEngine {
 public:
  FlagRaisingEngine(unsigned n, std::shared_ptr<std::atomic<bool>> raise)
      : inner_(n, q::ExecOptions{}), raise_(std::move(raise)) {}
  unsigned qubits() const override { return inner_.qubits(); }
  void reset(unsigned s) override { inner_.reset(s); }
  void copy(unsigned d, unsigned s) override { inner_.copy(d, s); }
  void apply(unsigned s, std::span<const q::Op> ops) override {
    if (++applies == 2) raise_->store(true);
    inner_.apply(s, ops);
  }
  std::array<double, 2> qubit_probabilities(unsigned s, unsigned qubit) override {
    return inner_.qubit_probabilities(s, qubit);
  }
  void collapse(unsigned s, unsigned qubit, unsigned o, double p) override {
    inner_.collapse(s, qubit, o, p);
  }
  const q::StateVector& host_state(unsigned s) override {
    if (raise_on_host_state) raise_->store(true);
    return inner_.host_state(s);
  }
  uint64_t flops() const override { return inner_.flops(); }
  unsigned threads() const override { return 1; }
  const char* kernels() const override { return "counting"; }

  int applies = 0;
  bool raise_on_host_state = false;  ///< raise the flag as a leaf reads the state

 private:
  q::CpuEngine inner_;
  std::shared_ptr<std::atomic<bool>> raise_;
};

// Four mid-circuit measurements: five stretches of gates on every branch.
// Raised during the second stretch, the run stops before the third.
TEST(StopToken, TheSimulatorStopsBetweenStretchesOfGates) {
  json gates = json::array();
  for (unsigned m = 0; m < 4; ++m) {
    gates.push_back(jarvis::test::g1("h", m));
    gates.push_back(jarvis::test::g1("measure", m));
    gates.push_back(jarvis::test::cx(m, m + 1));
  }
  const q::Circuit c = parse({{"qubits", 5}, {"gates", gates}, {"shots", 64}});
  auto cancelled = flag();
  FlagRaisingEngine engine(5, cancelled);
  const StopToken stop(cancelled, std::nullopt);
  EXPECT_EQ(stop_reason_of([&] {
              (void)q::run_plan(c, q::plan_simulation(c, uint64_t{1} << 30), engine, stop);
            }),
            StopReason::kCancelled);
  EXPECT_EQ(engine.applies, 2);
  // The same run with a token that never stops goes through every branch.
  FlagRaisingEngine free_engine(5, flag());
  const q::Simulation sim =
      q::run_plan(c, q::plan_simulation(c, uint64_t{1} << 30), free_engine, StopToken());
  EXPECT_TRUE(sim.error.empty()) << sim.error;
  EXPECT_GT(free_engine.applies, 5);
}

// Each observable is a pass over the state (up to 1,024 of them): the flag,
// raised as the final state is read, stops the run before the first.
TEST(StopToken, ObservablesStopBetweenTerms) {
  q::Circuit c = parse(
      {{"qubits", 3}, {"gates", {jarvis::test::g1("h", 0), jarvis::test::cx(0, 1)}}, {"shots", 0}});
  for (const char* text : {"ZZI", "XXI", "IIZ"}) {
    q::PauliString term;
    ASSERT_EQ(q::parse_pauli(text, 3, term), "");
    c.observables.push_back(term);
  }
  auto cancelled = flag();
  FlagRaisingEngine engine(3, cancelled);
  engine.raise_on_host_state = true;
  EXPECT_EQ(stop_reason_of([&] {
              (void)q::run_plan(c, q::plan_simulation(c, uint64_t{1} << 30), engine,
                                StopToken(cancelled, std::nullopt));
            }),
            StopReason::kCancelled);
  // Not stopped, the same run gives every expectation.
  FlagRaisingEngine free_engine(3, flag());
  const q::Simulation sim =
      q::run_plan(c, q::plan_simulation(c, uint64_t{1} << 30), free_engine, StopToken());
  ASSERT_TRUE(sim.error.empty()) << sim.error;
  EXPECT_EQ(sim.expectations.size(), 3u);
}

TEST(StopToken, ASweepStopsBetweenBindings) {
  const json payload = {
      {"qasm", "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[2]; rx(a) q[0]; cx q[0], q[1];"},
      {"parameters", {"a"}},
      {"bindings", {{{"a", 0.1}}, {{"a", 0.2}}, {{"a", 0.3}}, {{"a", 0.4}}}},
      {"shots", 8}};
  auto cancelled = flag();
  const StopToken stop(cancelled, std::nullopt);
  int runs = 0;
  const QuantumOptions options;
  EXPECT_EQ(stop_reason_of([&] {
              (void)q::run_payload(
                  payload, options,
                  [&](const q::Circuit& circuit) {
                    ++runs;
                    cancelled->store(true);  // during the first binding
                    return q::simulate(circuit, options);
                  },
                  stop);
            }),
            StopReason::kCancelled);
  EXPECT_EQ(runs, 1);
}

TEST(StopToken, JarvisAnswersAStopWithItsKindCachesNothingAndFreesTheDevice) {
  jarvis::Jarvis5090X layers({jarvis::AdapterCluster::host_cpu()}, nullptr, nullptr, nullptr,
                             nullptr);
  const json payload = {
      {"qubits", 3}, {"gates", {jarvis::test::g1("h", 0), jarvis::test::cx(0, 1)}}, {"shots", 16}};
  auto cancelled = flag();
  cancelled->store(true);
  const jarvis::SubmitResult stopped = layers.submit(
      "quantum", "stop", payload, jarvis::ResultForm::kJson, StopToken(cancelled, std::nullopt));
  EXPECT_FALSE(stopped.ok);
  EXPECT_EQ(stopped.error_kind, jarvis::OpError::kCancelled) << stopped.error;
  const jarvis::SubmitResult late =
      layers.submit("quantum", "stop", payload, jarvis::ResultForm::kJson,
                    StopToken(nullptr, StopToken::Clock::now() - 1ms));
  EXPECT_EQ(late.error_kind, jarvis::OpError::kDeadlinePassed) << late.error;
  // Nothing was cached: the same request runs.
  const jarvis::SubmitResult ran = layers.submit("quantum", "stop", payload);
  ASSERT_TRUE(ran.ok) << ran.error;
  EXPECT_FALSE(ran.cached);
  for (const json& device : layers.cluster().to_json())
    EXPECT_EQ(device.at("queued_seconds"), 0.0) << device;
}

}  // namespace
