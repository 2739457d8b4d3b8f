#include "decode/document.h"

#include <algorithm>

namespace unspin::decode {
namespace {

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Splits a possessive "'s" off a folded word (apostrophes already straight).
std::pair<std::string, std::string> split_possessive(const std::string& lower) {
  if (lower.size() > 3 && lower.ends_with("'s")) return {lower.substr(0, lower.size() - 2), "'s"};
  return {lower, ""};
}

// The LM and the lexicon spell "don't" with a straight apostrophe; news text
// often has the curly one (U+2019). Only the lookup form changes: the output
// keeps the input's bytes outside edits.
std::string normalize_apostrophes(std::string word) {
  for (std::size_t at = word.find("\xE2\x80\x99"); at != std::string::npos; at = word.find("\xE2\x80\x99", at)) {
    word.replace(at, 3, "'");
  }
  return word;
}

}  // namespace

std::vector<Sentence> build_sentences(const TokenizedText& text, const LanguageModel& lm) {
  std::vector<Sentence> sentences;
  const auto& tokens = text.tokens;
  for (std::uint32_t i = 0; i < tokens.size(); ++i) {
    const Token& tok = tokens[i];
    if (sentences.empty() || tok.sentence_start) sentences.emplace_back();
    if (tok.kind != TokenKind::kWord) continue;
    // A run of text without sentence ends (no punctuation, lower case after
    // every full stop, one line of a crawl) is cut into windows: every stage
    // after this one is linear in the number of sentences but not always in
    // a sentence's length (issue 11: a 1.2 MB one-sentence text took 77 s).
    if (sentences.back().words.size() >= kMaxSentenceWords) sentences.emplace_back();
    Sentence& sentence = sentences.back();
    WordItem item;
    item.token = i;
    const std::string written = fold_case(tok.text);
    std::string folded = normalize_apostrophes(written);
    std::tie(item.lower, item.suffix) = split_possessive(folded);
    // The suffix goes back into the output: keep the apostrophe as written.
    if (!item.suffix.empty() && written.ends_with("\xE2\x80\x99s")) item.suffix = "\xE2\x80\x99s";
    item.lm_id = lm.vocab_id(folded);
    const Casing casing = casing_of(tok.text);
    const bool acronym_like =
        casing == Casing::kMixed || (casing == Casing::kUpper && tok.text.size() <= 5 && tok.text.size() > 1);
    item.name_like = casing == Casing::kCapitalized && !sentence.words.empty();
    item.eligible = !acronym_like && !has_digit(tok.text);
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
