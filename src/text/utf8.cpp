#include "text/utf8.h"

#include "unspin/text.h"

namespace unspin {

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) {
  const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = begin + bytes.size();
  const auto* p = begin;
  while (p < end) {
    if (end - p >= 8 && text::all_ascii8(p)) {
      p += 8;
      continue;
    }
    text::Decoded d = text::decode_utf8(p, end);
    if (!d.valid) return static_cast<std::size_t>(p - begin);
    p += d.len;
  }
  return std::nullopt;
}

}  // namespace unspin
