#include <gtest/gtest.h>

#include <string>

#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin {
namespace {

constexpr std::size_t kMax = 1 << 20;

// The error validate_input throws (code and message), or kInternal if none.
std::pair<ErrorCode, std::string> verdict(std::string_view bytes, std::size_t max = kMax) {
  try {
    validate_input(bytes, max);
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  return {ErrorCode::kInternal, ""};
}

TEST(ValidateInput, AcceptsText) {
  EXPECT_NO_THROW(validate_input("Hello, world.", kMax));
  EXPECT_NO_THROW(validate_input("“Curly” — café — 東京 😀\r\n\tTabbed\u00A0text\f\n", kMax));
  // A few escape sequences (coloured terminal output) are still text.
  EXPECT_NO_THROW(validate_input("\x1b[31mred\x1b[0m and a long enough line of plain text here", kMax));
}

TEST(ValidateInput, TooLarge) {
  auto [code, msg] = verdict("12345", 4);
  EXPECT_EQ(code, ErrorCode::kTooLarge);
  EXPECT_NE(msg.find("--max-input-bytes"), std::string::npos) << msg;
  EXPECT_NO_THROW(validate_input("1234", 4));
}

TEST(ValidateInput, Empty) {
  EXPECT_EQ(verdict("").first, ErrorCode::kEmptyInput);
  for (const char* ws :
       {" ", "\n\n", " \t\r\n", "\u00A0\u3000\u2028", "\xEF\xBB\xBF", "                                "}) {
    auto [code, msg] = verdict(ws);
    EXPECT_EQ(code, ErrorCode::kEmptyInput) << msg;
    EXPECT_NE(msg.find("whitespace"), std::string::npos) << msg;
  }
}

TEST(ValidateInput, InvalidUtf8ReportsOffsetAndLine) {
  auto [code, msg] = verdict("first line\nsecond caf\xE9 line\n");
  EXPECT_EQ(code, ErrorCode::kInvalidUtf8);
  EXPECT_NE(msg.find("byte offset 21"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 11"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0xE9"), std::string::npos) << msg;
  EXPECT_EQ(verdict("\xED\xA0\x80 surrogate").first, ErrorCode::kInvalidUtf8);
  EXPECT_EQ(verdict("overlong \xC0\xAF").first, ErrorCode::kInvalidUtf8);
  EXPECT_EQ(verdict("truncated \xE2\x80").first, ErrorCode::kInvalidUtf8);
}

TEST(ValidateInput, Utf16And32AreNamed) {
  const std::string le("\xFF\xFEH\0i\0", 6);
  auto [code, msg] = verdict(le);
  EXPECT_EQ(code, ErrorCode::kInvalidUtf8);
  EXPECT_NE(msg.find("UTF-16LE"), std::string::npos) << msg;
  EXPECT_NE(verdict(std::string("\xFE\xFF\0H\0i", 6)).second.find("UTF-16BE"), std::string::npos);
  EXPECT_NE(verdict(std::string("\xFF\xFE\0\0H\0\0\0", 8)).second.find("UTF-32LE"), std::string::npos);
  // No byte-order mark: ASCII code units give it away.
  const std::string bare("H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0", 22);
  EXPECT_NE(verdict(bare).second.find("UTF-16LE"), std::string::npos) << verdict(bare).second;
  const std::string bare_be("\0H\0e\0l\0l\0o\0!", 12);
  EXPECT_NE(verdict(bare_be).second.find("UTF-16BE"), std::string::npos);
}

TEST(ValidateInput, Binary) {
  auto [code, msg] = verdict(std::string("text\0more", 9));
  EXPECT_EQ(code, ErrorCode::kBinaryInput);
  EXPECT_NE(msg.find("binary"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 4"), std::string::npos) << msg;
  // NUL wins over invalid UTF-8: an executable is both.
  EXPECT_EQ(verdict(std::string("\x7F"
                                "ELF\x02\x01\x01\0\0\xFF",
                                10))
                .first,
            ErrorCode::kBinaryInput);
  // Many control characters without NUL.
  std::string controls;
  for (int i = 0; i < 100; ++i) controls += i % 4 == 0 ? '\x01' : 'a';
  EXPECT_EQ(verdict(controls).first, ErrorCode::kBinaryInput);
  EXPECT_EQ(verdict("\x01").first, ErrorCode::kBinaryInput);
  // C1 controls encoded as valid UTF-8 count too.
  EXPECT_EQ(verdict("\xC2\x81\xC2\x82 ab").first, ErrorCode::kBinaryInput);
}

}  // namespace
}  // namespace unspin
