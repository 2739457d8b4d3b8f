// Restorer: the public face of decode::Pipeline.
#include "common/parallel.h"
#include "decode/listed_edits.h"
#include "decode/fitted_params.h"
#include "decode/model_parts.h"
#include "listed/matcher.h"
#include "decode/pipeline.h"
#include "decode/score.h"
#include "unspin/restore.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "unspin/text.h"

namespace unspin {

double default_verdict_threshold() { return 0.5; }
double default_verdict_threshold(const Models&) { return 0.5; }

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kClean: return "clean";
    case Verdict::kSpun: return "spun";
    case Verdict::kTooShort: return "too short";
    case Verdict::kNotEnglish: return "not English";
  }
  return "clean";
}

using decode::ByteRanges;

struct Restorer::Impl {
  RestoreOptions options;
  decode::Pipeline pipeline;
  const Models* models;
  // A user's or a learned spinner table is evidence the screen does not
  // see: with one, every document is decoded.
  bool screen_allowed = true;
  std::optional<DocumentResult> screen(std::string_view text, const ByteRanges& paragraphs,
                                       const std::vector<decode::TextWindow>& windows) const;
};

Restorer::Restorer(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(Impl{
          options, decode::Pipeline(models, options, decode::fitted_of(models).decoder), &models,
          std::none_of(models.info.begin(), models.info.end(),
                       [](const ModelInfo& m) { return m.role == "user_lexicon" || m.role == "learned_lexicon"; })})) {}
Restorer::~Restorer() = default;

namespace {

// Tokens [first, last) whose bytes start in [begin, end).
std::pair<std::size_t, std::size_t> token_range(const TokenizedText& t, std::uint32_t begin, std::uint32_t end,
                                                std::size_t from) {
  std::size_t first = from;
  while (first < t.tokens.size() && t.tokens[first].byte_begin < begin) ++first;
  std::size_t last = first;
  while (last < t.tokens.size() && t.tokens[last].byte_begin < end) ++last;
  return {first, last};
}

// Requests the LM memory that EvidenceModel::count() over tokens [first, last)
// will read (LanguageModel::vocab_ids, prefetch_text): the words' lookups
// overlap here instead of each waiting on memory in turn there. A hint only:
// count() computes everything itself, so no result depends on it (its keys
// fold ASCII case as count() does; any other word is passed as written and
// the model folds it).
void warm_lm(const LanguageModel& lm, const TokenizedText& t, std::size_t first, std::size_t last, std::string& folded,
             std::vector<std::string_view>& words, std::vector<WordId>& ids) {
  folded.clear();
  words.clear();
  const LmState bos = lm.begin_sentence();
  const WordId bos_id = bos.length > 0 ? bos.words[0] : kUnknownWord;
  // Sizes first, views after: `folded` must not move under the views.
  std::size_t bytes = 0;
  for (std::size_t i = first; i < last; ++i)
    bytes += t.tokens[i].kind == TokenKind::kWord ? t.tokens[i].text.size() : 0;
  folded.reserve(bytes);
  std::vector<std::uint8_t> starts;
  for (std::size_t i = first; i < last; ++i) {
    const Token& tok = t.tokens[i];
    if (tok.kind != TokenKind::kWord) continue;
    const std::size_t at = folded.size();
    for (char c : tok.text) folded.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    words.emplace_back(folded.data() + at, tok.text.size());
    starts.push_back(tok.sentence_start || i == first);
  }
  ids.resize(words.size());
  lm.vocab_ids(words.data(), words.size(), ids.data());
  // The running text as count() scores it: <s> before every sentence.
  std::vector<WordId> run;
  run.reserve(ids.size() + ids.size() / 8 + 1);
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (starts[k]) run.push_back(bos_id);
    run.push_back(ids[k]);
  }
  lm.prefetch_text(run.data(), run.size());
}

}  // namespace

