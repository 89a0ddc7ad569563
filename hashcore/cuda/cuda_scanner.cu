// Design: one stream per device; a scan enqueues a reset of the device hit
// buffer, as many kernel launches as the range needs, and one copy of the
// hits into pinned host memory, then waits once. The kernel hashes
// kNoncesPerThread nonces per thread with the job's constants passed as a
// kernel parameter (constant bank); hits are appended with an atomic. If a
// very easy target overflows the buffer, the range is split and rescanned,
// so no hit is ever dropped.
#include <cuda_runtime.h>

#include <algorithm>

#include "hashcore/cuda/cuda_scanner.h"
#include "hashcore/cuda/sha256d_device.h"

namespace synthminer::hashcore::cuda {
namespace {

constexpr uint32_t kThreadsPerBlock = 256;
constexpr uint32_t kNoncesPerThread = 4;
constexpr uint32_t kHitCapacity = 1 << 16;
constexpr uint64_t kMaxNoncesPerLaunch = uint64_t{1} << 30;

struct DeviceHits {
  uint32_t count;
  uint32_t nonce[kHitCapacity];
};

__global__ void __launch_bounds__(kThreadsPerBlock)
    sha256d_scan_kernel(const ScanConstants k, uint32_t start, uint32_t count, DeviceHits* hits) {
  const uint32_t first = blockIdx.x * kThreadsPerBlock * kNoncesPerThread + threadIdx.x;
#pragma unroll 1
  for (uint32_t i = 0; i < kNoncesPerThread; ++i) {
    const uint32_t offset = first + i * kThreadsPerBlock;
    if (offset >= count) return;
    const uint32_t nonce = start + offset;
    if (DeviceScan::passes(k, nonce)) {
      const uint32_t slot = atomicAdd(&hits->count, 1u);
      if (slot < kHitCapacity) hits->nonce[slot] = nonce;
    }
  }
}

std::string describe(cudaError_t err, const char* what) {
  return std::string(what) + ": " + cudaGetErrorString(err);
}

}  // namespace

struct CudaScanner::Impl {
  CudaDevice device;
  cudaStream_t stream = nullptr;
  DeviceHits* device_hits = nullptr;
  DeviceHits* host_hits = nullptr;  // pinned

  ~Impl() {
    if (stream != nullptr) cudaStreamDestroy(stream);
    if (device_hits != nullptr) cudaFree(device_hits);
    if (host_hits != nullptr) cudaFreeHost(host_hits);
  }

  // Scans [start, start + count), count <= 2^32 - start, into `out`.
  bool scan_range(const PreparedScan& prepared, uint32_t start, uint64_t count,
                  std::vector<uint32_t>& out, std::string& error) {
    cudaError_t err = cudaSetDevice(device.index);
    if (err == cudaSuccess) err = cudaMemsetAsync(&device_hits->count, 0, sizeof(uint32_t), stream);
    for (uint64_t done = 0; err == cudaSuccess && done < count;) {
      const uint64_t n = std::min(count - done, kMaxNoncesPerLaunch);
      const uint64_t per_block = uint64_t{kThreadsPerBlock} * kNoncesPerThread;
      const auto blocks = static_cast<unsigned>((n + per_block - 1) / per_block);
      sha256d_scan_kernel<<<blocks, kThreadsPerBlock, 0, stream>>>(
          prepared.constants, start + static_cast<uint32_t>(done), static_cast<uint32_t>(n),
          device_hits);
      err = cudaGetLastError();
      done += n;
    }
    if (err == cudaSuccess) {
      err = cudaMemcpyAsync(host_hits, device_hits, sizeof(DeviceHits), cudaMemcpyDeviceToHost,
                            stream);
    }
    if (err == cudaSuccess) err = cudaStreamSynchronize(stream);
    if (err != cudaSuccess) {
      error = describe(err, "sha256d scan");
      return false;
    }
    if (host_hits->count > kHitCapacity) {
      // Too many hits to hold: halve the range until each half fits.
      const uint64_t half = count / 2;
      return scan_range(prepared, start, half, out, error) &&
             scan_range(prepared, start + static_cast<uint32_t>(half), count - half, out, error);
    }
    out.insert(out.end(), host_hits->nonce, host_hits->nonce + host_hits->count);
    return true;
  }
};

CudaScanner::CudaScanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CudaScanner::~CudaScanner() = default;

std::unique_ptr<CudaScanner> CudaScanner::open(int index, std::string& error) {
  const CudaInventory inventory = list_cuda_devices();
  const auto it = std::find_if(inventory.devices.begin(), inventory.devices.end(),
                               [&](const CudaDevice& d) { return d.index == index; });
  if (it == inventory.devices.end()) {
    error = inventory.devices.empty() ? "no CUDA device: " + inventory.none_reason
                                      : "no CUDA device " + std::to_string(index);
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->device = *it;
  cudaError_t err = cudaSetDevice(index);
  if (err == cudaSuccess) err = cudaStreamCreateWithFlags(&impl->stream, cudaStreamNonBlocking);
  if (err == cudaSuccess) err = cudaMalloc(&impl->device_hits, sizeof(DeviceHits));
  if (err == cudaSuccess) err = cudaMallocHost(&impl->host_hits, sizeof(DeviceHits));
  if (err != cudaSuccess) {
    error = describe(err, "opening CUDA device");
    return nullptr;
  }
  return std::unique_ptr<CudaScanner>(new CudaScanner(std::move(impl)));
}

std::optional<ScanResult> CudaScanner::scan(const PreparedScan& prepared, NonceRange range,
                                            std::string& error) {
  const uint64_t count = std::min<uint64_t>(range.count, (uint64_t{1} << 32) - range.start);
  std::vector<uint32_t> hits;
  if (!impl_->scan_range(prepared, range.start, count, hits, error)) return std::nullopt;
  std::sort(hits.begin(), hits.end());
  ScanResult result;
  result.hashes = count;
  for (uint32_t nonce : hits) {
    if (meets_target(header_hash(prepared.job, nonce), prepared.job.target)) {
      result.nonces.push_back(nonce);
    }
  }
  return result;
}

const CudaDevice& CudaScanner::device() const {
  return impl_->device;
}

}  // namespace synthminer::hashcore::cuda
