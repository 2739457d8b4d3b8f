// The decoder's stages for one or more documents, exposed to the library's
// own tools (the evaluation harness fits the edit and detection models on
// them). Users go through unspin::Restorer.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "decode/channel.h"
#include "decode/document.h"
#include "decode/lattice.h"
#include "decode/params.h"
#include "unspin/restore.h"

namespace unspin::decode {

struct DocumentState {
  TokenizedText text;
  std::vector<Sentence> sentences;
  std::vector<Lattice> lattices;
  std::size_t eligible = 0, words = 0;
  double first_pass_rate = 0;  // expected substitutions per eligible word, first pass
  // Share of eligible words some candidate original beats by >= 1.5 log10 in
  // the written context: a model-free measure of how improbable the text is.
  double suspicious_rate = 0;
};

// An edit the search chose, with the evidence the edit model weighs.
struct Decision {
  std::size_t sentence;
  const Arc* arc;
  std::uint32_t byte_begin, byte_end;  // spun span in the input
  EditFeatures features;
  double margin;      // log10 path-score gain over keeping the span
  double confidence;  // edit model's posterior that the edit is right
};

class Pipeline {
 public:
  Pipeline(const Models& models, const RestoreOptions& options, const DecoderParams& params);

  DocumentState prepare(std::string_view text) const;
  // Decodes, estimates the spinner from the first pass (pooled over `docs`),
  // decodes again; returns every candidate decision of each document (all
  // lattice arcs, scored; overlapping ones are resolved by finish()).
  std::vector<std::vector<Decision>> decode(const std::vector<DocumentState*>& docs) const;
  // Applies decisions above the confidence threshold; scores the document.
  DocumentResult finish(const DocumentState& doc, const std::vector<Decision>& decisions) const;
  // The detection model's inputs for a decoded document.
  DetectionFeatures detection_features(const DocumentState& doc,
                                       const std::vector<Decision>& decisions) const;

 private:
  std::vector<Decision> decode_pass(DocumentState& doc, const ChannelModel& channel) const;

  const Models& models_;
  RestoreOptions options_;
  DecoderParams params_;
  LatticeOptions lattice_options_;
};

}  // namespace unspin::decode
