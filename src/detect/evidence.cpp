// The facts computed here are what the fitted word model and detector read:
// a change of their meaning must bump fitted::kFeatureVersion
// (fitted/bundle_format.h) and refit the bundle (`unspin-eval fit`).
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
  for (std::size_t i = 0; i < mixture.size(); ++i) mixture[i] += o.mixture[i];
  word_log_lr += o.word_log_lr;
  for (std::size_t i = 0; i < top_counts.size(); ++i) {
    top_counts[i] = static_cast<std::uint16_t>(std::min<int>(65535, top_counts[i] + o.top_counts[i]));
  }
}

EvidenceModel::LexicalFacts EvidenceModel::lexical_facts(std::string_view key, float unigram,
                                                         std::vector<Candidate>& scratch) const {
  LexicalFacts f;
  if (!lexicon_ || key.empty() || !lexicon_->contains(key)) return f;
  f.lexicon = 1;
  scratch.clear();
  lexicon_->lookup(key, &scratch);
  f.candidates = std::log1p(static_cast<float>(scratch.size()));
  for (const Candidate& c : scratch) {
    if (c.original.find(' ') != std::string_view::npos) continue;
    const WordId o = lm_.vocab_id(c.original);
    if (o == kUnknownWord || o >= unigram_.size()) continue;
    f.synonym_gain = std::max(f.synonym_gain, unigram_[o] - unigram);
  }
  return f;
}

EvidenceModel::EvidenceModel(const LanguageModel& lm, const Lexicon* lexicon, const WordModel& words)
    : lm_(lm), lexicon_(lexicon), words_(words) {
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
  // What the lexicon says of every word the LM knows, once (the unigrams first).
  lexical_.assign(n, LexicalFacts{});
  if (lexicon_) {
    std::vector<Candidate> scratch;
    for (WordId id = 1; id < n; ++id) lexical_[id] = lexical_facts(lm.word(id), unigram_[id], scratch);
  }
}

namespace {

bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }

// A scored word whose facts wait for the next scored word of its sentence.
struct PendingWord {
  float x[kWordFeatures];
  std::size_t position;  // in `positions`, or SIZE_MAX
};

constexpr std::size_t kNoPosition = static_cast<std::size_t>(-1);

}  // namespace

void EvidenceModel::count(const TokenizedText& text, std::size_t begin, std::size_t end, EvidenceCounts& c,
                          std::vector<UnusualPair>* unusual, std::vector<ScoredWord>* positions) const {
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
  std::vector<Candidate> scratch;
  // The word model sees a scored word with its neighbours: the previous
  // scored word of the sentence is `pending` until the next one is known.
  PendingWord pending{};
  bool has_pending = false;
  // Finished rows (quantized facts) wait in `rows` and are scored together
  // at the end (WordModel::log_lr_batch), with their places in `positions`.
  std::vector<float> rows;
  std::vector<std::size_t> row_positions;
  rows.reserve(static_cast<std::size_t>(end - begin) * kWordFeatures);
  const auto finish = [&](const float* next) {
    float* x = pending.x;
    if (next) {
      x[kFeatNextGain] = next[kFeatGain];
      x[kFeatNextMatched] = next[kFeatMatched];
      x[kFeatNextLog10P] = next[kFeatLog10P];
      x[kFeatNextSynonymGain] = next[kFeatSynonymGain];
      x[kFeatNextUnigram] = next[kFeatUnigram];
    } else {
      x[kFeatNextGain] = 0;
      x[kFeatNextMatched] = 3;
      x[kFeatNextLog10P] = 0;
      x[kFeatNextSynonymGain] = kNoSynonym;
      x[kFeatNextUnigram] = 0;
    }
    quantize_word_features(x);
    rows.insert(rows.end(), x, x + kWordFeatures);
    row_positions.push_back(pending.position);
    has_pending = false;
  };
  // A new scored word: the pending one learns its neighbour, then waits no more.
  const auto score_word = [&](const float* own, bool sentence_start, std::size_t position) {
    PendingWord next{};
    std::copy(own, own + kWordFeatures, next.x);
    next.position = position;
    const bool neighbours = has_pending && !sentence_start;
    next.x[kFeatPreviousUnigram] = neighbours ? pending.x[kFeatUnigram] : 0.0f;
    next.x[kFeatPreviousSynonymGain] = neighbours ? pending.x[kFeatSynonymGain] : kNoSynonym;
    if (has_pending) finish(neighbours ? own : nullptr);
    pending = next;
    has_pending = true;
  };
  // A scored word's own facts (an unknown word: id kUnknownWord, log10 P 0).
  const auto word = [&](std::size_t i, WordId id, float lp, float uni, int matched, bool name,
                        const LexicalFacts& facts, bool sentence_start) {
    float own[kWordFeatures] = {};
    own[kFeatLog10P] = lp;
    own[kFeatUnigram] = uni;
    own[kFeatGain] = lp - uni;
    own[kFeatMatched] = static_cast<float>(matched);
    own[kFeatName] = name ? 1.0f : 0.0f;
    own[kFeatLexicon] = facts.lexicon;
    own[kFeatSynonymGain] = facts.synonym_gain;
    own[kFeatCandidates] = facts.candidates;
    own[kFeatSentenceStart] = text.tokens[i].sentence_start ? 1.0f : 0.0f;
    std::size_t position = kNoPosition;
    if (positions) {
      position = positions->size();
      positions->push_back({static_cast<std::uint32_t>(i), static_cast<std::uint8_t>(matched), name, id, lp, 0.0f});
    }
    score_word(own, sentence_start, position);
  };
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
    const bool sentence_start = tok.sentence_start || i == begin;
    const WordId id = lm.vocab_id(key);
    if (id == kUnknownWord) {
      // A lowercase word the LM does not know is scored (a spinner's rare
      // synonym, a typo); an unknown name is not, and breaks no neighbourhood.
      if (!has_upper) {
        ++c.oov_lower;
        const float unknown = lm.unknown_log10();
        word(i, kUnknownWord, 0.0f, unknown, 0, false, lexical_facts(fold_case(key), unknown, scratch), sentence_start);
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
    word(i, id, lp, uni, matched, !plain_case, lexical_[id], sentence_start);
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
  if (has_pending) finish(nullptr);
  const std::size_t n = row_positions.size();
  std::vector<double> log_lr(n);
  words_.log_lr_batch(rows.data(), n, log_lr.data());
  for (std::size_t r = 0; r < n; ++r) {
    const double lr = std::exp(log_lr[r]);
    c.word_log_lr += log_lr[r];
    for (std::size_t k = 0; k < kMixtureTerms; ++k)
      c.mixture[k] += std::log(1 - kMixtureRates[k] + kMixtureRates[k] * lr);
    if (positions && row_positions[r] != kNoPosition)
      (*positions)[row_positions[r]].log_lr = static_cast<float>(log_lr[r]);
  }
}

}  // namespace unspin::detect
