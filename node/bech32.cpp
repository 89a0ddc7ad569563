#include "node/bech32.h"

#include <array>
#include <cctype>
#include <string>

namespace synthminer::node {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Const = 1;
constexpr uint32_t kBech32mConst = 0x2bc830a3;
constexpr size_t kChecksumChars = 6;

Error fail(std::string message) {
  return Error{"bech32: " + std::move(message)};
}

// The BCH checksum's generator polynomial over GF(32) (BIP 173).
uint32_t polymod(const std::vector<uint8_t>& values) {
  static constexpr std::array<uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                   0x2a1462b3};
  uint32_t chk = 1;
  for (const uint8_t v : values) {
    const uint32_t top = chk >> 25;
    chk = (chk & 0x1ffffff) << 5 ^ v;
    for (size_t i = 0; i < kGen.size(); ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
  }
  return chk;
}

// Regroups `in` from `from`-bit to `to`-bit values. Without padding (the
// decoding direction) the leftover must be fewer than `from` bits, all zero.
bool convert_bits(const std::vector<uint8_t>& in, size_t first, int from, int to, bool pad,
                  std::vector<uint8_t>& out) {
  uint32_t acc = 0;
  int bits = 0;
  const uint32_t max = (1u << to) - 1;
  for (size_t i = first; i < in.size(); ++i) {
    acc = acc << from | in[i];
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<uint8_t>((acc >> bits) & max));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<uint8_t>((acc << (to - bits)) & max));
    return true;
  }
  return bits < from && ((acc << (to - bits)) & max) == 0;
}

}  // namespace

Result<Bech32Decoded> bech32_decode(std::string_view text) {
  if (text.size() > kMaxBech32Chars) {
    return fail("longer than " + std::to_string(kMaxBech32Chars) + " characters");
  }
  bool lower = false, upper = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 33 || c > 126) return fail("character " + std::to_string(i) + " is out of range");
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
  }
  if (lower && upper) return fail("mixed case");
  const size_t sep = text.rfind('1');
  if (sep == std::string_view::npos) return fail("no separator '1'");
  if (sep == 0) return fail("empty human-readable part");
  if (text.size() - sep - 1 < kChecksumChars) return fail("checksum shorter than 6 characters");

  Bech32Decoded out;
  std::vector<uint8_t> values;
  for (size_t i = 0; i < sep; ++i) {
    const auto c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    out.hrp.push_back(c);
    values.push_back(static_cast<uint8_t>(static_cast<unsigned char>(c) >> 5));
  }
  values.push_back(0);
  for (const char c : out.hrp) values.push_back(static_cast<uint8_t>(c & 31));
  for (size_t i = sep + 1; i < text.size(); ++i) {
    const size_t v =
        kCharset.find(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
    if (v == std::string_view::npos) {
      return fail("character " + std::to_string(i) + " is not a bech32 data character");
    }
    values.push_back(static_cast<uint8_t>(v));
  }
  const uint32_t check = polymod(values);
  if (check == kBech32Const) {
    out.encoding = Bech32Encoding::kBech32;
  } else if (check == kBech32mConst) {
    out.encoding = Bech32Encoding::kBech32m;
  } else {
    return fail("checksum mismatch");
  }
  const size_t data_begin = values.size() - (text.size() - sep - 1);
  out.data.assign(values.begin() + static_cast<long>(data_begin),
                  values.end() - static_cast<long>(kChecksumChars));
  return out;
}

Result<WitnessProgram> segwit_decode(std::string_view address) {
  auto decoded = bech32_decode(address);
  if (!decoded) return Error{decoded.error()};
  const Bech32Decoded& d = *decoded;
  if (d.data.empty()) return fail("no witness version");
  WitnessProgram out;
  out.hrp = d.hrp;
  if (d.data[0] > 16) return fail("witness version " + std::to_string(d.data[0]) + " above 16");
  out.version = d.data[0];
  if (!convert_bits(d.data, 1, 5, 8, false, out.program)) {
    return fail("witness program padding is not zero or longer than 4 bits");
  }
  if (out.program.size() < 2 || out.program.size() > 40) {
    return fail("witness program of " + std::to_string(out.program.size()) +
                " bytes (2 to 40 allowed)");
  }
  if (out.version == 0 && out.program.size() != 20 && out.program.size() != 32) {
    return fail("version 0 witness program of " + std::to_string(out.program.size()) +
                " bytes (20 or 32 allowed)");
  }
  // BIP 350: the checksum constant follows the version, so a bech32 string
  // with a version 1+ program (and the reverse) is refused.
  if (out.version == 0 && d.encoding != Bech32Encoding::kBech32) {
    return fail("witness version 0 must use bech32, not bech32m");
  }
  if (out.version != 0 && d.encoding != Bech32Encoding::kBech32m) {
    return fail("witness version " + std::to_string(out.version) + " must use bech32m, not bech32");
  }
  return out;
}

std::vector<uint8_t> witness_script(const WitnessProgram& witness) {
  std::vector<uint8_t> script;
  script.reserve(2 + witness.program.size());
  script.push_back(witness.version == 0 ? 0x00 : static_cast<uint8_t>(0x50 + witness.version));
  script.push_back(static_cast<uint8_t>(witness.program.size()));
  script.insert(script.end(), witness.program.begin(), witness.program.end());
  return script;
}

}  // namespace synthminer::node
