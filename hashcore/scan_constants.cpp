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
  uint32_t a = job.midstate[0], b = job.midstate[1], c = job.midstate[2], d = job.midstate[3];
  uint32_t e = job.midstate[4], f = job.midstate[5], g = job.midstate[6], h = job.midstate[7];
  const uint32_t w[3] = {k.w0, k.w1, k.w2};
  for (int t = 0; t < 3; ++t) {
    const uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + kK[t] + w[t];
    const uint32_t t2 = big_sigma0(a) + maj(a, b, c);
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  // Round 3 without W3, which the scanners add.
  const uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + kK[3];
  const uint32_t t2 = big_sigma0(a) + maj(a, b, c);
  k.a4_base = t1 + t2;
  k.e4_base = d + t1;
  k.a3 = a;
  k.b3 = b;
  k.c3 = c;
  k.e3 = e;
  k.f3 = f;
  k.hkw4 = g + kK[4] + 0x80000000u;  // h4 = g3, W4 = padding bit
  k.hkw5 = f + kK[5];                // h5 = f3, W5 = 0
  k.hkw6 = e + kK[6];                // h6 = e3, W6 = 0

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