// The screen (docs/ARCHITECTURE.md, "The document detector"): the detector's
// candidate-free evidence, one LM query per word. When it calls the document
// clean, that is the result: score from the screen, no edits, no review spans.
std::optional<DocumentResult> Restorer::Impl::screen(std::string_view text, const ByteRanges& paragraphs,
                                                     const std::vector<decode::TextWindow>& windows) const {
  const RestoreOptions& o = options;
  const detect::Detector& detector = pipeline.detector();
  // A listed tortured phrase is an edit the screen cannot leave out.
  const listed::Matcher* listed = decode::listed_of(*models);
  if (o.listed_phrases && listed && !listed->find(text).empty()) return std::nullopt;
  const TokenizedText tokens = tokenize(text);
  // The screen is fitted on documents of up to a window's length: a longer
  // document is the sum of its windows' evidence (independent parts of one text).
  detect::EvidenceCounts total;
  std::string warm_folded;
  std::vector<std::string_view> warm_words;
  std::vector<WordId> warm_ids;
  double log_lr = 0;
  std::size_t next = 0;
  // The paragraphs' token ranges. A document of one window and several
  // paragraphs is counted paragraph by paragraph, once: its evidence is the
  // sum of theirs (the counts add; a paragraph starts a new LM context), and
  // each paragraph's own score comes from its counts. Otherwise each window
  // is counted, and a paragraph that gets a score of its own again.
  std::vector<std::pair<std::size_t, std::size_t>> paragraph_tokens;
  for (const auto& [pb, pe] : paragraphs) {
    paragraph_tokens.push_back(token_range(tokens, pb, pe, next));
    next = paragraph_tokens.back().second;
  }
  std::vector<detect::EvidenceCounts> paragraph_counts;
  if (windows.size() == 1 && paragraphs.size() > 1) {
    std::size_t counted_words = 0, window_words = 0;
    for (const Token& t : tokens.tokens) window_words += t.kind == TokenKind::kWord;
    warm_lm(detector.evidence().lm(), tokens, 0, tokens.tokens.size(), warm_folded, warm_words, warm_ids);
    paragraph_counts.resize(paragraphs.size());
    for (std::size_t p = 0; p < paragraphs.size(); ++p) {
      detector.evidence().count(tokens, paragraph_tokens[p].first, paragraph_tokens[p].second, paragraph_counts[p]);
      total.add(paragraph_counts[p]);
      counted_words += paragraph_counts[p].words;
    }
    if (counted_words == window_words) {
      log_lr = detector.screen_log_lr(total);
    } else {  // words outside every paragraph: count the window as it is
      paragraph_counts.clear();
      total = detect::EvidenceCounts{};
    }
  }
  next = 0;
  for (const decode::TextWindow& w : windows) {
    if (!paragraph_counts.empty()) break;
    const auto [first, last] = token_range(tokens, w.byte_begin, w.byte_end, next);
    warm_lm(detector.evidence().lm(), tokens, first, last, warm_folded, warm_words, warm_ids);
    detect::EvidenceCounts counts;
    detector.evidence().count(tokens, first, last, counts);
    log_lr += detector.screen_log_lr(counts);
    total.add(counts);
    next = last;
  }
  // Too short, not English, not prose: the decoder's verdicts, not the screen's.
  Verdict no_verdict = Verdict::kClean;
  if (decode::no_verdict_reason(total.words, total.known, tokens.tokens.size(), o, &no_verdict)) return std::nullopt;
  const double words = total.words;
  const decode::Score score = decode::score_of(log_lr, o.base_rate, pipeline.options().verdict_threshold);
  if (score.probability >= detector.params().screen_pass) return std::nullopt;
  DocumentResult r;
  r.stage = "screen";
  r.calibrated = decode::fitted_of(*models).calibrated;
  r.has_score = true;
  r.score = score.probability;
  r.log_lr = score.log_lr;
  r.verdict = score.verdict;
  r.spun = r.verdict == Verdict::kSpun;
  r.threshold = pipeline.options().verdict_threshold;
  r.base_rate = o.base_rate;
  r.review_threshold = o.review_threshold;
  r.tokens = total.words;
  r.english_share = total.known / words;
  r.restored = std::string(text);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "no sign of spinning: %u of %u pairs of common words are ones the language model never saw together",
                total.unseen_common, total.common_pairs);
  r.reasons.push_back({"screen", buf, log_lr / std::log(10.0)});
  for (std::size_t p = 0; p < paragraphs.size(); ++p) {
    const auto [pb, pe] = paragraphs[p];
    const auto [first, last] = paragraph_tokens[p];
    ParagraphResult para{pb, pe, 0, 0};
    if (first < last) {
      para.cp_begin = tokens.tokens[first].cp_begin;
      para.cp_end = tokens.tokens[last - 1].cp_end;
    }
    // A paragraph's words are its word tokens (EvidenceCounts::words counts
    // every one; detect/detector_tables_test.cpp holds count() to it): only
    // a paragraph that gets a score of its own is counted with the LM.
    para.words = 0;
    for (std::size_t k = first; k < last; ++k) para.words += tokens.tokens[k].kind == TokenKind::kWord;
    if (paragraphs.size() == 1) {
      para.has_score = true;
      para.score = r.score;
      para.log_lr = r.log_lr;
      para.verdict = r.verdict;
    } else if (para.words >= o.min_words_for_verdict) {
      detect::EvidenceCounts counts;
      if (paragraph_counts.empty()) detector.evidence().count(tokens, first, last, counts);
      const detect::EvidenceCounts& mine = paragraph_counts.empty() ? counts : paragraph_counts[p];
      const decode::Score s = decode::score_of(detector.screen_log_lr(mine), o.base_rate, r.threshold);
      para.has_score = true;
      para.score = s.probability;
      para.log_lr = s.log_lr;
      para.verdict = s.verdict;
    } else {
      para.verdict = Verdict::kTooShort;
    }
    r.paragraphs.push_back(para);
  }
  return r;
}

