#include "decode/pipeline.h"
#include "decode/score.h"
#include "decode/edit_calibration.h"

#include <algorithm>
#include <unordered_map>
#include <memory>
#include <cmath>
#include <cstdio>
#include <map>

#include "decode/fitted_params.h"
#include "decode/model_parts.h"
#include "decode/output.h"
#include "decode/site_learner.h"
#include "unspin/text.h"

namespace unspin::decode {
namespace {

std::string fold_phrase(std::string_view phrase) {
  std::string out;
  std::size_t start = 0;
  while (start < phrase.size()) {
    std::size_t end = phrase.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = phrase.size();
    if (end > start) {
      if (!out.empty()) out += ' ';
      out += fold_case(phrase.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

// Paragraphs (docs/SCHEMA.md §5): blank-line separated; without blank lines,
// one per line when lines are long (one paragraph per line is a common
// export format), else the whole text.
std::vector<std::pair<std::uint32_t, std::uint32_t>> find_paragraphs(std::string_view text) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  auto add = [&](std::size_t b, std::size_t e) {
    while (b < e && (text[b] == ' ' || text[b] == '\n' || text[b] == '\r' || text[b] == '\t')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\n' || text[e - 1] == '\r' || text[e - 1] == '\t')) --e;
    if (e > b) out.emplace_back(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e));
  };
  bool blank_lines = false;
  std::size_t lines = 0, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n') continue;
    ++lines;
    const std::string_view line = text.substr(start, i - start);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos && i < text.size()) blank_lines = true;
    start = i + 1;
  }
  const bool long_lines = lines > 1 && text.size() / lines >= 200;
  std::size_t para_start = 0;
  start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n') continue;
    const std::string_view line = text.substr(start, i - start);
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    if ((blank_lines && blank) || (!blank_lines && long_lines)) {
      add(para_start, blank_lines ? start : i);
      para_start = i + 1;
    }
    start = i + 1;
  }
  add(para_start, text.size());
  return out;
}

double interpolate_curve(const std::vector<std::pair<double, double>>& knots, double x) {
  if (knots.empty()) return x;
  if (x <= knots.front().first) return knots.front().second;
  if (x >= knots.back().first) return knots.back().second;
  const auto hi = std::lower_bound(knots.begin(), knots.end(), x,
                                   [](const std::pair<double, double>& k, double v) { return k.first < v; });
  const auto lo = hi - 1;
  const double span = hi->first - lo->first;
  const double t = span > 0 ? (x - lo->first) / span : 0.0;
  return lo->second + t * (hi->second - lo->second);
}

std::vector<Decision> select_non_overlapping(std::vector<Decision> decisions) {
  std::stable_sort(decisions.begin(), decisions.end(),
                   [](const Decision& a, const Decision& b) { return a.confidence > b.confidence; });
  std::map<std::size_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> taken;
  std::vector<Decision> kept;
  for (Decision& d : decisions) {
    auto& spans = taken[d.sentence];
    const bool overlaps = std::any_of(spans.begin(), spans.end(), [&](const auto& span) {
      return d.arc->begin < span.second && span.first < d.arc->end;
    });
    if (overlaps) continue;
    spans.emplace_back(d.arc->begin, d.arc->end);
    kept.push_back(std::move(d));
  }
  std::sort(kept.begin(), kept.end(), [](const Decision& a, const Decision& b) { return a.byte_begin < b.byte_begin; });
  return kept;
}

namespace {

// The restored words of a sentence: for each position, the edit covering it
// (index into `edits`), or -1.
struct Restoration {
  std::vector<int> cover;
  std::vector<const Arc*> edits;
};

// The restored context of a span [begin, end) (edits overlapping it are
// ignored): the LM state before `begin` with the restored neighbours in place
// (up to two words, from the sentence start state).
LmState restored_left_state(const Sentence& s, const LanguageModel& lm, const Restoration& r, std::uint32_t begin) {
  WordId left[2];
  int n_left = 0;
  for (int p = static_cast<int>(begin) - 1; p >= 0 && n_left < 2;) {
    const int e = r.cover[p];
    if (e >= 0 && r.edits[e]->end <= begin) {
      const auto& ids = r.edits[e]->ids;
      for (auto it = ids.rbegin(); it != ids.rend() && n_left < 2; ++it) left[n_left++] = *it;
      p = static_cast<int>(r.edits[e]->begin) - 1;
    } else {
      left[n_left++] = s.words[p].lm_id;
      --p;
    }
  }
  LmState state = lm.begin_sentence(), next;
  for (int i = n_left - 1; i >= 0; --i) {
    lm.score(state, left[i], &next);
    state = next;
  }
  return state;
}

// The two words after `end` with the restored neighbours in place, then </s>
// when the sentence ends there.
void restored_tail(const Sentence& s, const LanguageModel& lm, const Restoration& r, std::uint32_t end,
                   std::vector<WordId>* tail) {
  tail->clear();
  int n_right = 0;
  std::uint32_t p = end;
  while (p < s.words.size() && n_right < 2) {
    const int e = r.cover[p];
    if (e >= 0 && r.edits[e]->begin >= end) {
      for (WordId id : r.edits[e]->ids) {
        if (n_right >= 2) break;
        tail->push_back(id);
        ++n_right;
      }
      p = r.edits[e]->end;
    } else {
      tail->push_back(s.words[p].lm_id);
      ++n_right;
      ++p;
    }
  }
  if (p >= s.words.size()) tail->push_back(lm.end_sentence_id());
}

}  // namespace

namespace {
// Distinct spun forms (most without candidates: every 1..4-word span the
// lexicon may extend is looked up) and candidates the shared cache holds
// before it stops growing: tens of MB at most.
constexpr std::size_t kMaxCachedForms = 200000;
constexpr std::size_t kMaxCachedCandidates = 300000;
}  // namespace

Pipeline::Pipeline(const Models& models, const RestoreOptions& options, const DecoderParams& params)
    : models_(models),
      options_(options),
      params_(params),
      calibrations_(params_.model, models.learned_pairs, models.learned_pages, options.min_confidence) {
  lattice_options_.max_span_words = options.max_phrase_words;
  // Candidate lists are a pure function of the spun form and this pipeline's
  // lexicons, LM and lattice options: one cache for every thread decoding
  // with it (the service's decode threads, --threads, Python's check_many).
  candidates_ = std::make_shared<CandidateCache>(models_.lexicons, *models_.lm, lattice_options_, kMaxCachedForms,
                                                 kMaxCachedCandidates);
  if (options_.verdict_threshold < 0) options_.verdict_threshold = default_verdict_threshold();
  evidence_ = decode::evidence_of(models_);
  const FittedParams& fitted = fitted_of(models_);
  if (!evidence_) {
    evidence_ = std::make_shared<detect::EvidenceModel>(*models_.lm, models_.lexicons.front(), fitted.word_model);
  }
  detector_ = std::make_shared<detect::Detector>(*evidence_, fitted.detector);
  for (const std::string& a : options.allow) {
    std::string folded = fold_phrase(a);
    if (!folded.empty()) allow_.insert(std::move(folded));
  }
}

double Pipeline::unigram_log10(const std::vector<WordId>& ids) const {
  const LanguageModel& lm = *models_.lm;
  LmState out;
  double total = 0;
  for (WordId id : ids) total += lm.score(lm.null_context(), id, &out);
  return total;
}

double Pipeline::unigram_log10(const Sentence& sentence, std::uint32_t begin, std::uint32_t end) const {
  std::vector<WordId> ids;
  for (std::uint32_t w = begin; w < end; ++w) ids.push_back(sentence.words[w].lm_id);
  return unigram_log10(ids);
}

double Pipeline::log10_prior(const Arc& arc, const Sentence& sentence) const {
  const SpinnerModelParams& p = params_.model;
  const double prior = std::max(arc.prior, 1e-6f);
  double q;
  if (arc.sources & kSourceUser) {
    q = p.log_active_user + std::log10(prior);
  } else if (arc.sources & kSourceLearned) {
    // A learned table's prior is already P(pair in the site's table): used as it is.
    q = p.log_active_learned + std::log10(prior);
  } else {
    const double base = (arc.sources & kSourceParaphrase)       ? p.log_active_paraphrase
                        : (arc.sources & kSourceWordNetSynonym) ? p.log_active_wordnet
                                                                : p.log_active_other;
    q = base + p.prior_exponent * std::log10(prior);
  }
  // Names are spun less often than other words by generic spinners; a user's
  // table is applied to capitalised words like any other.
  for (std::uint32_t w = arc.begin; w < arc.end && !(arc.sources & (kSourceUser | kSourceLearned)); ++w) {
    if (sentence.words[w].name_like) {
      q += p.log_name_factor;
      break;
    }
  }
  return q;
}

DocumentState Pipeline::prepare(std::string_view text, const ByteRanges* paragraphs) const {
  DocumentState doc;
  doc.model = SpinnerModel(params_.model);
  doc.text = tokenize(text);
  // A user's spinner table: its engines match one-word entries inside hyphenated words too.
  if (!models_.user_originals.empty()) split_hyphenated_words(doc.text);
  doc.sentences = build_sentences(doc.text, *models_.lm);
  doc.lattices.reserve(doc.sentences.size());
  CandidateCache& candidates = *candidates_;
  for (const Sentence& sentence : doc.sentences) {
    doc.lattices.push_back(build_lattice(sentence, models_.lexicons, *models_.lm, lattice_options_, &candidates));
    doc.words += sentence.words.size();
    for (const WordItem& w : sentence.words) {
      doc.eligible += w.eligible;
      doc.known_words += w.lm_id != kUnknownWord;
    }
  }
  if (!allow_.empty()) {
    for (Lattice& lattice : doc.lattices) {
      for (auto& arcs : lattice.arcs_from) {
        std::erase_if(arcs, [&](const Arc& a) {
          if (!allow_.count(a.spun)) return false;
          if (std::find(doc.allowed_seen.begin(), doc.allowed_seen.end(), a.spun) == doc.allowed_seen.end()) {
            doc.allowed_seen.push_back(a.spun);
          }
          return true;
        });
      }
    }
  }
  doc.paragraphs = paragraphs ? *paragraphs : find_paragraphs(text);
  build_model(doc);
  return doc;
}

void Pipeline::count_written(DocumentState& doc) const {
  // Only the phrases the model asks about are counted (a map of every
  // n-gram of a long document cost more than its lattice's strings).
  doc.written.clear();
  for (const Lattice& lattice : doc.lattices) {
    for (const auto& arcs : lattice.arcs_from) {
      for (const Arc& arc : arcs) {
        doc.written.try_emplace(arc.original, 0);
        doc.written.try_emplace(arc.spun, 0);
      }
    }
  }
  const bool user_table = !models_.user_originals.empty();
  std::string phrase;
  for (const Sentence& sentence : doc.sentences) {
    for (std::size_t i = 0; i < sentence.words.size(); ++i) {
      phrase.clear();
      for (std::size_t j = i; j < sentence.words.size() && j < i + 4; ++j) {
        // A user's table is matched as its engines match it: a phrase never
        // runs across punctuation or out of a hyphenated word. (Without one,
        // the counts stay those the lexicon's fitted priors were fitted with.)
        if (j > i && user_table && !sentence.words[j - 1].joins_next) break;
        if (j > i) phrase += ' ';
        phrase += sentence.words[j].lower;
        phrase += sentence.words[j].suffix;
        auto it = doc.written.find(phrase);
        if (it != doc.written.end()) {
          ++it->second;
        } else if (user_table && models_.user_originals.count(phrase)) {
          doc.written.emplace(phrase, 1);
        }
      }
    }
  }
}

void Pipeline::build_model(DocumentState& doc) const {
  count_written(doc);
  // Occurrences of the same written span (sentence, begin, end) compete.
  std::unordered_map<std::uint64_t, std::uint32_t> spans;
  // With a user's table, spans whose words overlap compete in the model
  // (Occurrence::word_begin): a table's multiword entries overlap its
  // one-word entries everywhere. The lexicon's edit calibration was fitted on
  // spans judged alone, so without a table they stay so.
  const bool joint_overlaps = !models_.user_originals.empty();
  std::uint32_t sentence_start = 0;  // the sentence's first word, numbered across the document
  const auto occurrence_of = [&](std::uint32_t entry, std::uint32_t span, const Arc& arc) {
    if (!joint_overlaps) return Occurrence{entry, span, arc.local_gain};
    return Occurrence{entry, span, arc.local_gain, sentence_start + arc.begin, sentence_start + arc.end};
  };
  for (std::uint32_t s = 0; s < doc.sentences.size(); sentence_start += doc.sentences[s].words.size(), ++s) {
    const Sentence& sentence = doc.sentences[s];
    for (const auto& arcs : doc.lattices[s].arcs_from) {
      for (const Arc& arc : arcs) {
        const std::uint64_t key = (std::uint64_t{s} << 32) | (std::uint64_t{arc.begin} << 16) | arc.end;
        const std::uint32_t span = spans.emplace(key, static_cast<std::uint32_t>(spans.size())).first->second;
        const double prior = log10_prior(arc, sentence);
        std::uint32_t entry = doc.model.find_and_raise(arc.original, arc.spun, prior);
        if (entry != UINT32_MAX) {
          doc.model.add_occurrence(occurrence_of(entry, span, arc));
          doc.arcs.push_back({s, &arc});
          continue;
        }
        Entry e;
        e.original = arc.original;
        e.spun = arc.spun;
        e.log10_prior = prior;
        e.unigram_gain = unigram_log10(arc.ids) - unigram_log10(sentence, arc.begin, arc.end);
        auto it = doc.written.find(arc.original);
        e.unspun = it == doc.written.end() ? 0 : it->second;
        e.spun_contains_original = (' ' + arc.spun + ' ').find(' ' + arc.original + ' ') != std::string::npos;
        if (e.spun_contains_original) {
          // Occurrences of the original inside the spun form are not unspun originals.
          auto spun_count = doc.written.find(arc.spun);
          if (spun_count != doc.written.end()) e.unspun = std::max(0, e.unspun - spun_count->second);
        }
        entry = doc.model.add_entry(std::move(e));
        doc.model.add_occurrence(occurrence_of(entry, span, arc));
        doc.arcs.push_back({s, &arc});
      }
    }
  }
  // Originals of a user's table written in the document (see add_known_original).
  if (!models_.user_originals.empty()) {
    std::unordered_map<std::string, int> inside_spun;  // original -> occurrences inside its spun forms
    for (const Entry& e : doc.model.entries()) {
      if (!e.spun_contains_original) continue;
      auto it = doc.written.find(e.spun);
      if (it != doc.written.end()) inside_spun[e.original] += it->second;
    }
    const double active = std::pow(10.0, params_.model.log_active_user);
    for (const auto& [phrase, count] : doc.written) {
      auto it = models_.user_originals.find(phrase);
      if (it == models_.user_originals.end()) continue;
      const int unspun = count - inside_spun[phrase];
      if (unspun > 0) doc.model.add_known_original(phrase, active * it->second, unspun);
    }
  }
}

// Iterated conditional scoring: each occurrence's LM evidence is recomputed
// with its neighbours as currently restored, so that two adjacent spun words
// ("pointy enhance") are judged against each other's originals.
// Occurrences at least this likely are restored in their neighbours' context.
constexpr double kContextThreshold = 0.5;

void Pipeline::refine_context(DocumentState& doc) const {
  const LanguageModel& lm = *models_.lm;
  std::vector<Restoration> restorations(doc.sentences.size());
  for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
    restorations[s].cover.assign(doc.sentences[s].words.size(), -1);
  }
  // The current best restoration: non-overlapping occurrences above 1/2.
  std::vector<std::uint32_t> order(doc.arcs.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return doc.result.posterior[a] > doc.result.posterior[b]; });
  for (std::uint32_t i : order) {
    if (doc.result.posterior[i] < kContextThreshold) break;
    const ArcRef& ref = doc.arcs[i];
    Restoration& r = restorations[ref.sentence];
    bool free = true;
    for (std::uint32_t w = ref.arc->begin; w < ref.arc->end && free; ++w) free = r.cover[w] < 0;
    if (!free) continue;
    const int id = static_cast<int>(r.edits.size());
    r.edits.push_back(ref.arc);
    for (std::uint32_t w = ref.arc->begin; w < ref.arc->end; ++w) r.cover[w] = id;
  }
  // Re-score every occurrence whose neighbourhood changed: a span's arcs are
  // consecutive and share its left state and tail, so each span is scored
  // once, the written span and its arcs together.
  SequenceScorer scorer;
  std::vector<const std::vector<WordId>*> heads;
  std::vector<WordId> kept, tail;
  for (std::uint32_t i = 0; i < doc.arcs.size();) {
    const ArcRef& ref = doc.arcs[i];
    const Arc& arc = *ref.arc;
    std::uint32_t j = i + 1;
    while (j < doc.arcs.size() && doc.arcs[j].sentence == ref.sentence && doc.arcs[j].arc->begin == arc.begin &&
           doc.arcs[j].arc->end == arc.end) {
      ++j;
    }
    const Restoration& r = restorations[ref.sentence];
    const Sentence& s = doc.sentences[ref.sentence];
    bool changed = false;
    if (!r.edits.empty()) {
      const std::uint32_t lo = arc.begin >= 2 ? arc.begin - 2 : 0;
      const std::uint32_t hi = std::min<std::uint32_t>(s.words.size(), arc.end + 2);
      for (std::uint32_t w = lo; w < hi && !changed; ++w) {
        if (w >= arc.begin && w < arc.end) continue;
        const int e = r.cover[w];
        changed = e >= 0 && (r.edits[e]->end <= arc.begin || r.edits[e]->begin >= arc.end);
      }
    }
    if (changed) {
      kept.clear();
      for (std::uint32_t w = arc.begin; w < arc.end; ++w) kept.push_back(s.words[w].lm_id);
      heads.clear();
      heads.push_back(&kept);
      for (std::uint32_t k = i; k < j; ++k) heads.push_back(&doc.arcs[k].arc->ids);
      restored_tail(s, lm, r, arc.end, &tail);
      scorer.score(lm, restored_left_state(s, lm, r, arc.begin), heads, tail);
      for (std::uint32_t k = i; k < j; ++k)
        doc.model.occurrences()[k].delta = scorer.totals[k - i + 1] - scorer.totals[0];
    }
    i = j;
  }
}

