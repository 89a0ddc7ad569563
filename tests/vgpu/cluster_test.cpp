// AdapterCluster: earliest-finish routing with fake devices of known speed.
#include <gtest/gtest.h>

#include "vgpu/adapter_cluster.h"
#include "vgpu/task_cost.h"

namespace jarvis {
namespace {

AdapterDevice fake(std::string id, DeviceKind kind, double flops_per_second,
                   std::set<OperationKind> caps) {
  AdapterDevice d;
  d.id = std::move(id);
  d.label = d.id;
  d.kind = kind;
  d.capabilities = std::move(caps);
  for (OperationKind k : d.capabilities) d.throughput[kind_index(k)] = flops_per_second;
  d.perf_score = flops_per_second * 1e-9;
  return d;
}

ClusterOptions no_calibration() {
  ClusterOptions o;
  o.calibrate = false;
  return o;
}

TEST(Cluster, WorkSplitsBySpeed) {
  AdapterCluster cluster({fake("fast", DeviceKind::Virtual, 3e9, {OperationKind::Linalg}),
                          fake("slow", DeviceKind::Virtual, 1e9, {OperationKind::Linalg})},
                         no_calibration());
  int fast = 0, slow = 0;
  for (int i = 0; i < 400; ++i) {
    auto a = cluster.assign({OperationKind::Linalg, 1e8, 0});
    ASSERT_TRUE(a);
    (a->device_id == "fast" ? fast : slow)++;
  }
  EXPECT_NEAR(fast, 300, 3);
  EXPECT_NEAR(slow, 100, 3);
}

TEST(Cluster, CompletionDrainsTheQueueAndLearnsTheSpeed) {
  AdapterCluster cluster({fake("a", DeviceKind::Virtual, 1e9, {OperationKind::Generic}),
                          fake("b", DeviceKind::Virtual, 1e9, {OperationKind::Generic})},
                         no_calibration());
  const TaskCost task{OperationKind::Generic, 1e9, 0};
  // "a" turns out 4x faster than believed: after a few measured runs it takes most work.
  for (int i = 0; i < 20; ++i) {
    auto x = cluster.assign(task);
    ASSERT_TRUE(x);
    cluster.complete(*x, task, x->device_id == "a" ? 0.25 : 1.0);
  }
  auto devices = cluster.devices();
  EXPECT_GT(devices[0].throughput[kind_index(OperationKind::Generic)], 3e9);
  int on_a = 0;
  for (int i = 0; i < 50; ++i) on_a += cluster.assign(task)->device_id == "a";
  EXPECT_GE(on_a, 38);
}

TEST(Cluster, IncapableDeviceIsNeverChosen) {
  AdapterCluster cluster(
      {fake("quantum_adapter", DeviceKind::Virtual, 1e15, {OperationKind::Quantum}),
       fake("cpu", DeviceKind::Cpu, 1e9, {OperationKind::Linalg, OperationKind::Hashing})},
      no_calibration());
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(cluster.assign({OperationKind::Linalg, 1e9, 0})->device_id, "cpu");
    EXPECT_EQ(cluster.assign({OperationKind::Quantum, 1e9, 0})->device_id, "quantum_adapter");
  }
  EXPECT_FALSE(cluster.assign({OperationKind::Generic, 1.0, 0}).has_value());
}

TEST(Cluster, TinyTasksStayOnTheCpuAndTransfersCount) {
  AdapterCluster cluster({fake("cpu", DeviceKind::Cpu, 1e10, {OperationKind::Linalg})},
                         no_calibration());
  DeviceLink pcie{10e-6, 25e9};
  cluster.add_device(fake("gpu0", DeviceKind::Gpu, 1e13, {OperationKind::Linalg}), pcie);
  EXPECT_EQ(cluster.assign({OperationKind::Linalg, 1e3, 8e3})->device_id, "cpu");
  EXPECT_EQ(cluster.assign({OperationKind::Linalg, 1e11, 8e6})->device_id, "gpu0");
  // Much data, little work: the transfer makes the CPU finish first.
  EXPECT_EQ(cluster.assign({OperationKind::Linalg, 1e7, 8e9})->device_id, "cpu");
  EXPECT_EQ(cluster.add_device(fake("gpu0", DeviceKind::Gpu, 1, {}), pcie),
            std::numeric_limits<size_t>::max());
}

TEST(Cluster, HostCpuIsCalibratedAndNoGpuIsInvented) {
  AdapterDevice cpu = AdapterCluster::host_cpu(true, 0.002);
  for (OperationKind k : kAllOperationKinds) EXPECT_GT(cpu.throughput[kind_index(k)], 0.0);
  EXPECT_GT(cpu.perf_score, 0.0);
  AdapterDevice virt;
  virt.id = "quantum_adapter";
  virt.kind = DeviceKind::Virtual;
  virt.perf_score = 5.0;  // the seed's guess: replaced by a measurement
  virt.capabilities = {OperationKind::Quantum};
  AdapterCluster cluster({cpu, virt});
  for (const AdapterDevice& d : cluster.devices()) {
    EXPECT_NE(d.kind, DeviceKind::Gpu);
    for (OperationKind k : d.capabilities) EXPECT_GT(d.throughput[kind_index(k)], 0.0);
  }
  EXPECT_EQ(cluster.to_json().size(), 2u);
}

}  // namespace
}  // namespace jarvis

namespace jarvis {
namespace {

TEST(TaskCost, EstimatesFromShapesAndIgnoresGarbage) {
  using nlohmann::json;
  TaskCost mm = estimate_cost(
      OperationKind::Linalg,
      json::parse(R"({"operation":"matmul","matrix":[[1,2,3],[4,5,6]],"other":[[1],[2],[3]]})"));
  EXPECT_EQ(mm.work, 2.0 * 2 * 3 * 1);
  TaskCost seed =
      estimate_cost(OperationKind::Linalg,
                    json::parse(R"({"matrix":[1,2],"vector":[3,4],"operation":"matmul"})"));
  EXPECT_EQ(seed.work, 4.0);
  TaskCost bad = estimate_cost(OperationKind::Quantum,
                               json{{"qubits", std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_GE(bad.work, 0.0);
  TaskCost negative =
      estimate_cost(OperationKind::Hashing, json{{"operation", "scan"}, {"nonce_count", -5}});
  EXPECT_EQ(negative.work, 0.0);
  EXPECT_EQ(estimate_cost(OperationKind::Generic, json::array()).work, 0.0);
}

}  // namespace
}  // namespace jarvis