DocumentResult Restorer::run(std::string_view text) const {
  validate_input(text, impl_->options.max_input_bytes);
  const decode::Pipeline& pipeline = impl_->pipeline;
  const ByteRanges paragraphs = decode::find_paragraphs(text);
  const std::vector<decode::TextWindow> windows = decode::split_windows(text, paragraphs, impl_->options.window_words);
  if (impl_->options.screen && impl_->screen_allowed) {
    if (std::optional<DocumentResult> screened = impl_->screen(text, paragraphs, windows)) {
      // A document the screen passes as clean has no listed hit (those skip
      // the screen), but may hold unlisted tortured phrases: a handful of
      // words move no document score, so paper screening (options.papers)
      // runs the finder on every text.
      if (impl_->options.papers) finish_listed(text, &*screened);
      return std::move(*screened);
    }
  }
  // One window at a time: the decoder's memory is that of one window.
  std::vector<DocumentResult> parts;
  parts.reserve(windows.size());
  for (const decode::TextWindow& w : windows) {
    decode::DocumentState doc = pipeline.prepare(decode::window_text(text, w), &w.paragraphs);
    parts.push_back(pipeline.finish(doc, pipeline.decode({&doc})[0]));
  }
  DocumentResult result = decode::merge_windows(windows, std::move(parts));
  finish_listed(text, &result);
  return result;
}

void Restorer::finish_listed(std::string_view text, DocumentResult* result) const {
  if (impl_->options.listed_phrases) {
    decode::add_listed(text, decode::listed_of(*impl_->models), decode::unlisted_of(*impl_->models),
                       impl_->options.review_threshold, impl_->options.min_confidence, result);
  } else {
    decode::add_edit_review_spans(result);
  }
}

std::vector<BatchResult> Restorer::run_many(const std::vector<std::string_view>& texts, unsigned threads) const {
  std::vector<BatchResult> out(texts.size());
  parallel_for(texts.size(), threads, [&](unsigned, std::size_t i) {
    try {
      out[i].result.emplace(run(texts[i]));
    } catch (const Error& e) {
      out[i].error.emplace(e);
    }
  });
  return out;
}

}  // namespace unspin