void Pipeline::pool_same_source(const std::vector<DocumentState*>& docs) const {
  // Site table T(o -> s): with prior t = q / site_apply, an entry of the
  // site's table is applied in each document with probability site_apply.
  // Each document's prior becomes P(T = 1 | the other documents) * site_apply.
  const double apply = params_.model.site_apply;
  std::unordered_map<std::string, double> total_log_factor;
  std::vector<std::vector<double>> doc_factor(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) {
    DocumentState& doc = *docs[d];
    const auto& entries = doc.model.entries();
    doc_factor[d].assign(entries.size(), 0.0);
    // Per-entry evidence in this document: log10 of P(x_d | T=1) / P(x_d | T=0),
    // from the entry's posterior odds against its own prior.
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const double q = std::pow(10.0, std::min(entries[e].log10_prior, std::log10(0.95)));
      const double post = std::clamp(doc.result.entry_posterior[e], 1e-9, 1 - 1e-9);
      const double lr = (post / (1 - post)) / (q / (1 - q));  // 10^L relative to not active
      const double factor = std::log10((1 - apply) + apply * lr);
      doc_factor[d][e] = factor;
      total_log_factor[entries[e].original + '\t' + entries[e].spun] += factor;
    }
  }
  for (std::size_t d = 0; d < docs.size(); ++d) {
    DocumentState& doc = *docs[d];
    auto& entries = doc.model.entries();
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const double q = std::pow(10.0, std::min(entries[e].log10_prior, std::log10(0.95)));
      const double t = std::min(q / apply, 0.95);
      const double others = total_log_factor[entries[e].original + '\t' + entries[e].spun] - doc_factor[d][e];
      const double odds = std::log10(t / (1 - t)) + std::clamp(others, -30.0, 30.0);
      const double p_table = 1.0 / (1.0 + std::pow(10.0, -odds));
      entries[e].site_log10_adjust = std::log10(std::max(p_table * apply, 1e-12)) - entries[e].log10_prior;
    }
  }
}

