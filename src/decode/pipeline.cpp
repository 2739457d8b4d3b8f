#include "decode/pipeline.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "decode/output.h"
#include "decode/viterbi.h"
#include "unspin/text.h"

namespace unspin::decode {
namespace {

using PairCounts = std::map<std::pair<std::string, std::string>, double>;

double logit10(double p) {
  p = std::clamp(p, 1e-4, 1 - 1e-4);
  return std::log10(p / (1 - p));
}

bool spun_has_unknown(const Sentence& sentence, const Arc& arc) {
  for (std::uint32_t w = arc.begin; w < arc.end; ++w) {
    if (sentence.words[w].lm_id == kUnknownWord) return true;
  }
  return false;
}

std::size_t word_count(std::string_view phrase) {
  return static_cast<std::size_t>(std::count(phrase.begin(), phrase.end(), ' ')) + 1;
}

// Folded words of the document as written, with n-grams up to 4 words, to
// tell whether a proposed original also occurs unspun.
std::unordered_set<std::string> written_phrases(const DocumentState& doc) {
  std::unordered_set<std::string> phrases;
  for (const Sentence& s : doc.sentences) {
    for (std::size_t i = 0; i < s.words.size(); ++i) {
      std::string p;
      for (std::size_t j = i; j < s.words.size() && j < i + 4; ++j) {
        if (j > i) p += ' ';
        p += s.words[j].lower + s.words[j].suffix;
        phrases.insert(p);
      }
    }
  }
  return phrases;
}

// Keeps, greedily by confidence, decisions whose spans do not overlap (within
// a sentence, by word position); returns them in text order. Every kept
// decision is a real alternative for its span; its confidence is its own.
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

}  // namespace

Pipeline::Pipeline(const Models& models, const RestoreOptions& options, const DecoderParams& params)
    : models_(models), options_(options), params_(params) {
  lattice_options_.max_span_words = options.max_phrase_words;
}

DocumentState Pipeline::prepare(std::string_view text) const {
  DocumentState doc;
  doc.text = tokenize(text);
  doc.sentences = build_sentences(doc.text, *models_.lm);
  doc.lattices.reserve(doc.sentences.size());
  for (const Sentence& sentence : doc.sentences) {
    doc.lattices.push_back(build_lattice(sentence, models_.lexicons, *models_.lm, lattice_options_));
    doc.words += sentence.words.size();
    for (const WordItem& w : sentence.words) doc.eligible += w.eligible;
  }
  std::size_t suspicious = 0;
  for (const Lattice& lattice : doc.lattices) {
    for (const auto& arcs : lattice.arcs_from) {
      suspicious += std::any_of(arcs.begin(), arcs.end(), [](const Arc& a) { return a.local_gain >= 1.5f; });
    }
  }
  doc.suspicious_rate = doc.eligible ? static_cast<double>(suspicious) / doc.eligible : 0.0;
  return doc;
}

std::vector<Decision> Pipeline::decode_pass(DocumentState& doc, const ChannelModel& channel) const {
  const LanguageModel& lm = *models_.lm;
  std::vector<Decision> decisions;
  std::unordered_set<std::string> written;
  bool written_ready = false;
  PairCounts repeats;
  for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
    const Sentence& sentence = doc.sentences[s];
    Lattice& lattice = doc.lattices[s];
    if (std::all_of(lattice.arcs_from.begin(), lattice.arcs_from.end(),
                    [](const auto& arcs) { return arcs.empty(); })) {
      continue;
    }
    if (!written_ready) {
      written = written_phrases(doc);
      written_ready = true;
    }
    channel.score(lattice, lm);
    const Path path = best_path(sentence, lattice, lm, options_.beam_width);
    // Margins of the arcs on the best path: over keeping the span, and over
    // the best other original for it, with every other decision unchanged.
    std::map<const Arc*, std::pair<double, double>> on_path;
    for (std::size_t k = 0; k < path.steps.size(); ++k) {
      const Step& step = path.steps[k];
      if (step.arc < 0) continue;
      const Arc& arc = lattice.arcs_from[step.begin][step.arc];
      std::vector<Step> keep(path.steps.begin(), path.steps.begin() + k);
      for (std::uint32_t w = arc.begin; w < arc.end; ++w) keep.push_back({w, -1});
      keep.insert(keep.end(), path.steps.begin() + k + 1, path.steps.end());
      const double margin = path.score - score_path(sentence, lattice, lm, keep);
      double best_other = -1e30;
      const auto& arcs = lattice.arcs_from[step.begin];
      for (int a = 0; a < static_cast<int>(arcs.size()); ++a) {
        if (a == step.arc || arcs[a].end != arc.end) continue;
        std::vector<Step> swap = path.steps;
        swap[k].arc = a;
        best_other = std::max(best_other, score_path(sentence, lattice, lm, swap));
      }
      on_path[&arc] = {margin, path.score - best_other};
    }
    // Every arc is a candidate decision: the edit model, not the search
    // alone, decides (the search's verdict is one of its features).
    for (const auto& arcs : lattice.arcs_from) {
      for (std::size_t i = 0; i < arcs.size(); ++i) {
        const Arc& arc = arcs[i];
        Decision d;
        d.sentence = s;
        d.arc = &arc;
        d.byte_begin = doc.text.tokens[sentence.words[arc.begin].token].byte_begin;
        d.byte_end = doc.text.tokens[sentence.words[arc.end - 1].token].byte_end;
        auto it = on_path.find(&arc);
        d.margin = it == on_path.end() ? 0.0 : it->second.first;
        EditFeatures& f = d.features;
        f.fill(0);
        f[kBias] = 1;
        if (it != on_path.end()) {
          f[kOnPath] = 1;
          f[kMargin] = std::clamp(it->second.first, -8.0, 8.0);
          f[kAltGap] = std::clamp(it->second.second, -5.0, 5.0);
        }
        f[kLocalGain] = std::clamp<double>(arc.local_gain, -5, 8);
        // Arcs of a span are sorted by local gain: the lead over the runner-up.
        double runner_up = -5;
        for (std::size_t j = 0; j < arcs.size(); ++j) {
          if (j != i && arcs[j].end == arc.end) runner_up = std::max<double>(runner_up, arcs[j].local_gain);
        }
        f[kGainLead] = std::clamp<double>(arc.local_gain - runner_up, -8, 8);
        std::vector<WordId> spun_ids;
        for (std::uint32_t w = arc.begin; w < arc.end; ++w) spun_ids.push_back(sentence.words[w].lm_id);
        f[kFrequencyGain] = std::clamp(unigram_log10(lm, arc.ids) - unigram_log10(lm, spun_ids), -8.0, 8.0);
        f[kLogPrior] = std::log10(std::max(arc.prior, 1e-6f));
        // kSpunUnknown stays 0: the simulated spinners never produce words the
        // LM does not know (real ones do: "govt"), so a weight fitted on them
        // would only learn "never touch an unknown word".
        (void)spun_has_unknown;
        f[kLengthChange] = std::abs(static_cast<double>(word_count(arc.original)) -
                                    static_cast<double>(arc.end - arc.begin));
        f[kDocSpinLogit] = logit10(doc.suspicious_rate);
        f[kOriginalInDoc] = written.count(arc.original) ? 1 : 0;
        f[kFromParaphrase] = (arc.sources & kSourceParaphrase) ? 1 : 0;
        f[kFromWordNet] = (arc.sources & kSourceWordNetSynonym) ? 1 : 0;
        f[kLogAlternatives] = std::log10(std::max<double>(1, arc.alternatives));
        repeats[{arc.spun, arc.original}] += 1;
        decisions.push_back(std::move(d));
      }
    }
  }
  for (Decision& d : decisions) {
    d.features[kPairRepeats] = std::log2(repeats[{d.arc->spun, d.arc->original}]);
    d.confidence = sigmoid(dot(params_.edit_weights, d.features));
  }
  return decisions;
}

