// tokenize() and reassemble(): one left-to-right scan, tokens are views.
//
// Token rules (the contract in include/unspin/text.h, made precise):
// - kWord: starts with a letter; continues with letters, digits and combining
//   marks; an apostrophe (' ’) or hyphen (- ‐ ‑) joins when a letter follows it
//   ("don't", "O’Brien", "well-known"), a hyphen also when a digit follows
//   ("COVID-19"). Dotted single-letter acronyms are one word including their
//   dots: "U.S.", "e.g.", "J.R.R.".
// - kNumber: starts with a digit; continues like a word, and , . : join when
//   a digit is on both sides ("1,200", "3.5", "9:30"). A digit-initial token
//   with letters ("21st", "1990s", "3D") is one kNumber: spinners leave them alone.
// - kPunct: one punctuation/symbol code point (plus any combining marks after it).
// - kOther: a run of emoji, CJK, other symbols, marks or invalid bytes.
// Gaps (whitespace, control characters) are never part of a token. Invalid
// UTF-8 (a precondition violation) does not crash: each bad byte counts as one
// code point of a kOther run, so round trip still holds.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "text/char_class.h"
#include "text/sentences.h"
#include "text/utf8.h"
#include "unspin/error.h"
#include "unspin/text.h"

namespace unspin {
namespace {

using text::CharClass;

struct Peek {
  char32_t cp;
  CharClass cls;
  std::uint8_t len;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s)
      : begin_(reinterpret_cast<const unsigned char*>(s.data())), end_(begin_ + s.size()) {}

  std::size_t size() const { return static_cast<std::size_t>(end_ - begin_); }

  // The code point at byte offset `at`; callers check at < size().
  Peek peek(std::size_t at) const {
    const unsigned char b = begin_[at];
    if (b < 0x80) return {b, text::detail::kAsciiClasses[b], 1};
    text::Decoded d = text::decode_utf8(begin_ + at, end_);
    return {d.cp, d.valid ? text::classify_non_ascii(d.cp) : CharClass::kOther, d.len};
  }
  bool has(std::size_t at) const { return at < size(); }

 private:
  const unsigned char* begin_;
  const unsigned char* end_;
};

// If a dotted acronym ("U.S.", "e.g.") starts at `at`, returns its length in
// code points and sets `bytes` to its length in bytes; else returns 0.
// Pattern: (letter '.'){2,} with no letter or digit right after the last dot.
std::size_t acronym_length(const Scanner& sc, std::size_t at, std::size_t& bytes) {
  std::size_t pos = at, cps = 0, pairs = 0;
  while (sc.has(pos)) {
    Peek letter = sc.peek(pos);
    if (letter.cls != CharClass::kLetter) break;
    std::size_t dot = pos + letter.len;
    if (!sc.has(dot) || sc.peek(dot).cp != '.') break;
    pos = dot + 1;
    cps += 2;
    ++pairs;
    // The next pair must start right after the dot; a letter run longer than
    // one ("U.Sx.") ends the acronym before it.
    if (!sc.has(pos)) break;
    Peek next = sc.peek(pos);
    if (next.cls != CharClass::kLetter) break;
    std::size_t after = pos + next.len;
    if (!sc.has(after) || sc.peek(after).cp != '.') break;
  }
  if (pairs < 2) return 0;
  if (sc.has(pos)) {
    CharClass c = sc.peek(pos).cls;
    if (c == CharClass::kLetter || c == CharClass::kDigit || c == CharClass::kExtend) return 0;
  }
  bytes = pos - at;
  return cps;
}

}  // namespace

TokenizedText tokenize(std::string_view utf8) {
  TokenizedText out;
  tokenize(utf8, out);
  return out;
}

