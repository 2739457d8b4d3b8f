// Restore and check: the product's public entry point.
//
//   auto models = unspin::Models::load(unspin::ModelPaths::defaults());
//   unspin::Restorer restorer(*models, {});
//   unspin::DocumentResult r = restorer.run(text);
//
// A Restorer is immutable after construction and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "unspin/lexicon.h"
#include "unspin/lm.h"

namespace unspin {

struct ModelPaths {
  std::string lm;                          // .ulm
  std::string lexicon;                     // .ulex
  std::vector<std::string> user_lexicons;  // .ulex, .tsv or Paper Screener .csv
  // Resolves the default model folder: $UNSPIN_MODELS, else the folder setup.sh fills.
  static ModelPaths defaults();
  static ModelPaths in_folder(const std::string& folder);
};

struct Models {
  std::unique_ptr<LanguageModel> lm;
  LexiconStack lexicons;
  static std::unique_ptr<Models> load(const ModelPaths& paths);
};

struct RestoreOptions {
  std::size_t max_input_bytes = 64u << 20;  // larger input -> Error(kTooLarge)
  int beam_width = 8;                       // hypotheses kept per lattice position
  int max_phrase_words = 4;                 // longest spun span considered
  bool adapt = true;                        // re-estimate the channel per document
  double min_confidence = 0.5;              // edits below this posterior are not applied
  // Score at or above which a document is "spun": the lowest at which no clean
  // build-part document was flagged when the detection model was fitted.
  double verdict_threshold = 0.86;
};

struct Edit {
  std::uint32_t byte_begin, byte_end;  // span of the spun text in the input
  std::uint32_t cp_begin, cp_end;      // the same span in code points
  std::string spun;                    // the input text of the span, as written
  std::string original;                // proposed original, cased to fit
  double confidence;                   // posterior probability the edit is right
  std::string rule = "UNSPIN_SUBSTITUTION";  // or "UNSPIN_ARTICLE": a/an fixed next to an edit
};

struct DocumentResult {
  double score = 0;          // calibrated probability the document is spun
  double spin_rate = 0;      // estimated fraction of eligible words substituted
  bool spun = false;         // score >= RestoreOptions::verdict_threshold
  std::size_t tokens = 0;    // word tokens in the document
  std::vector<Edit> edits;   // in input order, non-overlapping
  std::string restored;      // input with the edits applied
};

class Restorer {
 public:
  Restorer(const Models& models, RestoreOptions options);
  ~Restorer();
  Restorer(const Restorer&) = delete;
  Restorer& operator=(const Restorer&) = delete;

  // Throws unspin::Error for invalid UTF-8, binary or oversized input.
  DocumentResult run(std::string_view text) const;
  // Documents from one source share a spinner: its table is estimated
  // across all of them before decoding each (--same-source).
  std::vector<DocumentResult> run_same_source(const std::vector<std::string_view>& texts) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Validates untrusted input (UTF-8, binary, size, empty); throws unspin::Error.
void validate_input(std::string_view bytes, std::size_t max_bytes);

std::string_view version();

}  // namespace unspin
