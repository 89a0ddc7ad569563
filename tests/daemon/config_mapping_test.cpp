// From the config's "vgpu" section to the Jarvis layers' options: the
// profile sets the sizes, and each key that is set replaces its size.
#include "daemon/config_mapping.h"

#include <gtest/gtest.h>

namespace synthminer::daemon {
namespace {

TEST(JarvisConfigFromVgpu, DefaultProfileKeepsTheLibraryDefaults) {
  const config::VgpuConfig vgpu;
  const jarvis::JarvisConfig c = jarvis_config(vgpu);
  const jarvis::JarvisConfig library;
  EXPECT_EQ(c.cache.max_items, library.cache.max_items);
  EXPECT_EQ(c.cache.max_bytes, library.cache.max_bytes);
  EXPECT_EQ(c.compression.max_bases, library.compression.max_bases);
  EXPECT_EQ(c.quantum.branches, library.quantum.branches);
  EXPECT_EQ(c.quantum.max_qubits, vgpu.max_qubits);
  EXPECT_EQ(c.quantum.max_state_bytes, vgpu.max_state_bytes);
}

TEST(JarvisConfigFromVgpu, ExtremeProfileIsTheSeedsExtremeConfig) {
  config::VgpuConfig vgpu;
  vgpu.profile = config::VgpuProfile::kExtreme;
  const jarvis::JarvisConfig c = jarvis_config(vgpu);
  EXPECT_EQ(c.cache.max_items, 1'000'000u);
  EXPECT_EQ(c.compression.max_bases, 20'000u);
  EXPECT_EQ(c.quantum.branches, 128u);
}

TEST(JarvisConfigFromVgpu, KeysThatAreSetReplaceTheProfilesSizes) {
  config::VgpuConfig vgpu;
  vgpu.profile = config::VgpuProfile::kExtreme;
  vgpu.cache_max_items = 500;
  vgpu.cache_max_bytes = 1 << 20;
  vgpu.compression_max_bases = 7;
  vgpu.max_qubits = 12;
  vgpu.max_state_bytes = 1 << 16;
  vgpu.quantum_threads = 2;
  const jarvis::JarvisConfig c = jarvis_config(vgpu);
  EXPECT_EQ(c.cache.max_items, 500u);
  EXPECT_EQ(c.cache.max_bytes, uint64_t{1} << 20);
  EXPECT_EQ(c.compression.max_bases, 7u);
  EXPECT_EQ(c.quantum.max_qubits, 12u);
  EXPECT_EQ(c.quantum.max_state_bytes, uint64_t{1} << 16);
  EXPECT_EQ(c.quantum.threads, 2u);
  EXPECT_EQ(c.quantum.branches, 128u) << "what is not set keeps the profile's value";
}

}  // namespace
}  // namespace synthminer::daemon