double Pipeline::generic_edit_confidence(double raw) const { return calibrations_.lexicon().off_site(raw); }

std::vector<Decision> Pipeline::decisions_of(const DocumentState& doc) const {
  std::vector<Decision> out;
  out.reserve(doc.arcs.size());
  // Each entry's mean LM gain over the document (a learned edit's evidence).
  std::vector<double> delta_sum(doc.model.entries().size(), 0.0);
  std::vector<int> delta_count(doc.model.entries().size(), 0);
  for (const Occurrence& o : doc.model.occurrences()) {
    delta_sum[o.entry] += o.delta;
    ++delta_count[o.entry];
  }
  for (std::uint32_t i = 0; i < doc.arcs.size(); ++i) {
    const ArcRef& ref = doc.arcs[i];
    const Sentence& sentence = doc.sentences[ref.sentence];
    Decision d;
    d.sentence = ref.sentence;
    d.arc = ref.arc;
    d.occurrence = i;
    d.byte_begin = doc.text.tokens[sentence.words[ref.arc->begin].token].byte_begin;
    d.byte_end = doc.text.tokens[sentence.words[ref.arc->end - 1].token].byte_end;
    d.raw = doc.result.posterior[i];
    d.source = edit_source(ref.arc->sources);
    const std::uint32_t entry = doc.model.occurrences()[i].entry;
    EditEvidence evidence;
    evidence.posterior = d.raw;
    evidence.pair_prior = ref.arc->prior;
    evidence.mean_delta = delta_sum[entry] / std::max(1, delta_count[entry]);
    evidence.original_written = doc.model.entries()[entry].unspun > 0;
    d.confidence = calibrations_.confidence(d.source, evidence);
    out.push_back(d);
  }
  return out;
}

