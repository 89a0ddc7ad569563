#include "hashcore/scan_constants.h"

#include "hashcore/sha256_constants.h"

namespace synthminer::hashcore {

ScanConstants make_scan_constants(const ScanJob& job) {
  ScanConstants k{};
  for (int i = 0; i < 8; ++i) k.midstate[i] = job.midstate[i];
  k.w0 = load_be32(job.tail.data());
  k.w1 = load_be32(job.tail.data() + 4);
  k.w2 = load_be32(job.tail.data() + 8);

  // Rounds 0..2 depend on the job only.
  uint32_t s[8];
  for (int i = 0; i < 8; ++i) s[i] = job.midstate[i];
  round_step(s, kK[0] + k.w0);
  round_step(s, kK[1] + k.w1);
  round_step(s, kK[2] + k.w2);
  // Round 3 without W3, which the scanners add.
  const uint32_t t1 = s[7] + big_sigma1(s[4]) + ch(s[4], s[5], s[6]) + kK[3];
  const uint32_t t2 = big_sigma0(s[0]) + maj(s[0], s[1], s[2]);
  k.a4_base = t1 + t2;
  k.e4_base = s[3] + t1;
  k.a3 = s[0];
  k.b3 = s[1];
  k.c3 = s[2];
  k.e3 = s[4];
  k.f3 = s[5];
  k.hkw4 = s[6] + kK[4] + 0x80000000u;  // h4 = g3, W4 = padding bit
  k.hkw5 = s[5] + kK[5];                // h5 = f3, W5 = 0
  k.hkw6 = s[4] + kK[6];                // h6 = e3, W6 = 0

  // W9..W14 = 0, W4 = 0x80000000, W15 = 640 (the header's length in bits).
  k.w16 = small_sigma0(k.w1) + k.w0;
  k.w17 = small_sigma1(640) + small_sigma0(k.w2) + k.w1;
  k.kw16 = kK[16] + k.w16;
  k.kw17 = kK[17] + k.w17;
  k.w18_base = small_sigma1(k.w16) + k.w2;
  k.w19_base = small_sigma1(k.w17) + small_sigma0(0x80000000u);
  k.w31_add = small_sigma0(k.w16) + 640;
  k.w32_add = small_sigma0(k.w17) + k.w16;

  k.target_top = job.target.limbs[7];
  return k;
}

}  // namespace synthminer::hashcore
