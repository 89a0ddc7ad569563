// SHA-256 itself: NIST vectors and random messages against OpenSSL, for the
// reference and for every backend's compression function.
#include <openssl/evp.h>

#include <random>
#include <string>

#include "hashcore/hash_lanes.h"
#include "hashcore/sha256.h"
#include "tests/hashcore/backend_names.h"

namespace synthminer::hashcore {
namespace {

std::string hex(const Digest& d) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::span<const uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Digest openssl_sha256(std::span<const uint8_t> data) {
  Digest d;
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr), 1);
  return d;
}

struct NistVector {
  std::string message;
  const char* digest;
};

const std::vector<NistVector>& nist_vectors() {
  static const std::vector<NistVector> v = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  return v;
}

TEST(Sha256Reference, NistVectors) {
  for (const auto& v : nist_vectors()) EXPECT_EQ(hex(sha256(bytes(v.message))), v.digest);
}

TEST(Sha256Reference, StreamingInPiecesMatchesOneShot) {
  std::mt19937 rng(7);
  std::string msg(777, '\0');
  for (char& c : msg) c = static_cast<char>(rng());
  Sha256 h;
  for (size_t pos = 0; pos < msg.size();) {
    const size_t n = std::min<size_t>(rng() % 100, msg.size() - pos);
    h.update(bytes(msg).subspan(pos, n));
    pos += n;
  }
  EXPECT_EQ(h.finish(), sha256(bytes(msg)));
}

TEST(Sha256Reference, RandomMessagesMatchOpenSsl) {
  std::mt19937 rng(11);
  for (size_t len = 0; len <= 300; ++len) {
    std::vector<uint8_t> msg(len);
    for (auto& b : msg) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(sha256(msg), openssl_sha256(msg)) << "length " << len;
  }
}

TEST(Sha256Reference, DoubleHash) {
  // sha256d("hello") as Bitcoin tools print it (raw digest order).
  EXPECT_EQ(hex(sha256d(bytes("hello"))),
            "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
}

class BackendSha256 : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendSha256, NistVectorsInEveryLane) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  for (const auto& v : nist_vectors()) {
    std::vector<std::span<const uint8_t>> msgs(backend->lanes, bytes(v.message));
    for (const Digest& d : sha256_lanes(*backend, msgs)) EXPECT_EQ(hex(d), v.digest);
  }
}

TEST_P(BackendSha256, RandomMessagesOfEveryLengthMatchOpenSsl) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937 rng(13);
  for (size_t len = 0; len <= 300; ++len) {
    // Distinct messages per lane, stored at odd offsets so loads are unaligned.
    std::vector<std::vector<uint8_t>> storage(backend->lanes, std::vector<uint8_t>(len + 1));
    std::vector<std::span<const uint8_t>> msgs;
    for (auto& s : storage) {
      for (auto& b : s) b = static_cast<uint8_t>(rng());
      msgs.emplace_back(s.data() + 1, len);
    }
    const auto digests = sha256_lanes(*backend, msgs);
    ASSERT_EQ(digests.size(), msgs.size());
    for (size_t i = 0; i < msgs.size(); ++i) {
      ASSERT_EQ(digests[i], openssl_sha256(msgs[i])) << "length " << len << " lane " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendSha256,
                         ::testing::ValuesIn(testing::compiled_backend_names()),
                         testing::BackendParamName());

}  // namespace
}  // namespace synthminer::hashcore
