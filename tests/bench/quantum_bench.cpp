// QuantumApproximationLayer speed: a random depth-20 circuit on 24 qubits,
// single-qubit gates on a 2^24-amplitude state (256 MiB) against a streaming
// read+write kernel over a buffer of the same size (the memory bandwidth we
// compare with), the portable vs AVX2 kernels in cache, and planning the
// cache-blocked passes of long circuits (a cx chain: one pass per ~20 gates).
// Run: build/tests/bench/quantum_bench (docs/QUANTUM.md has the numbers).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_blocking.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_executor.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_observables.h"

namespace q = jarvis::quantum;
using nlohmann::json;

namespace {

constexpr unsigned kQubits = 24;

unsigned bench_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

// Depth-20 random circuit: each layer puts a random gate from {h, x, y, z, s,
// t, rx, ry, rz} on every qubit, then cx on neighbour pairs (0,1), (2,3), ...
// in even layers and (1,2), (3,4), ... in odd ones.
json random_circuit(unsigned qubits, unsigned depth, uint64_t seed) {
  static const char* const kOps[] = {"h", "x", "y", "z", "s", "t", "rx", "ry", "rz"};
  q::Xoshiro256 rng(seed);
  json gates = json::array();
  for (unsigned layer = 0; layer < depth; ++layer) {
    for (unsigned b = 0; b < qubits; ++b) {
      const char* op = kOps[rng.next() % std::size(kOps)];
      json g = {{"op", op}, {"q", b}};
      if (op[0] == 'r') g["theta"] = 6.283185307179586 * rng.uniform();
      gates.push_back(g);
    }
    for (unsigned b = layer % 2; b + 1 < qubits; b += 2) {
      gates.push_back({{"op", "cx"}, {"c", b}, {"t", b + 1}});
    }
  }
  return {{"qubits", qubits}, {"gates", gates}, {"shots", 1024}, {"seed", seed}};
}

void BM_RandomCircuitDepth20(benchmark::State& state) {
  const unsigned qubits = static_cast<unsigned>(state.range(0));
  const json payload = random_circuit(qubits, 20, 2024);
  const jarvis::QuantumApproximationLayer layer;
  uint64_t flops = 0;
  for (auto _ : state) {
    const jarvis::QuantumOutcome out = layer.run(payload);
    if (!out.ok) state.SkipWithError(out.error.c_str());
    flops = out.flops;
  }
  state.counters["gates"] = static_cast<double>(payload["gates"].size());
  state.counters["GFLOP"] = static_cast<double>(flops) * 1e-9;
  state.counters["FLOP/s"] = benchmark::Counter(static_cast<double>(flops * state.iterations()),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RandomCircuitDepth20)
    ->Arg(20)
    ->Arg(24)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Iterations(3);

// The bandwidth reference: x[i] *= s over a buffer of 16 * 2^24 bytes, read
// and written once, split over the same threads as the gate kernels.
void stream_pass(q::WorkerPool& pool, std::vector<double>& buffer, double scale) {
  const uint64_t doubles = buffer.size();
  const unsigned threads = pool.size();
  pool.parallel_for(threads, [&](uint64_t begin, uint64_t end, unsigned) {
    double* p = buffer.data() + doubles * begin / threads;
    const uint64_t count = doubles * (end - begin) / threads;
    for (uint64_t i = 0; i < count; ++i) p[i] *= scale;
  });
}

void BM_StreamReadWrite(benchmark::State& state) {
  std::vector<double> buffer(size_t{2} << kQubits, 1.0);
  q::WorkerPool pool(bench_threads());
  for (auto _ : state) {
    stream_pass(pool, buffer, 0.999999);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(buffer.data());
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * 2 * buffer.size() * sizeof(double)));
}
BENCHMARK(BM_StreamReadWrite)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// One H gate on qubit `range(0)` of a 24-qubit state (one pass over memory,
// 2 x 256 MiB moved), timed in alternation with the streaming pass over a
// buffer of the same size so that both see the same machine load. Reports
// both rates and gate_vs_stream, their ratio.
void BM_SingleQubitGate(benchmark::State& state) {
  const unsigned target = static_cast<unsigned>(state.range(0));
  q::StateVector sv(kQubits);
  std::vector<double> buffer(size_t{2} << kQubits, 1.0);
  q::ExecOptions exec;
  exec.threads = bench_threads();
  q::Executor executor(kQubits, exec);
  q::WorkerPool pool(exec.threads);
  q::Gate gate;
  gate.kind = q::GateKind::kH;
  gate.q[0] = target;
  const q::Op op = q::lower(gate);
  double gate_s = 0, stream_s = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    stream_pass(pool, buffer, 0.999999);
    auto t1 = std::chrono::steady_clock::now();
    executor.apply(sv, std::span<const q::Op>(&op, 1));
    auto t2 = std::chrono::steady_clock::now();
    stream_s += std::chrono::duration<double>(t1 - t0).count();
    const double g = std::chrono::duration<double>(t2 - t1).count();
    gate_s += g;
    state.SetIterationTime(g);
  }
  benchmark::DoNotOptimize(buffer.data());
  const double bytes =
      2.0 * 16.0 * static_cast<double>(sv.size()) * static_cast<double>(state.iterations());
  state.counters["gate_GB/s"] = bytes / gate_s * 1e-9;
  state.counters["stream_GB/s"] = bytes / stream_s * 1e-9;
  state.counters["gate_vs_stream"] = stream_s / gate_s;
  state.counters["gate_GFLOP/s"] = static_cast<double>(executor.flops()) / gate_s * 1e-9;
}
BENCHMARK(BM_SingleQubitGate)
    ->Arg(0)
    ->Arg(1)
    ->Arg(8)
    ->Arg(16)
    ->Arg(23)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->MinTime(2.0);

