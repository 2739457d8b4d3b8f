#include "decode/output.h"

#include <algorithm>

namespace unspin::decode {
namespace {

bool starts_with_any(std::string_view word, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return word.starts_with(p); });
}

// Casing of the spun span decides the casing of the original: a capitalised
// first word (sentence start) capitalises the original; ALL CAPS stays.
std::string cased(std::string_view spun_first_word, const std::string& original, bool whole_upper,
                  bool every_word_capitalized) {
  if (whole_upper) return apply_casing(original, Casing::kUpper);
  if (every_word_capitalized) {  // a name spun word by word: "Wall Road" -> "Wall Street"
    std::string out;
    std::size_t start = 0;
    while (start <= original.size()) {
      std::size_t space = original.find(' ', start);
      if (space == std::string::npos) space = original.size();
      if (!out.empty()) out += ' ';
      out += apply_casing(original.substr(start, space - start), Casing::kCapitalized);
      start = space + 1;
    }
    return out;
  }
  if (casing_of(spun_first_word) == Casing::kCapitalized) return apply_casing(original, Casing::kCapitalized);
  return original;
}

bool all_capitalized(const TokenizedText& text, std::uint32_t first, std::uint32_t last) {
  int words = 0;
  for (std::uint32_t t = first; t <= last; ++t) {
    if (text.tokens[t].kind != TokenKind::kWord) continue;
    if (casing_of(text.tokens[t].text) != Casing::kCapitalized) return false;
    ++words;
  }
  return words >= 2;
}

bool all_upper(const TokenizedText& text, std::uint32_t first, std::uint32_t last) {
  bool any = false;
  for (std::uint32_t t = first; t <= last; ++t) {
    if (text.tokens[t].kind != TokenKind::kWord) continue;
    if (casing_of(text.tokens[t].text) != Casing::kUpper || text.tokens[t].text.size() < 2) return false;
    any = true;
  }
  return any;
}

}  // namespace

std::string_view indefinite_article_for(std::string_view next_word) {
  const std::string w = fold_case(next_word);
  if (w.empty()) return "a";
  if (starts_with_any(w, {"hour", "honest", "honor", "honour", "heir", "8", "11", "18"})) return "an";
  if (starts_with_any(w, {"uni", "use", "usu", "uti", "eu", "one", "once", "ure", "uro"})) return "a";
  return std::string_view("aeiou").find(w[0]) != std::string_view::npos ? "an" : "a";
}

void apply_edits(const TokenizedText& text, const std::vector<PlannedEdit>& planned, DocumentResult* result) {
  const std::string_view src = text.source;
  std::string out;
  out.reserve(src.size() + 64);
  std::size_t copied = 0;  // bytes of src already emitted
  for (const PlannedEdit& p : planned) {
    const Token& first = text.tokens[p.first_token];
    const Token& last = text.tokens[p.last_token];
    std::string replacement = cased(first.text, p.original, all_upper(text, p.first_token, p.last_token),
                                    all_capitalized(text, p.first_token, p.last_token));

    // a/an agreement: fix an article directly before the edit, as its own edit.
    if (p.first_token > 0) {
      const Token& prev = text.tokens[p.first_token - 1];
      const std::string prev_folded = fold_case(prev.text);
      if (prev.kind == TokenKind::kWord && (prev_folded == "a" || prev_folded == "an") && prev.byte_begin >= copied) {
        const std::string_view want = indefinite_article_for(p.original);
        if (want != prev_folded) {
          std::string fixed = apply_casing(want, casing_of(prev.text));
          out.append(src.substr(copied, prev.byte_begin - copied));
          out += fixed;
          copied = prev.byte_end;
          result->edits.push_back({prev.byte_begin, prev.byte_end, prev.cp_begin, prev.cp_end, std::string(prev.text),
                                   fixed, p.confidence, "UNSPIN_ARTICLE"});
        }
      }
    }
    out.append(src.substr(copied, first.byte_begin - copied));
    out += replacement;
    copied = last.byte_end;
    result->edits.push_back({first.byte_begin, last.byte_end, first.cp_begin, last.cp_end,
                             std::string(src.substr(first.byte_begin, last.byte_end - first.byte_begin)), replacement,
                             p.confidence, p.rule});
  }
  out.append(src.substr(copied));
  result->restored = std::move(out);
}

}  // namespace unspin::decode