std::vector<std::vector<Decision>> Pipeline::decode(const std::vector<DocumentState*>& docs) const {
  for (DocumentState* doc : docs) doc->result = doc->model.evaluate();
  if (docs.size() > 1) {
    pool_same_source(docs);
    for (DocumentState* doc : docs) doc->result = doc->model.evaluate();
  }
  if (options_.adapt) {
    for (DocumentState* doc : docs) {
      refine_context(*doc);
      doc->result = doc->model.evaluate();
    }
    if (docs.size() > 1) {
      pool_same_source(docs);
      for (DocumentState* doc : docs) doc->result = doc->model.evaluate();
    }
  }
  std::vector<std::vector<Decision>> per_doc;
  per_doc.reserve(docs.size());
  for (DocumentState* doc : docs) per_doc.push_back(decisions_of(*doc));
  return per_doc;
}

// Bounds log10 BF only against overflow: documents of up to a window's
// 3,000 words reach a few hundred with a user's table, and the null spread is
// the 99th percentile of clean documents', so a tight bound (it was 50) cut
// off the clean tail and the spun documents alike and left nothing to compare.
constexpr double kMaxLog10Bf = 1e4;

DetectionEvidence detection_evidence(const ModelResult& r, std::size_t words, const DetectionCalibration& params) {
  const double w = std::max<double>(1, words);
  DetectionEvidence e{std::clamp(r.log10_bf, -kMaxLog10Bf, kMaxLog10Bf), std::log10(w), 0};
  e.null_z = e.log10_bf;
  if (!params.null_median.empty() && !params.null_spread.empty()) {
    const double spread = std::max(interpolate_curve(params.null_spread, e.log10_words), 0.05);
    e.null_z = (e.log10_bf - interpolate_curve(params.null_median, e.log10_words)) / spread;
  }
  return e;
}