// The kernels alone on an in-cache 2^14 state: portable vs AVX2.
void BM_KernelInCache(benchmark::State& state, const q::KernelTable* table) {
  if (table == nullptr) {
    state.SkipWithError("not available on this CPU");
    return;
  }
  constexpr unsigned kM = 14;
  std::vector<double> amps(size_t{2} << kM, 0.01);
  const q::Complex u[4] = {q::Complex(0.6, 0.0), q::Complex(0.0, 0.8), q::Complex(0.0, 0.8),
                           q::Complex(0.6, 0.0)};
  for (auto _ : state) {
    for (unsigned t = 0; t < kM; ++t) table->matrix(amps.data(), kM, t, 0, u);
    benchmark::ClobberMemory();
  }
  state.counters["FLOP/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kM * 28.0 * (1u << (kM - 1)),
                         benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_KernelInCache, generic, &q::generic_kernels());
BENCHMARK_CAPTURE(BM_KernelInCache, avx2, q::avx2_kernels());

// plan_passes on range(0) cx gates chained over qubits 4..23 of a 24-qubit
// state in 2^16 chunks: the planning that comes before a run's first pass.
void BM_PlanPasses(benchmark::State& state) {
  std::vector<q::Op> ops;
  for (int64_t i = 0; i < state.range(0); ++i) {
    const unsigned a = 4 + static_cast<unsigned>(i % (kQubits - 5));
    ops.push_back(q::lower(q::Gate{q::GateKind::kCx, {a, a + 1, 0}, 0.0}));
  }
  size_t passes = 0;
  for (auto _ : state) passes = q::plan_passes(ops, kQubits, 16).size();
  state.counters["passes"] = static_cast<double>(passes);
}
// One expectation value of a 24-letter Pauli string (X, Y, Z, I in turn) on
// a 24-qubit state, one pass over 256 MiB: expectation() (/0) and the plain
// loop it is tested against, expectation_reference() (/1), side by side.
void BM_Expectation(benchmark::State& state) {
  q::StateVector sv(kQubits);
  for (uint64_t i = 0; i < sv.size(); ++i)
    sv.data()[2 * i] = sv.data()[2 * i + 1] = 1.0 / static_cast<double>(1 + (i % 97));
  std::string text;
  for (unsigned k = 0; k < kQubits; ++k) text += "XYZI"[k % 4];
  q::PauliString pauli;
  if (!q::parse_pauli(text, kQubits, pauli).empty()) state.SkipWithError("bad Pauli string");
  const bool reference = state.range(0) == 1;
  double sum = 0.0;
  for (auto _ : state)
    sum += reference ? q::expectation_reference(sv, pauli) : q::expectation(sv, pauli);
  benchmark::DoNotOptimize(sum);
  state.counters["GB/s"] = benchmark::Counter(
      16.0 * static_cast<double>(sv.size()) * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Expectation)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_PlanPasses)->Arg(20'000)->Arg(80'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