std::vector<std::vector<Decision>> Pipeline::decode(const std::vector<DocumentState*>& docs) const {
  ChannelModel channel(params_.channel);
  std::vector<std::vector<Decision>> per_doc;
  std::size_t eligible = 0;
  for (DocumentState* doc : docs) {
    per_doc.push_back(decode_pass(*doc, channel));
    eligible += doc->eligible;
    double expected = 0;
    for (const Decision& d : select_non_overlapping(per_doc.back())) expected += d.confidence * (d.arc->end - d.arc->begin);
    doc->first_pass_rate = doc->eligible ? expected / doc->eligible : 0.0;
  }
  if (!options_.adapt) return per_doc;
  PairCounts pairs;
  double expected = 0;
  for (const auto& decisions : per_doc) {
    for (const Decision& d : select_non_overlapping(decisions)) {
      pairs[{d.arc->spun, d.arc->original}] += d.confidence;
      expected += d.confidence * (d.arc->end - d.arc->begin);
    }
  }
  const double rate = eligible ? expected / eligible : 0.0;
  channel.adapt(rate, pairs);
  for (std::size_t i = 0; i < docs.size(); ++i) per_doc[i] = decode_pass(*docs[i], channel);
  return per_doc;
}

DetectionFeatures Pipeline::detection_features(const DocumentState& doc,
                                               const std::vector<Decision>& all) const {
  const std::vector<Decision> decisions = select_non_overlapping(all);
  double expected = 0, gain = 0, confidence = 0;
  std::size_t applied = 0;
  for (const Decision& d : decisions) {
    expected += d.confidence * (d.arc->end - d.arc->begin);
    if (d.confidence < options_.min_confidence) continue;
    ++applied;
    gain += std::min(d.margin, 8.0);
    confidence += d.confidence;
  }
  const double rate = doc.eligible ? std::clamp(expected / doc.eligible, 1e-4, 0.9) : 1e-4;
  const double words = std::max<double>(1, doc.words);
  DetectionFeatures f{};
  f[kDetBias] = 1;
  f[kDetSpinLogit] = std::log(rate / (1 - rate));
  f[kDetGainPerWord] = gain / words;
  f[kDetEditsPerWord] = applied / words;
  f[kDetMeanConfidence] = applied ? confidence / applied : 0;
  f[kDetLogWords] = std::log10(words);
  const double first = std::clamp(doc.first_pass_rate, 1e-4, 0.9);
  f[kDetFirstPassLogit] = std::log(first / (1 - first));
  const double suspicious = std::clamp(doc.suspicious_rate, 1e-4, 0.9);
  f[kDetSuspiciousLogit] = std::log(suspicious / (1 - suspicious));
  std::vector<double> margins;
  for (const Decision& d : decisions) margins.push_back(std::min(d.margin, 8.0));
  std::sort(margins.rbegin(), margins.rend());
  double top = 0;
  for (std::size_t i = 0; i < 5; ++i) top += i < margins.size() ? margins[i] : 0.0;
  f[kDetTopMargins] = top / 5;
  return f;
}

DocumentResult Pipeline::finish(const DocumentState& doc, const std::vector<Decision>& all) const {
  const std::vector<Decision> decisions = select_non_overlapping(all);
  DocumentResult result;
  result.tokens = doc.words;
  double expected = 0;
  std::vector<PlannedEdit> planned;
  for (const Decision& d : decisions) {
    expected += d.confidence * (d.arc->end - d.arc->begin);
    if (d.confidence < options_.min_confidence) continue;
    const Sentence& sentence = doc.sentences[d.sentence];
    planned.push_back({sentence.words[d.arc->begin].token, sentence.words[d.arc->end - 1].token,
                       d.arc->original, d.confidence});
  }
  result.spin_rate = doc.eligible ? std::min(1.0, expected / doc.eligible) : 0.0;
  result.score = sigmoid(dot(params_.detection_weights, detection_features(doc, all)));
  result.spun = result.score >= options_.verdict_threshold;
  apply_edits(doc.text, planned, &result);
  return result;
}

}  // namespace unspin::decode
