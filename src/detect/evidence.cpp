#include "detect/evidence.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace unspin::detect {

void EvidenceCounts::add(const EvidenceCounts& o) {
  words += o.words;
  known += o.known;
  oov_lower += o.oov_lower;
  pairs += o.pairs;
  unseen_pairs += o.unseen_pairs;
  for (std::size_t i = 0; i < pairs_by_class.size(); ++i) {
    pairs_by_class[i] += o.pairs_by_class[i];
    unseen_by_class[i] += o.unseen_by_class[i];
  }
  common_pairs += o.common_pairs;
  unseen_common += o.unseen_common;
  common_triples += o.common_triples;
  unseen_triples += o.unseen_triples;
  low_gain += o.low_gain;
  tail += o.tail;
  rare += o.rare;
  sum_log10 += o.sum_log10;
  for (std::size_t i = 0; i < bins.size(); ++i) bins[i] += o.bins[i];
  for (std::size_t i = 0; i < top_counts.size(); ++i) {
    top_counts[i] = static_cast<std::uint16_t>(std::min<int>(65535, top_counts[i] + o.top_counts[i]));
  }
}

EvidenceModel::EvidenceModel(const LanguageModel& lm) : lm_(lm) {
  const std::size_t n = lm.vocab_size();
  classes_.assign(n, 0);
  unigram_.assign(n, lm.unknown_log10());
  top_rank_.assign(n, -1);
  std::vector<WordId> order;
  order.reserve(n);
  LmState out;
  for (WordId id = 1; id < n; ++id) {
    const float p = lm.score(lm.null_context(), id, &out);
    unigram_[id] = p;
    classes_[id] = static_cast<std::uint8_t>(std::clamp(static_cast<int>(std::floor(-p)), 1, kClasses - 1));
    const std::string_view w = lm.word(id);
    // The top words are the writer's words, not the LM's sentence markers.
    if (!w.empty() && w.front() != '<') order.push_back(id);
  }
  const std::size_t top = std::min(kTopWords, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](WordId a, WordId b) { return unigram_[a] > unigram_[b]; });
  for (std::size_t r = 0; r < top; ++r) {
    top_rank_[order[r]] = static_cast<std::int16_t>(r);
    top_log10_.push_back(unigram_[order[r]]);
  }
}

namespace {

bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

int gain_bin(float gain) {
  static constexpr float kEdges[kGainBins - 1] = {-2.0f, -1.5f, -1.0f, -0.5f, -0.25f, 0.0f, 0.25f, 0.5f, 1.0f, 1.5f, 2.5f};
  int b = 0;
  while (b < kGainBins - 1 && gain >= kEdges[b]) ++b;
  return b;
}

// Frequency groups: log10 P(w) >= -3, -4, -5, -6, below (0 for no word before).
int freq_group(int cls) { return std::clamp(cls - 2, 0, kFreqGroups - 1); }

int word_bin(float gain, int matched, int cls, int prev_cls, bool name) {
  const int order = std::clamp(matched, 1, 3) - 1;
  return (((gain_bin(gain) * 3 + order) * kFreqGroups + freq_group(cls)) * kFreqGroups + freq_group(prev_cls)) * 2 +
         (name ? 1 : 0);
}

}  // namespace

