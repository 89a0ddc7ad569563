// Entry points of each backend, one file per instruction set. Declared here
// so backend.cpp can build its table; never call them without checking that
// the CPU supports the instruction set (backend.h does that).
#pragma once

#include "hashcore/prefilter.h"

namespace synthminer::hashcore::kernels {

uint64_t scan_scalar(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits);
void compress_scalar(uint32_t* state, const uint8_t* const* blocks);

#if defined(SYNTHMINER_X86)
uint64_t scan_avx2(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits);
void compress_avx2(uint32_t* state, const uint8_t* const* blocks);

uint64_t scan_avx512(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits);
void compress_avx512(uint32_t* state, const uint8_t* const* blocks);

uint64_t scan_shani(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits);
void compress_shani(uint32_t* state, const uint8_t* const* blocks);
#endif

}  // namespace synthminer::hashcore::kernels
