#include "vgpu/adapter_cluster.h"

#include <chrono>
#include <complex>
#include <limits>
#include <vector>

#include <Eigen/Dense>

#include "hashcore/sha256.h"

namespace jarvis {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `step` (which returns the work units it did) until `seconds` pass;
// returns units per second.
template <typename Step>
double measure(double seconds, Step step) {
  const auto start = Clock::now();
  double units = 0.0, elapsed = 0.0;
  do {
    units += step();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return units / elapsed;
}

}  // namespace

std::array<double, 4> calibrate_host(double seconds) {
  std::array<double, 4> out{};
  const Eigen::MatrixXd a = Eigen::MatrixXd::Random(96, 96), b = Eigen::MatrixXd::Random(96, 96);
  Eigen::MatrixXd c(96, 96);
  out[kind_index(OperationKind::Linalg)] = measure(seconds, [&] {
    c.noalias() = a * b;
    return 2.0 * 96 * 96 * 96 + c(0, 0) * 0.0;
  });
  std::vector<double> values(1 << 15, 1.0);
  volatile double sink = 0.0;
  out[kind_index(OperationKind::Generic)] = measure(seconds, [&] {
    double s = 0.0;
    for (double v : values) s += v;
    sink = s;
    return static_cast<double>(values.size());
  });
  std::vector<uint8_t> bytes(1 << 16, 0x5a);
  out[kind_index(OperationKind::Hashing)] = measure(seconds, [&] {
    auto d = synthminer::hashcore::sha256(bytes);
    sink = d[0];
    return static_cast<double>(bytes.size());
  });
  std::vector<std::complex<double>> amps(1 << 14, {0.5, 0.25});
  out[kind_index(OperationKind::Quantum)] = measure(seconds, [&] {
    const double h = 0.7071067811865476;
    for (size_t i = 0; i < amps.size(); i += 2) {
      const auto x = amps[i], y = amps[i + 1];
      amps[i] = h * (x + y);
      amps[i + 1] = h * (x - y);
    }
    return 6.0 * static_cast<double>(amps.size());  // 3 real FLOPs per complex add, 2 per scale
  });
  (void)sink;
  return out;
}

AdapterDevice AdapterCluster::host_cpu(bool with_quantum, double calibration_seconds) {
  AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.label = "Host CPU";
  cpu.kind = DeviceKind::Cpu;
  cpu.capabilities = {OperationKind::Hashing, OperationKind::Linalg, OperationKind::Generic};
  if (with_quantum) cpu.capabilities.insert(OperationKind::Quantum);
  cpu.throughput = calibrate_host(calibration_seconds);
  cpu.perf_score = cpu.throughput[kind_index(OperationKind::Linalg)] * 1e-9;
  return cpu;
}

AdapterCluster::AdapterCluster(std::vector<AdapterDevice> devices, ClusterOptions options)
    : options_(options) {
  std::optional<std::array<double, 4>> host;
  for (AdapterDevice& d : devices) {
    const bool on_host = d.kind != DeviceKind::Gpu;
    bool needs = false;
    for (OperationKind k : d.capabilities) needs |= d.throughput[kind_index(k)] <= 0.0;
    if (on_host && needs && options_.calibrate) {
      if (!host) host = calibrate_host(options_.calibration_seconds);
      for (OperationKind k : d.capabilities)
        if (d.throughput[kind_index(k)] <= 0.0)
          d.throughput[kind_index(k)] = (*host)[kind_index(k)];
      if (d.can_run(OperationKind::Linalg))
        d.perf_score = d.throughput[kind_index(OperationKind::Linalg)] * 1e-9;
    }
    add_device(std::move(d));
  }
}

size_t AdapterCluster::add_device(AdapterDevice device, DeviceLink link) {
  std::lock_guard lock(mu_);
  for (const Slot& s : slots_)
    if (s.device.id == device.id) return std::numeric_limits<size_t>::max();
  slots_.push_back(Slot{std::move(device), link, 0.0, {}});
  return slots_.size() - 1;
}

double AdapterCluster::throughput(const Slot& slot, OperationKind kind) const {
  const double t = slot.device.throughput[kind_index(kind)];
  if (t > 0.0) return t;
  return std::max(slot.device.perf_score, 1e-3) * 1e9;
}

double AdapterCluster::run_estimate(const Slot& slot, const TaskCost& task) const {
  double seconds = task.work / throughput(slot, task.kind);
  if (slot.link.bytes_per_second > 0.0)
    seconds += slot.link.latency_seconds + task.input_bytes / slot.link.bytes_per_second;
  return seconds;
}

std::optional<Assignment> AdapterCluster::assign(const TaskCost& task) {
  std::lock_guard lock(mu_);
  std::optional<size_t> best, best_cpu;
  double best_finish = 0.0, best_cpu_finish = 0.0, cpu_run = 0.0;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (!s.device.can_run(task.kind)) continue;
    const double run = run_estimate(s, task);
    const double finish = s.queued_seconds + run;
    if (!best || finish < best_finish) {
      best = i;
      best_finish = finish;
    }
    if (s.device.kind == DeviceKind::Cpu && (!best_cpu || finish < best_cpu_finish)) {
      best_cpu = i;
      best_cpu_finish = finish;
      cpu_run = run;
    }
  }
  if (!best) return std::nullopt;
  if (best_cpu && cpu_run < options_.tiny_task_seconds) best = best_cpu;
  Slot& s = slots_[*best];
  Assignment a;
  a.device = *best;
  a.device_id = s.device.id;
  a.estimated_seconds = run_estimate(s, task);
  s.queued_seconds += a.estimated_seconds;
  a.estimated_finish = s.queued_seconds;
  ++s.tasks[kind_index(task.kind)];
  return a;
}

void AdapterCluster::complete(const Assignment& a, const TaskCost& task, double measured_seconds) {
  std::lock_guard lock(mu_);
  if (a.device >= slots_.size()) return;
  Slot& s = slots_[a.device];
  s.queued_seconds = std::max(0.0, s.queued_seconds - a.estimated_seconds);
  // Learn only from tasks long enough to time (clock resolution and overheads).
  if (measured_seconds > 1e-4 && task.work > 0.0) {
    double& t = s.device.throughput[kind_index(task.kind)];
    const double observed = task.work / measured_seconds;
    t = t > 0.0 ? (1.0 - options_.learning_rate) * t + options_.learning_rate * observed : observed;
  }
}

std::vector<AdapterDevice> AdapterCluster::devices() const {
  std::lock_guard lock(mu_);
  std::vector<AdapterDevice> out;
  for (const Slot& s : slots_) out.push_back(s.device);
  return out;
}

nlohmann::json AdapterCluster::to_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = nlohmann::json::array();
  for (const Slot& s : slots_) {
    nlohmann::json throughput = nlohmann::json::object(), tasks = nlohmann::json::object();
    for (OperationKind k : kAllOperationKinds) {
      if (!s.device.can_run(k)) continue;
      throughput[std::string(to_string(k))] = s.device.throughput[kind_index(k)];
      tasks[std::string(to_string(k))] = s.tasks[kind_index(k)];
    }
    out.push_back({{"id", s.device.id},
                   {"label", s.device.label},
                   {"kind", std::string(to_string(s.device.kind))},
                   {"perf_score_gflops", s.device.perf_score},
                   {"throughput_units_per_second", throughput},
                   {"queued_seconds", s.queued_seconds},
                   {"tasks", tasks}});
  }
  return out;
}

}  // namespace jarvis
