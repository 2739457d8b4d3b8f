// validate_input: the gate every untrusted document passes before decoding.
//
// One pass over the bytes counts what decides the verdict; the checks then
// run in a fixed order so each input gets exactly one, most useful, error:
//   size > max_bytes  -> kTooLarge   (before reading a byte)
//   zero bytes        -> kEmptyInput
//   UTF-16/32 text (a byte-order mark, or ASCII interleaved with NULs)
//                     -> kInvalidUtf8 naming the encoding to convert from
//   any NUL byte      -> kBinaryInput (the scan stops at the first NUL)
//   > 5% control chars (C0 other than \t \n \v \f \r, DEL, C1 other than NEL)
//                     -> kBinaryInput
//   invalid UTF-8     -> kInvalidUtf8 (offset, line, column, the bad bytes)
//   only whitespace   -> kEmptyInput
// Binary wins over invalid UTF-8 because a binary file is both, and "this is
// a binary file" is the message that tells the user what went wrong.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "text/utf8.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// True when the 8 bytes at p are printable ASCII or space (0x20..0x7E).
inline bool printable8(const unsigned char* p) {
  std::uint64_t w;
  __builtin_memcpy(&w, p, 8);
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  const std::uint64_t x = w ^ (kOnes * 0x7F);
  const std::uint64_t is_del = (x - kOnes) & ~x & kHighs;
  return ((w & kHighs) | below_space | is_del) == 0;
}

bool is_control_byte(unsigned char b) { return (b < 0x20 && !(b >= 0x09 && b <= 0x0D)) || b == 0x7F; }

std::string describe_invalid(std::string_view bytes, std::size_t offset) {
  const std::size_t line_start = [&] {
    const std::size_t nl = bytes.rfind('\n', offset == 0 ? std::string_view::npos : offset - 1);
    return (offset == 0 || nl == std::string_view::npos) ? 0 : nl + 1;
  }();
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
  std::size_t column = 1;  // in code points, counting each bad byte as one
  for (std::size_t i = line_start; i < offset; ++i) {
    column += (static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80;
  }
  std::string shown;
  for (std::size_t i = offset; i < bytes.size() && i < offset + 4; ++i) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%s0x%02X", i == offset ? "" : " ",
                  static_cast<unsigned>(static_cast<unsigned char>(bytes[i])));
    shown += hex;
  }
  return "input is not valid UTF-8: bad byte sequence at byte offset " + std::to_string(offset) + " (line " +
         std::to_string(line) + ", column " + std::to_string(column) + "; bytes " + shown +
         "); convert the text to UTF-8 first, e.g. iconv -f windows-1252 -t utf-8 FILE";
}

// UTF-16 or UTF-32 text: a byte-order mark, or (without one) the first 64
// bytes read as ASCII code units, i.e. NULs in every high byte.
const char* wide_encoding(std::string_view b) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 4 && u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0) return "UTF-32LE";
  if (b.size() >= 4 && u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF) return "UTF-32BE";
  if (b.size() >= 2 && u(0) == 0xFF && u(1) == 0xFE) return "UTF-16LE";
  if (b.size() >= 2 && u(0) == 0xFE && u(1) == 0xFF) return "UTF-16BE";
  const std::size_t n = std::min<std::size_t>(b.size(), 64) & ~std::size_t{1};
  if (n < 8) return nullptr;
  bool le = true, be = true;
  for (std::size_t i = 0; i < n; i += 2) {
    le &= u(i) != 0 && u(i) < 0x80 && u(i + 1) == 0;
    be &= u(i) == 0 && u(i + 1) != 0 && u(i + 1) < 0x80;
  }
  return le ? "UTF-16LE" : be ? "UTF-16BE" : nullptr;
}

}  // namespace

void validate_input(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    throw Error(ErrorCode::kTooLarge, "input is " + std::to_string(bytes.size()) + " bytes, larger than the limit of " +
                                          std::to_string(max_bytes) + " bytes; raise it with --max-input-bytes");
  }
  if (bytes.empty()) {
    throw Error(ErrorCode::kEmptyInput, "input is empty (0 bytes); give some text");
  }
  if (const char* wide = wide_encoding(bytes)) {
    throw Error(ErrorCode::kInvalidUtf8, std::string("input is not UTF-8 but looks like ") + wide +
                                             " text; convert it first, e.g. iconv -f " + wide + " -t utf-8 FILE");
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = begin + bytes.size();
  const auto* p = begin;
  std::size_t code_points = 0, controls = 0;
  std::size_t first_invalid = std::string_view::npos;
  bool has_text = false;
  while (p < end) {
    if (end - p >= 8 && printable8(p)) {
      std::uint64_t w;
      __builtin_memcpy(&w, p, 8);
      has_text |= w != kOnes * 0x20;
      code_points += 8;
      p += 8;
      continue;
    }
    const unsigned char b = *p;
    ++code_points;
    if (b < 0x80) {
      if (b == 0) {
        throw Error(ErrorCode::kBinaryInput, "input looks like a binary file, not text (NUL byte at byte offset " +
                                                 std::to_string(p - begin) + "); give a UTF-8 text file");
      }
      if (is_control_byte(b))
        ++controls;
      else if (b > 0x20)
        has_text = true;
      ++p;
      continue;
    }
    text::Decoded d = text::decode_utf8(p, end);
    if (!d.valid) {
      if (first_invalid == std::string_view::npos) first_invalid = static_cast<std::size_t>(p - begin);
    } else if (d.cp >= 0x80 && d.cp <= 0x9F && d.cp != 0x85) {
      ++controls;
    } else if (!text::is_space_cp(d.cp)) {
      has_text = true;
    }
    p += d.len;
  }
  if (controls * 20 > code_points) {
    throw Error(ErrorCode::kBinaryInput, "input looks like a binary file, not text (" + std::to_string(controls) +
                                             " of " + std::to_string(code_points) +
                                             " characters are control characters); give a UTF-8 text file");
  }
  if (first_invalid != std::string_view::npos) {
    throw Error(ErrorCode::kInvalidUtf8, describe_invalid(bytes, first_invalid));
  }
  if (!has_text) {
    throw Error(ErrorCode::kEmptyInput,
                "input contains only whitespace (" + std::to_string(bytes.size()) + " bytes); give some text");
  }
}

}  // namespace unspin
