#include "lexicon/normalize.h"

#include <algorithm>
#include <array>

#include "unspin/text.h"

namespace unspin::lexicon {
namespace {

bool ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Sorted for binary search.
constexpr auto kFunctionWords = std::to_array<std::string_view>({
    "a",       "about",  "above",     "after",  "against", "all",      "along",    "although",   "am",
    "among",   "an",     "and",       "any",    "are",     "around",   "as",       "at",         "be",
    "because", "been",   "before",    "behind", "being",   "below",    "beside",   "between",    "beyond",
    "both",    "but",    "by",        "can",    "could",   "did",      "do",       "does",       "doing",
    "done",    "down",   "during",    "each",   "either",  "every",    "for",      "from",       "had",
    "has",     "have",   "having",    "he",     "her",     "hers",     "herself",  "him",        "himself",
    "his",     "how",    "i",         "if",     "in",      "inside",   "into",     "is",         "it",
    "its",     "itself", "may",       "me",     "might",   "mine",     "must",     "my",         "myself",
    "neither", "no",     "nor",       "not",    "of",      "off",      "on",       "onto",       "or",
    "our",     "ours",   "ourselves", "out",    "over",    "shall",    "she",      "should",     "since",
    "so",      "some",   "than",      "that",   "the",     "their",    "theirs",   "them",       "themselves",
    "then",    "there",  "these",     "they",   "this",    "those",    "though",   "through",    "till",
    "to",      "toward", "towards",   "under",  "unless",  "until",    "unto",     "up",         "upon",
    "us",      "was",    "we",        "were",   "what",    "whatever", "when",     "where",      "whether",
    "which",   "while",  "who",       "whom",   "whose",   "why",      "will",     "with",       "within",
    "without", "would",  "yet",       "you",    "your",    "yours",    "yourself", "yourselves", "o",
    "ah",      "oh",
});

constexpr auto kNumberWords = std::to_array<std::string_view>({
    "billion", "dozen", "eight",    "eighteen", "eighty",    "eleven",  "fifteen",  "fifty",   "first",
    "five",    "forty", "four",     "fourteen", "fourth",    "hundred", "million",  "nine",    "nineteen",
    "ninety",  "one",   "second",   "seven",    "seventeen", "seventy", "six",      "sixteen", "sixty",
    "ten",     "third", "thirteen", "thirty",   "thousand",  "three",   "trillion", "twelve",  "twenty",
    "two",     "zero",  "half",     "quarter",  "twice",     "triple",  "double",   "single",
});

template <std::size_t N>
bool in_sorted(const std::array<std::string_view, N>& list, std::string_view w) {
  static const std::array<std::string_view, N> sorted = [&] {
    auto copy = list;
    std::sort(copy.begin(), copy.end());
    return copy;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), w);
}

}  // namespace

std::string normalize_phrase(std::string_view text) {
  std::string folded = fold_case(text);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (char c : folded) {
    if (c == '_' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

int fold_ascii(std::string_view text, char* buf, int cap) noexcept {
  if (text.size() > static_cast<std::size_t>(cap)) return -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 || c == '_' || c == '\t' || c == '\n' || c == '\r') return -1;
    if (c == ' ' && (i == 0 || i + 1 == text.size() || text[i + 1] == ' ')) return -1;
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
  }
  return static_cast<int>(text.size());
}

int word_count(std::string_view phrase) noexcept {
  if (phrase.empty()) return 0;
  return 1 + static_cast<int>(std::count(phrase.begin(), phrase.end(), ' '));
}

bool is_usable_phrase(std::string_view phrase) noexcept {
  if (phrase.size() < 2 || phrase.size() > 80) return false;
  int words = 1;
  unsigned char prev = ' ';
  int letters = 0;
  for (unsigned char c : phrase) {
    if (c >= '0' && c <= '9') return false;
    if (c == ' ') {
      if (prev == ' ') return false;
      ++words;
    } else if (c == '-' || c == '\'' || c == '.') {
      if (prev == ' ' && c != '.') return false;
    } else if (ascii_alpha(c) || c >= 0x80) {
      ++letters;
    } else {
      return false;
    }
    prev = c;
  }
  if (prev == ' ' || prev == '-') return false;
  return words <= kMaxPhraseWords && letters >= 2;
}

bool has_upper(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_function_word(std::string_view phrase) noexcept { return in_sorted(kFunctionWords, phrase); }

bool is_number_word(std::string_view phrase) noexcept { return in_sorted(kNumberWords, phrase); }

}  // namespace unspin::lexicon
