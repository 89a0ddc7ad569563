// The host's dense product whole (one Eigen call) and in blocks of rows with
// a stop check between them (vgpu/linalg/blocked_product.h), side by side:
// what being stoppable costs. Arguments: rows, inner, columns; the blocked
// rows use product_block_rows, the daemon's own block size, and /Rows N
// forces N rows per block to show where the cost comes from.
#include <benchmark/benchmark.h>

#include <Eigen/Dense>

#include "vgpu/linalg/blocked_product.h"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;

struct Operands {
  Operands(Index rows, Index inner, Index columns)
      : a(MatrixXd::Random(rows, inner)), b(MatrixXd::Random(inner, columns)), c(rows, columns) {}
  MatrixXd a, b, c;
};

void set_flops(benchmark::State& state, const Operands& o) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(o.a.rows() * o.a.cols() * o.b.cols()) * 1e-9 *
                             static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_Product_Whole(benchmark::State& state) {
  Operands o(state.range(0), state.range(1), state.range(2));
  for (auto _ : state) {
    o.c.noalias() = o.a * o.b;
    benchmark::DoNotOptimize(o.c.data());
  }
  set_flops(state, o);
}

void BM_Product_Blocked(benchmark::State& state) {
  Operands o(state.range(0), state.range(1), state.range(2));
  const Index block =
      state.range(3) > 0 ? state.range(3) : jarvis::product_block_rows(o.a.cols(), o.b.cols());
  state.counters["block_rows"] = static_cast<double>(block);
  const jarvis::StopToken never;
  for (auto _ : state) {
    jarvis::product_in_blocks(o.a, o.b, o.c, block, never);
    benchmark::DoNotOptimize(o.c.data());
  }
  set_flops(state, o);
}

// 2048^3 (17 GFLOP) and the largest product the payload limits allow
// (4096 x 4096 by 4096 x 2048, 68.7 GFLOP).
BENCHMARK(BM_Product_Whole)
    ->Args({2048, 2048, 2048})
    ->Args({4096, 4096, 2048})
    ->Unit(benchmark::kSecond)
    ->Iterations(2);
BENCHMARK(BM_Product_Blocked)
    ->Args({2048, 2048, 2048, 0})
    ->Args({2048, 2048, 2048, 119})
    ->Args({4096, 4096, 2048, 0})
    ->Unit(benchmark::kSecond)
    ->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