double Pipeline::document_log_lr(const detect::EvidenceCounts& counts, const DetectionEvidence& e) const {
  if (models_.user_originals.empty()) return detector_->full_log_lr(counts, e.null_z);
  // With a user's table the evidence is the table's: the spinner model's
  // user-table calibration (fitted on a mix with kUserCalibrationSpunShare
  // spun documents), turned into a likelihood ratio by removing that mix's
  // prior odds.
  return detect::logit(calibrated_score(e)) - detect::logit(kUserCalibrationSpunShare);
}

double Pipeline::calibrated_score(const DetectionEvidence& e) const {
  const DetectionCalibration& c = detection();
  return sigmoid(c.bias + c.scale * e.null_z + c.log_words * e.log10_words);
}

void Pipeline::add_review_spans(const DocumentState& doc, const std::vector<Decision>& decisions,
                                const std::vector<detect::UnusualPair>& unusual,
                                const std::vector<double>& unusual_log_lr,
                                const std::array<double, detect::kMixtureTerms>& mixture,
                                DocumentResult* result) const {
  std::vector<ReviewSpan>& review = result->review;
  // Applied edits first: what restore changes.
  for (const Edit& e : result->edits) {
    review.push_back(
        {e.byte_begin, e.byte_end, e.cp_begin, e.cp_end, e.spun, e.original, e.confidence, true, e.rule, "edit"});
  }
  const auto overlaps = [&](std::uint32_t b, std::uint32_t e) {
    return std::any_of(review.begin(), review.end(),
                       [&](const ReviewSpan& r) { return r.byte_begin < e && b < r.byte_end; });
  };
  // Candidates of the spinner model between the review and the edit
  // thresholds. A candidate's confidence is the probability that it is a
  // substitution: P(document spun) x P(substituted | its facts, the document
  // spun), the second the decision's calibrated confidence (as for unusual
  // wording below). Without the first factor a clean document of a
  // technical genre, sent past the screen by a few unusual pairs, listed
  // every weak candidate of the spinner model.
  for (const Decision& d : decisions) {
    const double confidence = result->has_score ? result->score * d.confidence : d.confidence;
    if (confidence < options_.review_threshold || overlaps(d.byte_begin, d.byte_end)) continue;
    const Sentence& sentence = doc.sentences[d.sentence];
    const Token& first = doc.text.tokens[sentence.words[d.arc->begin].token];
    const Token& last = doc.text.tokens[sentence.words[d.arc->end - 1].token];
    const std::string spun(doc.text.source.substr(d.byte_begin, d.byte_end - d.byte_begin));
    review.push_back({d.byte_begin, d.byte_end, first.cp_begin, last.cp_end, spun,
                      apply_casing(d.arc->original, casing_of(first.text)), confidence, false, "UNSPIN_REVIEW",
                      "candidate"});
  }
  // Unusual wording with no candidate original: a pair of common words the
  // LM never saw together. Its confidence is the probability that a word of
  // it was written by a substitution: P(document spun) x P(substituted | its
  // facts, the document spun), the second from the per-word mixture
  // (detect/word_model.h): sum over the shares r of P(r | the document's
  // words) x r LR / (1 - r + r LR), P(r | words) from the mixture's terms
  // (a uniform prior over kMixtureRates).
  if (result->has_score) {
    double share_weight[detect::kMixtureTerms];
    {
      double best = -1e300, total = 0;
      for (double t : mixture) best = std::max(best, t);
      for (std::size_t k = 0; k < detect::kMixtureTerms; ++k) total += share_weight[k] = std::exp(mixture[k] - best);
      for (double& w : share_weight) w /= total;
    }
    // At most one unusual pair per 15 words of the window, likeliest first:
    // beyond that the whole text reads as unusual and a list of its pairs
    // helps no reviewer (and would grow the output past the input's size).
    const std::size_t cap = doc.words / 15 + 1;
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t k = 0; k < unusual.size(); ++k) {
      const double lr = std::exp(k < unusual_log_lr.size() ? unusual_log_lr[k] : 0.0);
      double substituted = 0;
      for (std::size_t j = 0; j < detect::kMixtureTerms; ++j) {
        const double r = detect::kMixtureRates[j];
        substituted += share_weight[j] * r * lr / (1 - r + r * lr);
      }
      const double confidence = result->score * substituted;
      if (confidence >= options_.review_threshold) ranked.push_back({confidence, k});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    std::size_t listed = 0;
    for (const auto& [confidence, k] : ranked) {
      if (listed >= cap) break;
      const detect::UnusualPair& u = unusual[k];
      const Token& a = doc.text.tokens[u.first_token];
      const Token& b = doc.text.tokens[u.second_token];
      if (overlaps(a.byte_begin, b.byte_end)) continue;
      std::string spun(doc.text.source.substr(a.byte_begin, b.byte_end - a.byte_begin));
      if (allow_.count(fold_phrase(spun))) continue;
      review.push_back({a.byte_begin, b.byte_end, a.cp_begin, b.cp_end, std::move(spun), std::string(), confidence,
                        false, "UNSPIN_REVIEW", "unusual"});
      ++listed;
    }
  }
  std::sort(review.begin(), review.end(),
            [](const ReviewSpan& x, const ReviewSpan& y) { return x.byte_begin < y.byte_begin; });
}

