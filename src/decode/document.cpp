#include "decode/document.h"

#include <algorithm>

namespace unspin::decode {
namespace {

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Splits a possessive "'s" (straight or curly apostrophe) off a folded word.
std::pair<std::string, std::string> split_possessive(const std::string& lower) {
  for (std::string_view suffix : {std::string_view("'s"), std::string_view("\xE2\x80\x99s")}) {
    if (lower.size() > suffix.size() + 1 && lower.ends_with(suffix)) {
      return {lower.substr(0, lower.size() - suffix.size()), std::string(suffix)};
    }
  }
  return {lower, ""};
}

}  // namespace

std::vector<Sentence> build_sentences(const TokenizedText& text, const LanguageModel& lm) {
  std::vector<Sentence> sentences;
  const auto& tokens = text.tokens;
  for (std::uint32_t i = 0; i < tokens.size(); ++i) {
    const Token& tok = tokens[i];
    if (sentences.empty() || tok.sentence_start) sentences.emplace_back();
    if (tok.kind != TokenKind::kWord) continue;
    Sentence& sentence = sentences.back();
    WordItem item;
    item.token = i;
    std::string folded = fold_case(tok.text);
    std::tie(item.lower, item.suffix) = split_possessive(folded);
    item.lm_id = lm.vocab_id(folded);
    const Casing casing = casing_of(tok.text);
    const bool name_like = casing == Casing::kMixed ||
                           (casing == Casing::kCapitalized && !sentence.words.empty()) ||
                           (casing == Casing::kUpper && tok.text.size() <= 5 && tok.text.size() > 1);
    item.eligible = !name_like && !has_digit(tok.text);
    item.joins_next = false;
    if (!sentence.words.empty()) {
      WordItem& prev = sentence.words.back();
      // Adjacent tokens have only whitespace between them (tokenizer contract).
      prev.joins_next = prev.token + 1 == i && prev.suffix.empty();
    }
    sentence.words.push_back(std::move(item));
  }
  std::erase_if(sentences, [](const Sentence& s) { return s.words.empty(); });
  return sentences;
}

}  // namespace unspin::decode
