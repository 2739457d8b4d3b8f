// `unspin-eval eval tortured`: listed and unlisted tortured phrases (issue 21).
//
// The Paper Screener's list (data/pps/) is split by correct term, as the
// corpora are split by document id: a pair is in the eval part iff
// FNV-1a-64(its cleaned correct term, or its tortured form where the term is
// unknown) % 10 < 3. Everything the product uses is then built from the fitting
// part only (the listed matcher, the learned substitutions), so that a phrase
// of the eval part is genuinely unlisted: no correct term of the eval part is
// seen in fitting.
//
// Test documents: excerpts (~300 words) of clean eval-part Brown category J
// (learned and scientific writing, `brown/cj*`), with tortured phrases written
// into short sentences inserted between the excerpt's sentences ("This
// approach relies on the <phrase>."), inflected as in papers (plural,
// capitalised, title case, hyphenated). Listed set: phrases of the fitting
// part (a functional check of the matcher); unlisted set: phrases of the eval
// part that the fitting list does not match. Clean set: eval-part excerpts of
// every genre and of Brown J, run with the full built-in list.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "unspin/restore.h"

namespace unspin::eval {

struct TorturedConfig {
  std::string corpora_dir;
  std::string models_dir;       // empty: ModelPaths::defaults()
  std::size_t phrases = 400;    // per set (listed, unlisted)
  std::size_t per_doc = 2;      // phrases inserted per excerpt
  std::size_t clean_docs = 60;  // clean excerpts per genre source
  std::size_t words = 300;      // excerpt length
  std::uint64_t seed = 1;
  // Fitting mode: the list's fitting part is split again (pairs with
  // FNV % 10 in {3, 4, 5} play the unlisted part, the rest are listed) and the
  // text is the corpora's build part: what the unlisted finder's parameters
  // are chosen on. The eval part is then never read.
  bool fit_part = false;
  double review_threshold = 0.2;  // RestoreOptions::review_threshold
  // When set, every candidate window of the unlisted finder in the unlisted
  // set's documents is written here as TSV (label: overlaps a planted phrase;
  // the Suspect's features), for fitting its weights (--fit-part only).
  std::string dump_candidates;
};

// One set's figures (docs/EVALUATION.md, "Tortured phrases").
struct TorturedSet {
  std::size_t phrases = 0;       // inserted
  std::size_t with_correct = 0;  // whose correct term the list knows
  std::size_t detected = 0;      // overlapped by a match or review span
  std::size_t spans = 0;         // matches and review spans in the documents (tortured-phrase spans only)
  std::size_t true_spans = 0;    // of them, overlapping an inserted phrase
  std::size_t all_spans = 0;     // every match and review span (the decoder's own included)
  std::size_t all_true_spans = 0;
  std::size_t suspect_spans = 0;                   // of `spans`, the unlisted finder's review spans
  std::size_t suspect_true = 0;                    // of them, overlapping an inserted phrase
  std::size_t restored = 0;                        // phrases whose edit gives the correct term
  std::size_t proposed = 0;                        // phrases whose review span proposes the correct term (edit or not)
  std::size_t proposals = 0, proposals_right = 0;  // tortured review spans with an original; right ones
  std::size_t edits = 0;                           // applied edits (tortured-phrase rules)
  std::size_t edits_right = 0;                     // of them, giving an inserted phrase's correct term
  std::size_t words = 0;
};

struct TorturedCleanCell {
  std::string source;
  std::size_t docs = 0, words = 0;
  std::size_t listed = 0;    // UNSPIN_LISTED matches
  std::size_t unlisted = 0;  // the unlisted finder's review spans
  std::size_t all = 0;       // every match and non-applied review span
  std::size_t edits = 0, candidates = 0,
              unusual_pairs = 0;  // of `all`: the decoder's edits, candidate and unusual-wording spans
  double per_2000(std::size_t n) const { return words ? 2000.0 * n / words : 0.0; }
};

struct TorturedReport {
  std::size_t fit_pairs = 0, eval_pairs = 0, fit_patterns = 0;
  TorturedSet listed, unlisted;
  std::vector<TorturedCleanCell> clean;
  double seconds = 0;
  nlohmann::json summary() const;  // "tortured/..." keys for bench/floors.json
  std::string markdown() const;
};

// The eval part of the list (true) or its fitting part (false) for a pair.
bool tortured_eval_part(std::string_view raw_correct, std::string_view raw_tortured);
// FNV-1a-64 % 10 of the pair's split key (cleaned correct term, else tortured form).
unsigned tortured_split_bucket(std::string_view raw_correct, std::string_view raw_tortured);

TorturedReport run_tortured(const TorturedConfig& config, const std::function<void(const std::string&)>& log = {});

}  // namespace unspin::eval