// The candidate-free evidence of the whole text (detect/evidence.h), and each
// unusual pair's word evidence: the larger per-word log LR of its two words.
Pipeline::TextEvidence Pipeline::text_evidence(const DocumentState& doc) const {
  TextEvidence e;
  std::vector<detect::ScoredWord> scored;
  evidence_->count(doc.text, 0, doc.text.tokens.size(), e.counts, &e.unusual, &scored);
  e.unusual_log_lr.assign(e.unusual.size(), -detect::WordModel::kMaxLogLr);
  std::unordered_map<std::uint32_t, float> log_lr_of;
  for (const detect::ScoredWord& w : scored) log_lr_of.emplace(w.token, w.log_lr);
  for (std::size_t k = 0; k < e.unusual.size(); ++k) {
    for (std::uint32_t t : {e.unusual[k].first_token, e.unusual[k].second_token}) {
      const auto it = log_lr_of.find(t);
      if (it != log_lr_of.end()) e.unusual_log_lr[k] = std::max(e.unusual_log_lr[k], static_cast<double>(it->second));
    }
  }
  return e;
}

std::optional<Reason> no_verdict_reason(std::size_t words, std::size_t known_words, std::size_t tokens,
                                        const RestoreOptions& options, Verdict* verdict) {
  char buf[512];
  const double english_share = words ? static_cast<double>(known_words) / words : 0.0;
  // Prose: most tokens are words. Code, markup and data are mostly symbols
  // (clean English text of every genre here: at least 69% words, 95% of it
  // above 83%; C++ and JSON: 25-50%).
  const double word_share = tokens ? static_cast<double>(words) / tokens : 1.0;
  if (words > 0 && english_share < options.min_english_share) {
    *verdict = Verdict::kNotEnglish;
    std::snprintf(buf, sizeof buf, "only %.0f%% of the words are English words the language model knows",
                  100 * english_share);
    return Reason{"not_english", buf, 0};
  }
  if (tokens >= options.min_words_for_verdict && word_share < options.min_word_share) {
    *verdict = Verdict::kNotEnglish;
    std::snprintf(buf, sizeof buf,
                  "only %.0f%% of the tokens are words: this looks like code, markup or data, not English prose",
                  100 * word_share);
    return Reason{"not_english", buf, 0};
  }
  if (words < options.min_words_for_verdict) {
    *verdict = Verdict::kTooShort;
    std::snprintf(buf, sizeof buf, "only %zu words: too short for a verdict (at least %zu needed)", words,
                  options.min_words_for_verdict);
    return Reason{"too_short", buf, 0};
  }
  return std::nullopt;
}