void tokenize(std::string_view utf8, TokenizedText& out) {
  if (utf8.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(ErrorCode::kTooLarge, "text of " + std::to_string(utf8.size()) +
                                          " bytes is too large to tokenize (offsets are 32-bit; limit 4 GiB)");
  }
  out.source = utf8;
  out.tokens.clear();
  // English prose averages 5-6 bytes per token, dense data (WordNet) ~4: one
  // allocation covers nearly every input, and untouched capacity costs no RAM.
  // Capped (16M tokens, 640 MB of address space) so huge inputs grow instead.
  out.tokens.reserve(std::min<std::size_t>(utf8.size() / 4 + 16, std::size_t{1} << 24));
  const Scanner sc(utf8);
  const std::size_t n = utf8.size();
  std::size_t i = 0;
  std::uint32_t cp = 0;

  auto emit = [&](std::size_t b, std::size_t e, std::uint32_t cb, std::uint32_t ce, TokenKind k) {
    out.tokens.push_back(
        Token{utf8.substr(b, e - b), static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), cb, ce, k, false});
  };

  while (i < n) {
    Peek p = sc.peek(i);
    if (p.cls == CharClass::kGap) {
      i += p.len;
      ++cp;
      continue;
    }
    const std::size_t start = i;
    const std::uint32_t cp_start = cp;
    TokenKind kind;

    if (p.cls == CharClass::kLetter || p.cls == CharClass::kDigit) {
      kind = p.cls == CharClass::kLetter ? TokenKind::kWord : TokenKind::kNumber;
      std::size_t acro_bytes = 0;
      if (kind == TokenKind::kWord) {
        if (std::size_t acro_cps = acronym_length(sc, i, acro_bytes)) {
          emit(i, i + acro_bytes, cp, cp + static_cast<std::uint32_t>(acro_cps), kind);
          i += acro_bytes;
          cp += static_cast<std::uint32_t>(acro_cps);
          continue;
        }
      }
      bool last_digit = p.cls == CharClass::kDigit;
      i += p.len;
      ++cp;
      while (i < n) {
        Peek q = sc.peek(i);
        if (q.cls == CharClass::kLetter || q.cls == CharClass::kDigit) {
          last_digit = q.cls == CharClass::kDigit;
        } else if (q.cls == CharClass::kPunct) {
          // A joiner is taken together with the code point after it, or not at all.
          const std::size_t j = i + q.len;
          if (!sc.has(j)) break;
          Peek r = sc.peek(j);
          const bool joins = (text::is_apostrophe(q.cp) && r.cls == CharClass::kLetter) ||
                             (text::is_hyphen(q.cp) && (r.cls == CharClass::kLetter ||
                                                        (r.cls == CharClass::kDigit && kind == TokenKind::kWord))) ||
                             ((q.cp == ',' || q.cp == '.' || q.cp == ':') && last_digit && r.cls == CharClass::kDigit);
          if (!joins) break;
          last_digit = r.cls == CharClass::kDigit;
          i = j + r.len;
          cp += 2;
          continue;
        } else if (q.cls != CharClass::kExtend) {
          break;
        }
        i += q.len;
        ++cp;
      }
    } else if (p.cls == CharClass::kPunct) {
      kind = TokenKind::kPunct;
      i += p.len;
      ++cp;
      while (i < n) {
        Peek q = sc.peek(i);
        if (q.cls != CharClass::kExtend) break;
        i += q.len;
        ++cp;
      }
    } else {  // kOther or a mark with nothing to attach to
      kind = TokenKind::kOther;
      i += p.len;
      ++cp;
      while (i < n) {
        Peek q = sc.peek(i);
        if (q.cls != CharClass::kOther && q.cls != CharClass::kExtend) break;
        i += q.len;
        ++cp;
      }
    }
    emit(start, i, cp_start, cp, kind);
  }
  text::mark_sentences(out);
}

std::string reassemble(const TokenizedText& text) {
  std::string out;
  out.reserve(text.source.size());
  std::size_t prev_end = 0;
  for (const Token& t : text.tokens) {
    out.append(text.source.substr(prev_end, t.byte_begin - prev_end));  // the gap
    out.append(t.text);
    prev_end = t.byte_end;
  }
  out.append(text.source.substr(prev_end));
  return out;
}

}  // namespace unspin
