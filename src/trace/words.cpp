#include "trace/words.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <unordered_set>

#include "common/checksum.h"

namespace unspin::trace {
namespace {

// Closed-class words: articles, pronouns, prepositions, conjunctions,
// auxiliaries and a few adverbs of degree. Spinners of the thesaurus kind
// leave them alone; their order is the skeleton fingerprints are made of.
const std::unordered_set<std::string_view>& function_words() {
  static const std::unordered_set<std::string_view> words = {
      "a",      "an",      "the",     "this",   "that",    "these",  "those",   "some",  "any",      "no",     "every",
      "each",   "all",     "both",    "either", "neither", "i",      "me",      "my",    "mine",     "we",     "us",
      "our",    "ours",    "you",     "your",   "yours",   "he",     "him",     "his",   "she",      "her",    "hers",
      "it",     "its",     "they",    "them",   "their",   "theirs", "who",     "whom",  "whose",    "which",  "what",
      "where",  "when",    "why",     "how",    "there",   "here",   "of",      "in",    "on",       "at",     "by",
      "for",    "with",    "from",    "to",     "into",    "onto",   "upon",    "about", "over",     "under",  "after",
      "before", "between", "through", "during", "without", "within", "against", "among", "than",     "as",     "and",
      "or",     "but",     "nor",     "so",     "yet",     "if",     "because", "while", "although", "though", "unless",
      "until",  "since",   "whether", "not",    "be",      "is",     "am",      "are",   "was",      "were",   "been",
      "being",  "have",    "has",     "had",    "having",  "do",     "does",    "did",   "will",     "would",  "shall",
      "should", "can",     "could",   "may",    "might",   "must",   "very",    "also",  "only",     "just",   "then",
      "too",    "more",    "most",    "such",   "other",   "one",    "up",      "out",   "down",     "off",    "again",
      "once",   "it's",    "don't",   "didn't", "isn't",   "wasn't", "can't",   "won't"};
  return words;
}

bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

// First letter uppercase (ASCII or a non-ASCII lead byte, which we do not
// classify: such words count as content).
bool starts_upper(std::string_view w) { return !w.empty() && is_upper_ascii(w[0]); }

bool all_caps(std::string_view w) {
  int letters = 0;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    if (is_upper_ascii(c)) ++letters;
  }
  return letters >= 2;
}

}  // namespace

std::string fold_word(std::string_view word) {
  std::string folded = fold_case(word);
  // U+2019 (E2 80 99) -> '
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (i + 2 < folded.size() && static_cast<unsigned char>(folded[i]) == 0xE2 &&
        static_cast<unsigned char>(folded[i + 1]) == 0x80 && static_cast<unsigned char>(folded[i + 2]) == 0x99) {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(folded[i]);
    }
  }
  return out;
}

bool is_function_word(std::string_view folded) { return function_words().count(folded) != 0; }

std::vector<Word> document_words(const TokenizedText& text) {
  std::vector<Word> words;
  words.reserve(text.tokens.size());
  bool opens_sentence = true;
  for (std::uint32_t i = 0; i < text.tokens.size(); ++i) {
    const Token& t = text.tokens[i];
    if (t.sentence_start) opens_sentence = true;
    if (t.kind == TokenKind::kPunct) {
      words.push_back(Word{i, fnv1a64(t.text, 0x50554e43ull), WordClass::kPunct});
      continue;
    }
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kNumber) continue;
    const std::string folded = fold_word(t.text);
    WordClass cls = WordClass::kContent;
    if (t.kind == TokenKind::kNumber) {
      cls = WordClass::kAnchor;
    } else if (is_function_word(folded)) {
      cls = WordClass::kFunction;
    } else if (all_caps(t.text) || (!opens_sentence && starts_upper(t.text))) {
      cls = WordClass::kAnchor;
    }
    words.push_back(Word{i, fnv1a64(folded), cls});
    opens_sentence = false;
  }
  return words;
}

std::optional<std::string> table_phrase(std::string_view folded) {
  const auto word_char = [](unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; };
  // Punctuation and breaks at the edges are the alignment's, not the entry's.
  std::size_t begin = 0, end = folded.size();
  while (begin < end && !word_char(static_cast<unsigned char>(folded[begin]))) ++begin;
  while (end > begin && !word_char(static_cast<unsigned char>(folded[end - 1]))) --end;
  std::string out;
  int newlines = 0;
  bool letter = false, pending_space = false;
  for (std::size_t i = begin; i < end; ++i) {
    const auto c = static_cast<unsigned char>(folded[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (c == '\n' && ++newlines > 1) return std::nullopt;  // a paragraph break inside: debris
      pending_space = true;
      continue;
    }
    newlines = 0;
    if (!word_char(c)) return std::nullopt;  // punctuation inside: no spinner's table entry
    letter = letter || std::isalpha(c) || c >= 0x80;
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(c);
  }
  if (!letter) return std::nullopt;
  return out;
}

}  // namespace unspin::trace
