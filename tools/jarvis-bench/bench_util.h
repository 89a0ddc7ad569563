// Small helpers shared by the jarvis-bench suites: clocks and Gaussian matrices.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <random>

#include <Eigen/Dense>

namespace jarvis::bench {

inline double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// CPU seconds used by the calling thread (to tell a slow CPU from a shared one).
inline double thread_cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline Eigen::MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> dist;
  Eigen::MatrixXd g(rows, cols);
  for (Eigen::Index i = 0; i < g.size(); ++i) g.data()[i] = dist(rng);
  return g;
}

}  // namespace jarvis::bench
