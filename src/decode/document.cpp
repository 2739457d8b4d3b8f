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

bool is_hyphen_token(const Token& t) {
  return t.kind == TokenKind::kPunct && (t.text == "-" || t.text == "\xE2\x80\x90" || t.text == "\xE2\x80\x91");
}

// Token i is a word written against a hyphen that joins it to another word
// ("full" and "time" of "full-time" once split_hyphenated_words split it).
bool hyphen_part(const std::vector<Token>& tokens, std::size_t i) {
  const auto joined = [&](std::size_t h) {  // tokens h-1, h, h+1: word, hyphen, word, no gaps
    return h >= 1 && h + 1 < tokens.size() && is_hyphen_token(tokens[h]) && tokens[h - 1].kind == TokenKind::kWord &&
           tokens[h + 1].kind == TokenKind::kWord && tokens[h - 1].byte_end == tokens[h].byte_begin &&
           tokens[h].byte_end == tokens[h + 1].byte_begin;
  };
  return (i + 1 < tokens.size() && joined(i + 1)) || (i >= 1 && joined(i - 1));
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
      // Adjacent tokens have only whitespace between them (tokenizer
      // contract). A part of a hyphenated word (split_hyphenated_words) joins
      // nothing: the engines match only one-word entries inside such words.
      prev.joins_next =
          prev.token + 1 == i && prev.suffix.empty() && !hyphen_part(tokens, i - 1) && !hyphen_part(tokens, i);
    }
    sentence.words.push_back(std::move(item));
  }
  std::erase_if(sentences, [](const Sentence& s) { return s.words.empty(); });
  return sentences;
}

void split_hyphenated_words(TokenizedText& text) {
  // The byte length of a hyphen at `at` in `word`, or 0.
  const auto hyphen_at = [](std::string_view word, std::size_t at) -> std::size_t {
    if (word[at] == '-') return 1;
    if (at + 2 < word.size() && static_cast<unsigned char>(word[at]) == 0xE2 &&
        static_cast<unsigned char>(word[at + 1]) == 0x80 &&
        (static_cast<unsigned char>(word[at + 2]) == 0x90 || static_cast<unsigned char>(word[at + 2]) == 0x91)) {
      return 3;
    }
    return 0;
  };
  std::vector<Token> out;
  out.reserve(text.tokens.size());
  for (const Token& tok : text.tokens) {
    if (tok.kind != TokenKind::kWord || tok.text.find_first_of("-\xE2") == std::string_view::npos) {
      out.push_back(tok);
      continue;
    }
    std::size_t part_begin = 0;
    std::uint32_t cp = tok.cp_begin, part_cp = tok.cp_begin;
    bool first = true;
    const auto emit = [&](std::size_t b, std::size_t e, std::uint32_t cp_b, std::uint32_t cp_e, TokenKind kind) {
      if (e <= b) return;
      out.push_back(Token{tok.text.substr(b, e - b), tok.byte_begin + static_cast<std::uint32_t>(b),
                          tok.byte_begin + static_cast<std::uint32_t>(e), cp_b, cp_e, kind,
                          first && tok.sentence_start});
      first = false;
    };
    for (std::size_t at = 0; at < tok.text.size();) {
      const std::size_t h = hyphen_at(tok.text, at);
      if (h > 0 && at > part_begin) {
        emit(part_begin, at, part_cp, cp, TokenKind::kWord);
        emit(at, at + h, cp, cp + 1, TokenKind::kPunct);
        at += h;
        ++cp;
        part_begin = at;
        part_cp = cp;
        continue;
      }
      at += h > 0 ? h : 1;
      if (h > 0 || (static_cast<unsigned char>(tok.text[at - 1]) & 0xC0) != 0x80) ++cp;
    }
    emit(part_begin, tok.text.size(), part_cp, tok.cp_end, TokenKind::kWord);
  }
  text.tokens = std::move(out);
}

}  // namespace unspin::decode