void Pipeline::score_document(const DocumentState& doc, const detect::EvidenceCounts& counts,
                              DocumentResult* result) const {
  Verdict verdict = Verdict::kClean;
  if (std::optional<Reason> reason =
          no_verdict_reason(doc.words, doc.known_words, doc.text.tokens.size(), options_, &verdict)) {
    result->has_score = false;
    result->verdict = verdict;
    result->reasons.push_back(std::move(*reason));
  } else {
    const Score score = score_of(document_log_lr(counts, detection_evidence(doc.result, doc.words, detection())),
                                 options_.base_rate, options_.verdict_threshold);
    result->log_lr = score.log_lr;
    result->score = score.probability;
    result->verdict = score.verdict;
  }
  result->spun = result->verdict == Verdict::kSpun;
}

void Pipeline::apply_decisions(const DocumentState& doc, const std::vector<Decision>& decisions,
                               DocumentResult* result) const {
  double expected = 0;
  std::vector<PlannedEdit> planned;
  for (const Decision& d : decisions) {
    expected += d.confidence * (d.arc->end - d.arc->begin);
    if (!applies(d)) continue;
    const Sentence& sentence = doc.sentences[d.sentence];
    planned.push_back({sentence.words[d.arc->begin].token, sentence.words[d.arc->end - 1].token, d.arc->original,
                       d.confidence, std::string(edit_rule(d.source))});
  }
  result->spin_rate = doc.eligible ? std::min(1.0, expected / doc.eligible) : 0.0;
  // Text that is not English prose is returned as it is: no edits.
  if (result->verdict == Verdict::kNotEnglish) planned.clear();
  apply_edits(doc.text, planned, result);
}

void Pipeline::add_reasons(const DocumentState& doc, const std::vector<Decision>& decisions,
                           DocumentResult* result) const {
  auto add_reason = [&](std::string kind, std::string message, double weight) {
    result->reasons.push_back({std::move(kind), std::move(message), weight});
  };
  char buf[512];
  // The table entries the model relies on, strongest first, then spans.
  const auto& entries = doc.model.entries();
  std::vector<std::pair<double, std::uint32_t>> strong;
  for (std::uint32_t e = 0; e < entries.size(); ++e) {
    if (doc.result.entry_posterior[e] >= 0.5 && doc.result.entry_log10_z[e] > 0.3) {
      strong.emplace_back(doc.result.entry_log10_z[e], e);
    }
  }
  std::sort(strong.rbegin(), strong.rend());
  std::unordered_map<std::string, int> spun_counts;
  for (const Decision& d : decisions) {
    if (applies(d)) ++spun_counts[d.arc->spun + '\t' + d.arc->original];
  }
  std::unordered_set<std::string> originals_seen;
  for (const auto& [weight, e] : strong) {
    if (result->reasons.size() >= 6) break;
    const Entry& entry = entries[e];
    if (!originals_seen.insert(entry.original).second) continue;
    const int n = spun_counts[entry.spun + '\t' + entry.original];
    if (n == 0) continue;
    if (entry.unspun == 0 && n >= 2) {
      std::snprintf(buf, sizeof buf, "'%s' never appears; '%s' %d times", entry.original.c_str(), entry.spun.c_str(),
                    n);
    } else {
      std::snprintf(buf, sizeof buf, "'%s' (%d time%s) reads like a spinner's replacement for '%s'", entry.spun.c_str(),
                    n, n == 1 ? "" : "s", entry.original.c_str());
    }
    add_reason("table_entry", buf, weight);
  }
  std::vector<const Decision*> spans;
  for (const Decision& d : decisions) {
    if (applies(d)) spans.push_back(&d);
  }
  std::stable_sort(spans.begin(), spans.end(), [&](const Decision* a, const Decision* b) {
    return doc.model.occurrences()[a->occurrence].delta > doc.model.occurrences()[b->occurrence].delta;
  });
  for (std::size_t i = 0; i < spans.size() && i < 3; ++i) {
    const Decision& d = *spans[i];
    const double delta = doc.model.occurrences()[d.occurrence].delta;
    if (delta < 1.0) break;
    std::snprintf(buf, sizeof buf, "'%s' is %.0fx less likely English here than '%s'", d.arc->spun.c_str(),
                  std::min(std::pow(10.0, delta), 1e9), d.arc->original.c_str());
    Reason r{"span", buf, delta, true, d.byte_begin, d.byte_end, 0, 0};
    const Sentence& s = doc.sentences[d.sentence];
    r.cp_begin = doc.text.tokens[s.words[d.arc->begin].token].cp_begin;
    r.cp_end = doc.text.tokens[s.words[d.arc->end - 1].token].cp_end;
    result->reasons.push_back(std::move(r));
  }
  if (result->has_score) {
    std::snprintf(buf, sizeof buf, "about %.0f%% of eligible words look substituted", 100 * result->spin_rate);
    add_reason("rate", buf, doc.result.log10_bf);
  }
  for (const std::string& a : doc.allowed_seen) add_reason("allowed", "'" + a + "' is on the allow list", 0);
}

