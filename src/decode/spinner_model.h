// The spinner model: the spinner's table as a latent variable of the document
// (docs/ARCHITECTURE.md, "The spinner model"; shared/docs/SPINNER-MODEL.md).
//
// Generative story. A writer produces clean text y (P_LM). A spinner holds a
// table; for this document each entry o -> s is active or not, and an active
// entry turns each occurrence of o into s with probability rho (rho ~ 1: the
// phrase-table family, which replaces every occurrence; rho < 1: SpinBot-like
// swapping at a rate). Clean text is the empty table.
//
// For a candidate entry e = (o -> s) seen in document x:
//   L_e = sum over occurrences i of s   log10(nu + rho * 10^(lambda * Delta_i))
//       + n_unspun(o) * log10(max(1 - rho, epsilon))
// where Delta_i = log10 P_LM(context with o) - log10 P_LM(context as written),
// n_unspun(o) counts o still written as o, and nu = 1, or max(1 - rho,
// epsilon) when s contains o (the spinner would have rewritten a natural s). With prior q_e that the entry
// is active (from where the pair came from: a user's spinner table, the
// curated paraphrases, WordNet, ...), one active alternative per original:
//   Z_o = (1 - sum_e q_e) + sum_e q_e 10^(L_e),   P(e active | x) = q_e 10^(L_e) / Z_o
//   log10 BF(x | rho) = sum_o log10 Z_o     (spun with this table vs clean)
// rho is unknown: a mixture over a few values (spinner families). An
// occurrence's posterior of having been o:
//   P(a_i = o | x) = P(spun | x) * sum_rho P(rho | x, spun) *
//                    P(e) rho 10^(lambda Delta_i) / (1 + sum_{e' at this span} P(e') rho 10^(lambda Delta_i'))
// where Delta_i in the posterior is the entry's mean Delta over the
// document: every occurrence of a form under one entry shares P(e) and its
// evidence, so repeats agree (the Bayes factor keeps each Delta_i).
// Detection is the same Bayes factor, calibrated.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace unspin::decode {

// The document score: P(spun) = sigmoid(bias + scale * z + log_words * log10 n),
// z = (log10 BF - m(n)) / s(n). On clean text the LM's preference for common
// words makes log10 BF grow with length n (median 0.14 at 100 words, 31 at
// 3,000), so the score compares it with clean text of the same length: m and
// s are the median and the 99th-percentile spread (p99 - median) of log10 BF
// on clean fitting documents (knots over log10 n, linear in between; empty:
// z = log10 BF). `threshold`: the verdict's, at most 0.25% of clean fitting
// documents at or above it. Fitted by `unspin-eval fit` (params.h).
struct DetectionCalibration {
  double scale = 1, bias = 0, log_words = 0;
  std::vector<std::pair<double, double>> null_median, null_spread;
  double threshold = 0.5;
};

struct SpinnerModelParams {
  // log10 of the prior that a candidate pair is an active entry of the
  // spinner's table in a spun document, by the pair's strongest source.
  double log_active_user = -0.1;        // a user's spinner table (times its 1/k prior)
  double log_active_learned = -0.1;     // a learned table (times its learned probability, SCHEMA §9)
  double log_active_paraphrase = -2.3;  // curated paraphrase table
  double log_active_wordnet = -2.9;     // WordNet synonyms
  double log_active_other = -3.4;       // other thesaurus relations, two hops
  double prior_exponent = 1.0;          // weight of log10(lexicon prior)
  double log_name_factor = -1.0;        // capitalised mid-sentence words (names) are spun less often
  double lm_temperature = 0.7;          // lambda: weight of the LM's log10 ratio
  // The LM's ratio saturates at this many log10 units: a trigram model finds
  // every rare word improbable, so beyond a point a larger ratio is no
  // stronger evidence of spinning (delta_eff = cap * tanh(delta / cap)).
  double delta_cap = 3.0;
  double epsilon = 0.03;  // an original left unspun under rho ~ 1
  std::array<double, 4> rhos{0.1, 0.3, 0.6, 0.97};
  std::array<double, 4> rho_weights{0.25, 0.25, 0.25, 0.25};
  double prior_spun_log10_odds = 0.0;  // prior odds that a document is spun
  // Calibration (fitted, see params.h; the model bundle's "decoder.*" and
  // "site.*" values, decode/fitted_params.cpp; the defaults here are neutral):
  // edits P = sigmoid(edit_scale * logit(raw) + edit_bias),
  // with their own scale and bias when the pair came from a user's spinner table
  // (the model's raw posterior is differently reliable there).
  double edit_scale = 1, edit_bias = 0;
  double user_edit_scale = 1, user_edit_bias = 0;
  // When fitted, isotonic calibration replaces the Platt form: knots
  // (raw posterior, P(right)), increasing, linear in between.
  // Empty: the fitted isotonic curves (`unspin-eval fit` prints them) made
  // 2.9 false edits per 1k tokens on clean 1,000-word text against 0.65 for
  // the Platt form (bench/RESULTS.md, 2026-11-30), so they are not shipped.
  std::vector<std::pair<double, double>> edit_curve, user_edit_curve;
  // Documents: see DetectionCalibration. Without a user table, and with one
  // (a user's table makes the Bayes factors of clean and spun text alike far
  // larger, so it has its own null and threshold).
  DetectionCalibration detection, user_detection;
  // A learned table's edits and a lexicon edit on a site with a learned
  // table (decode/site_learner.h learned_edit_confidence,
  // site_generic_edit_confidence).
  std::array<double, 6> learned_edit_weights{};
  std::array<double, 3> site_generic_edit_weights{};
  // With --same-source: the chance an entry of the site's table is applied in one document.
  double site_apply = 0.8;
};

