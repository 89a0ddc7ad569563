#include "common/printable.h"

#include <gtest/gtest.h>

namespace synthminer::common {
namespace {

bool only_printable_ascii(const std::string& s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

TEST(Printable, KeepsPlainTextAsIs) {
  EXPECT_EQ(printable("low difficulty share (0.0012)"), "low difficulty share (0.0012)");
  EXPECT_EQ(printable(""), "");
}

TEST(Printable, NewlineCannotForgeAJournalEntry) {
  const std::string out = printable("Duplicate\n<3>synthminerd: private key leaked");
  EXPECT_EQ(out, "Duplicate\\n<3>synthminerd: private key leaked");
  EXPECT_TRUE(only_printable_ascii(out));
}

TEST(Printable, AnsiEscapesAndOtherBytesAreEscaped) {
  EXPECT_EQ(printable("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(printable(std::string("a\0b\r\t\x7f\xff", 7)), "a\\x00b\\r\\t\\x7f\\xff");
  // Printable text passes unchanged: made printable twice is made printable once.
  EXPECT_EQ(printable(printable("a\nb\x1b")), printable("a\nb\x1b"));
}

TEST(Printable, LongTextIsCutToTheLimit) {
  const std::string out = printable(std::string(10000, 'a'), 100);
  EXPECT_EQ(out, std::string(100, 'a') + "...");
  EXPECT_EQ(printable(std::string(kMaxLoggedBytes + 1, 'b')).size(), kMaxLoggedBytes + 3);
  EXPECT_EQ(printable("abc", 3), "abc");
}

TEST(Printable, EscapedOutputStaysBoundedWhateverTheBytes) {
  const std::string out = printable(std::string(5000, '\x1b'), 64);
  EXPECT_LE(out.size(), 4u * 64 + 3);
  EXPECT_TRUE(only_printable_ascii(out));
}

}  // namespace
}  // namespace synthminer::common