void Pipeline::score_paragraphs(const DocumentState& doc, DocumentResult* result) const {
  // The same model on each paragraph's occurrences (tokens and occurrences
  // are in text order: one linear pass).
  const auto& occ = doc.model.occurrences();
  std::size_t next_token = 0, next_occ = 0;
  for (const auto& [pb, pe] : doc.paragraphs) {
    ParagraphResult para{pb, pe, 0, 0};
    while (next_token < doc.text.tokens.size() && doc.text.tokens[next_token].byte_begin < pb) ++next_token;
    const std::size_t para_first_token = next_token;
    bool first = true;
    for (; next_token < doc.text.tokens.size() && doc.text.tokens[next_token].byte_begin < pe; ++next_token) {
      const Token& t = doc.text.tokens[next_token];
      if (first) {
        para.cp_begin = t.cp_begin;
        first = false;
      }
      para.cp_end = t.cp_end;
      para.words += t.kind == TokenKind::kWord;
    }
    std::vector<std::uint32_t> subset;
    auto occ_begin = [&](std::size_t i) {
      const ArcRef& ref = doc.arcs[i];
      return doc.text.tokens[doc.sentences[ref.sentence].words[ref.arc->begin].token].byte_begin;
    };
    while (next_occ < occ.size() && occ_begin(next_occ) < pb) ++next_occ;
    for (; next_occ < occ.size() && occ_begin(next_occ) < pe; ++next_occ) {
      subset.push_back(static_cast<std::uint32_t>(next_occ));
    }
    if (result->has_score && doc.paragraphs.size() == 1) {
      // The paragraph is the document.
      para.has_score = true;
      para.score = result->score;
      para.log_lr = result->log_lr;
      para.verdict = result->verdict;
    } else if (result->has_score && para.words >= options_.min_words_for_verdict) {
      // Originals written unspun anywhere in the document still count against an entry.
      const ModelResult r = subset.empty() ? ModelResult{} : doc.model.restricted_to(subset).evaluate();
      para.has_score = true;
      detect::EvidenceCounts para_counts;
      evidence_->count(doc.text, para_first_token, next_token, para_counts);
      const Score score = score_of(document_log_lr(para_counts, detection_evidence(r, para.words, detection())),
                                   options_.base_rate, options_.verdict_threshold);
      para.score = score.probability;
      para.log_lr = score.log_lr;
      para.verdict = score.verdict;
    } else {
      para.verdict = result->verdict == Verdict::kNotEnglish ? Verdict::kNotEnglish : Verdict::kTooShort;
    }
    result->paragraphs.push_back(para);
  }
}

DocumentResult Pipeline::finish(const DocumentState& doc, const std::vector<Decision>& all) const {
  const std::vector<Decision> decisions = select_non_overlapping(all);
  DocumentResult result;
  result.tokens = doc.words;
  result.threshold = options_.verdict_threshold;
  result.base_rate = options_.base_rate;
  result.review_threshold = options_.review_threshold;
  result.calibrated = fitted_of(models_).calibrated;
  result.log10_bayes_factor = doc.result.log10_bf;
  result.english_share = doc.words ? static_cast<double>(doc.known_words) / doc.words : 0.0;
  const TextEvidence evidence = text_evidence(doc);
  score_document(doc, evidence.counts, &result);
  apply_decisions(doc, decisions, &result);
  if (result.verdict != Verdict::kNotEnglish) {
    add_review_spans(doc, decisions, evidence.unusual, evidence.unusual_log_lr, evidence.counts.mixture, &result);
  }
  add_reasons(doc, decisions, &result);
  score_paragraphs(doc, &result);
  return result;
}

}  // namespace unspin::decode