void EvidenceModel::count(const TokenizedText& text, std::size_t begin, std::size_t end, EvidenceCounts& c,
                          std::vector<UnusualPair>* unusual,
                          std::vector<std::pair<std::uint32_t, std::uint16_t>>* positions) const {
  const LanguageModel& lm = lm_;
  LmState state = lm.begin_sentence();
  // The last two known words of this sentence (token index, id, "plain" = a
  // common lowercase word), or none after a sentence start or an unknown word.
  struct Prev {
    std::uint32_t token = 0;
    WordId id = kUnknownWord;
    bool plain = false;
    bool seen_pair = false;  // its bigram with the word before it is in the LM
  };
  Prev p1, p2;
  bool sentence_has_word = false;
  char buffer[64];
  std::string slow;
  for (std::size_t i = begin; i < end; ++i) {
    const Token& tok = text.tokens[i];
    if (tok.sentence_start || i == begin) {
      state = lm.begin_sentence();
      p1 = p2 = Prev{};
      sentence_has_word = false;
    }
    if (tok.kind != TokenKind::kWord) continue;
    ++c.words;
    const std::string_view w = tok.text;
    // Fold case: ASCII in place (the fast path), anything else through the
    // model's own folding; the LM spells apostrophes straight.
    std::string_view key;
    bool ascii = w.size() <= sizeof buffer;
    bool has_upper = false, all_upper = true;
    if (ascii) {
      for (std::size_t k = 0; k < w.size(); ++k) {
        const char ch = w[k];
        if (static_cast<unsigned char>(ch) >= 0x80) {
          ascii = false;
          break;
        }
        const bool up = is_upper_ascii(ch);
        has_upper |= up;
        all_upper &= up || !((ch >= 'a' && ch <= 'z'));
        buffer[k] = up ? static_cast<char>(ch + 32) : ch;
      }
    }
    if (ascii) {
      key = std::string_view(buffer, w.size());
    } else {
      slow.assign(w);
      for (std::size_t at = slow.find("\xE2\x80\x99"); at != std::string::npos; at = slow.find("\xE2\x80\x99", at)) {
        slow.replace(at, 3, "'");
      }
      key = slow;
      has_upper = std::any_of(w.begin(), w.end(), [](char ch) { return is_upper_ascii(ch); });
      all_upper = false;
    }
    const bool capitalised = has_upper && is_upper_ascii(w.front());
    // A capitalised word inside a sentence is a name or a title; all-caps
    // words are acronyms or shouting. Both are scored, but their pairs are
    // not "plain": clean text joins names freely.
    const bool plain_case = !has_upper || (!sentence_has_word && capitalised && !all_upper);
    sentence_has_word = true;
    const WordId id = lm.vocab_id(key);
    if (id == kUnknownWord) {
      if (!has_upper) {
        ++c.oov_lower;
        ++c.bins[kOovBin];
        if (positions) positions->push_back({static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(kOovBin)});
      }
      state = lm.null_context();
      p1 = p2 = Prev{};
      continue;
    }
    ++c.known;
    int matched = 0;
    LmState next;
    const float lp = lm.score_matched(state, id, &next, &matched);
    const float uni = unigram_[id];
    c.sum_log10 += lp;
    c.tail += lp < -5.0f;
    c.rare += uni < -5.5f;
    c.low_gain += lp - uni < -1.0f;
    const int cls = classes_[id];
    const bool plain = plain_case && cls <= kCommonClass;
    const int bin = word_bin(lp - uni, p1.id == kUnknownWord ? 1 : matched, cls,
                             p1.id == kUnknownWord ? 0 : classes_[p1.id], !plain_case);
    ++c.bins[bin];
    if (positions) positions->push_back({static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(bin)});
    bool seen_pair = false;
    if (p1.id != kUnknownWord) {
      ++c.pairs;
      seen_pair = matched >= 2;
      const int cell = classes_[p1.id] * kClasses + cls;
      ++c.pairs_by_class[cell];
      if (!seen_pair) {
        ++c.unseen_pairs;
        ++c.unseen_by_class[cell];
      }
      if (plain && p1.plain) {
        ++c.common_pairs;
        if (!seen_pair) {
          ++c.unseen_common;
          if (unusual) unusual->push_back({p1.token, static_cast<std::uint32_t>(i)});
        }
        if (p2.id != kUnknownWord && p2.plain && p1.seen_pair && seen_pair) {
          ++c.common_triples;
          c.unseen_triples += matched < 3;
        }
      }
    }
    const std::int16_t rank = top_rank_[id];
    if (rank >= 0 && c.top_counts[rank] < 65535) ++c.top_counts[rank];
    p2 = p1;
    p1 = Prev{static_cast<std::uint32_t>(i), id, plain, seen_pair};
    state = next;
  }
}

}  // namespace unspin::detect