// One occurrence of a candidate replacement: arc `arc` of the document says
// the written span could have been `original`.
struct Occurrence {
  std::uint32_t entry;  // index into SpinnerModel::entries()
  std::uint32_t span;   // occurrences with the same span id compete (same words)
  double delta;         // log10 LM gain of the original over the written span, in context
  // The written words [word_begin, word_end), numbered across the document
  // (sentences apart). Spans whose words overlap compete too: one written
  // word was rewritten by at most one entry. Empty (0, 0): no overlap known.
  std::uint32_t word_begin = 0, word_end = 0;
};

struct Entry {
  std::string original, spun;    // folded phrases
  double log10_prior;            // log10 q_e (before site pooling)
  double site_log10_adjust = 0;  // added by same-source pooling
  double unigram_gain = 0;       // log10 P(original) - log10 P(spun), no context (the word choice)
  int unspun = 0;                // occurrences of `original` written as it is, outside `spun`
  // `spun` contains `original` ("some" -> "some of the"): a spinner applying
  // the entry would have replaced the original inside a natural occurrence of
  // `spun` too, so under this entry a written `spun` is natural only with
  // probability max(1 - rho, epsilon).
  bool spun_contains_original = false;
  std::uint32_t original_group = 0;  // entries with the same original share one choice
};

struct ModelResult {
  double log10_bf = 0;                  // log10 P(x | spun) / P(x | clean)
  double p_spun = 0;                    // with the prior odds, before calibration
  std::vector<double> posterior;        // per occurrence: P(a_i = original | x)
  std::vector<double> entry_posterior;  // per entry: P(active | x, spun), mixed over rho
  std::vector<double> entry_log10_z;    // per entry's original group: log10 Z_o (reasons)
  double expected_rho = 0;
};

class SpinnerModel {
 public:
  explicit SpinnerModel(const SpinnerModelParams& params) : params_(params) {}

  std::uint32_t add_entry(Entry entry);  // merged by (original, spun)
  // An original whose spinner-table entry is known (a user's table): its
  // alternatives together have prior `q_total` of being active, and it is
  // written unspun `unspun` times. Alternatives that do not occur in the
  // document still explain nothing, so each written original counts against
  // them: this is how a clean document full of a table's originals shows
  // that no spinner with that table touched it.
  void add_known_original(const std::string& original, double q_total, int unspun);
  std::uint32_t entry_index(const std::string& original, const std::string& spun) const;
  // The entry (original -> spun) when the model has it, its prior raised to
  // `log10_prior` if that is higher (as add_entry() does); else UINT32_MAX.
  // Builds no strings once warm: the decoder asks this for every arc.
  std::uint32_t find_and_raise(const std::string& original, const std::string& spun, double log10_prior);
  void add_occurrence(Occurrence occurrence) { occurrences_.push_back(occurrence); }
  std::vector<Entry>& entries() { return entries_; }
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Occurrence>& occurrences() { return occurrences_; }
  const std::vector<Occurrence>& occurrences() const { return occurrences_; }

  ModelResult evaluate() const;
  // The model of part of the document (a paragraph): those occurrences, their
  // entries with the document's unspun counts, their originals' known totals.
  // Its size is that of the part, so scoring every paragraph stays linear.
  SpinnerModel restricted_to(const std::vector<std::uint32_t>& occurrences) const;
  const SpinnerModelParams& params() const { return params_; }

 private:
  SpinnerModelParams params_;
  std::vector<Entry> entries_;
  std::vector<Occurrence> occurrences_;
  std::unordered_map<std::string, std::uint32_t> index_;   // original \t spun -> entry
  std::string probe_;                                      // reused key of find_and_raise
  std::unordered_map<std::string, std::uint32_t> groups_;  // original -> group id
  std::vector<double> group_total_;                        // per group: known total prior of its alternatives, or -1
  std::vector<int> group_unspun_;                          // per group: written occurrences of the original
  std::uint32_t group_of(const std::string& original);
};

double log10_sum_exp10(double a, double b);

}  // namespace unspin::decode
