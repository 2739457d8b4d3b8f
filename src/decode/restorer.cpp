// Restorer: tokenize -> sentences -> lattices -> (decode, adapt, decode) ->
// confidences -> edits, restored text and document score.
#include <algorithm>
#include <cmath>
#include <map>

#include "decode/channel.h"
#include "decode/document.h"
#include "decode/lattice.h"
#include "decode/output.h"
#include "decode/params.h"
#include "decode/viterbi.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin {

using namespace decode;

namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// An edit the search chose, before it becomes a public Edit.
struct Decision {
  std::size_t sentence;
  const Arc* arc;
  double margin;      // log10 path-score gain over keeping the span
  double confidence;  // calibrated posterior
};

struct DocumentState {
  TokenizedText text;
  std::vector<Sentence> sentences;
  std::vector<Lattice> lattices;
  std::size_t eligible = 0, words = 0;
};

// Scores every chosen arc of a path: margin over keeping and over the best
// alternative original of the same span, turned into a posterior.
void collect_decisions(const DocumentState& doc, std::size_t s, const Path& path,
                       const LanguageModel& lm, const ConfidenceParams& params,
                       std::vector<Decision>* out) {
  const Sentence& sentence = doc.sentences[s];
  const Lattice& lattice = doc.lattices[s];
  for (std::size_t k = 0; k < path.steps.size(); ++k) {
    const Step& step = path.steps[k];
    if (step.arc < 0) continue;
    const Arc& arc = lattice.arcs_from[step.begin][step.arc];
    std::vector<Step> alt;
    alt.reserve(path.steps.size() + 4);
    alt.insert(alt.end(), path.steps.begin(), path.steps.begin() + k);
    for (std::uint32_t w = arc.begin; w < arc.end; ++w) alt.push_back({w, -1});
    alt.insert(alt.end(), path.steps.begin() + k + 1, path.steps.end());
    const double margin = path.score - score_path(sentence, lattice, lm, alt);
    double best_other = -1e30;
    const auto& arcs = lattice.arcs_from[step.begin];
    for (int a = 0; a < static_cast<int>(arcs.size()); ++a) {
      if (a == step.arc || arcs[a].end != arc.end) continue;
      std::vector<Step> swap = path.steps;
      swap[k].arc = a;
      best_other = std::max(best_other, score_path(sentence, lattice, lm, swap));
    }
    const double alt_gap = path.score - best_other;  // >= 0 when the search is exact
    const double alt_share = 1.0 / (1.0 + std::pow(10.0, -params.scale * alt_gap));
    const double confidence = sigmoid(params.scale * std::log(10.0) * margin + params.bias) * alt_share;
    out->push_back({s, &arc, margin, confidence});
  }
}

}  // namespace

struct Restorer::Impl {
  const Models& models;
  RestoreOptions options;
  DecoderParams params;
  LatticeOptions lattice_options;

  DocumentState prepare(std::string_view text) const {
    DocumentState doc;
    doc.text = tokenize(text);
    doc.sentences = build_sentences(doc.text, *models.lm);
    for (const Sentence& sentence : doc.sentences) {
      doc.lattices.push_back(build_lattice(sentence, models.lexicons, *models.lm, lattice_options));
      doc.words += sentence.words.size();
      for (const WordItem& w : sentence.words) doc.eligible += w.eligible;
    }
    return doc;
  }

  std::vector<Decision> decode(DocumentState& doc, const ChannelModel& channel) const {
    std::vector<Decision> decisions;
    for (std::size_t s = 0; s < doc.sentences.size(); ++s) {
      Lattice& lattice = doc.lattices[s];
      bool any_arc = false;
      for (const auto& arcs : lattice.arcs_from) any_arc |= !arcs.empty();
      if (!any_arc) continue;
      channel.score(lattice, *models.lm);
      Path path = best_path(doc.sentences[s], lattice, *models.lm, options.beam_width);
      collect_decisions(doc, s, path, *models.lm, params.confidence, &decisions);
    }
    return decisions;
  }

  static double spin_rate(const std::vector<Decision>& decisions, std::size_t eligible) {
    double expected = 0;
    for (const Decision& d : decisions) expected += d.confidence * (d.arc->end - d.arc->begin);
    return eligible ? expected / eligible : 0.0;
  }

  // Decodes, estimates the spinner from the first pass, decodes again.
  // Returns the decisions of each document.
  std::vector<std::vector<Decision>> decode_adapted(std::vector<DocumentState*> docs) const {
    ChannelModel channel(params.channel);
    std::vector<std::vector<Decision>> per_doc;
    std::size_t eligible = 0;
    for (DocumentState* doc : docs) {
      per_doc.push_back(decode(*doc, channel));
      eligible += doc->eligible;
    }
    if (options.adapt) {
      std::map<std::pair<std::string, std::string>, double> pairs;
      double expected = 0;
      for (const auto& decisions : per_doc) {
        for (const Decision& d : decisions) {
          pairs[{d.arc->spun, d.arc->original}] += d.confidence;
          expected += d.confidence * (d.arc->end - d.arc->begin);
        }
      }
      channel.adapt(eligible ? expected / eligible : 0.0, pairs);
      for (std::size_t i = 0; i < docs.size(); ++i) per_doc[i] = decode(*docs[i], channel);
    }
    return per_doc;
  }

  DocumentResult finish(const DocumentState& doc, const std::vector<Decision>& decisions) const {
    DocumentResult result;
    result.tokens = doc.words;
    result.spin_rate = spin_rate(decisions, doc.eligible);
    double gain = 0;
    std::vector<PlannedEdit> planned;
    for (const Decision& d : decisions) {
      if (d.confidence < options.min_confidence) continue;
      gain += d.margin;
      const Sentence& sentence = doc.sentences[d.sentence];
      planned.push_back({sentence.words[d.arc->begin].token, sentence.words[d.arc->end - 1].token,
                         d.arc->original, d.confidence});
    }
    const DetectionParams& det = params.detection;
    const double rate = std::clamp(result.spin_rate, 1e-4, 0.9);
    const double gain_per_word = doc.words ? gain / doc.words : 0.0;
    result.score = sigmoid(det.w_rate * std::log(rate / (1 - rate)) + det.w_gain * gain_per_word + det.bias);
    result.spun = result.score >= options.verdict_threshold;
    apply_edits(doc.text, planned, &result);
    return result;
  }
};

Restorer::Restorer(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(Impl{models, options, DecoderParams{}, LatticeOptions{}})) {
  impl_->lattice_options.max_span_words = options.max_phrase_words;
}
Restorer::~Restorer() = default;

DocumentResult Restorer::run(std::string_view text) const {
  validate_input(text, impl_->options.max_input_bytes);
  DocumentState doc = impl_->prepare(text);
  return impl_->finish(doc, impl_->decode_adapted({&doc})[0]);
}

std::vector<DocumentResult> Restorer::run_same_source(
    const std::vector<std::string_view>& texts) const {
  std::vector<DocumentState> docs;
  docs.reserve(texts.size());
  for (std::string_view t : texts) {
    validate_input(t, impl_->options.max_input_bytes);
    docs.push_back(impl_->prepare(t));
  }
  std::vector<DocumentState*> pointers;
  for (DocumentState& d : docs) pointers.push_back(&d);
  std::vector<std::vector<Decision>> decisions = impl_->decode_adapted(pointers);
  std::vector<DocumentResult> results;
  for (std::size_t i = 0; i < docs.size(); ++i) results.push_back(impl_->finish(docs[i], decisions[i]));
  return results;
}

}  // namespace unspin
