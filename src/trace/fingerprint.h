// Retrieval features: what a spinner leaves alone, hashed (internal).
//
// Two kinds of feature, both 64-bit hashes tagged by kind:
//  - anchor order: each run of `anchor_gram` consecutive anchors (names,
//    numbers, acronyms: trace/words.h), in order. Spinners do not touch
//    anchors and rarely reorder sentences, so these survive any spin rate
//    and phrase-level rewriting between anchors.
//  - skeleton shingles: `skeleton_words` consecutive words with every
//    content word replaced by a wildcard (function words and anchors kept).
//    A word-for-word synonym swap leaves the skeleton unchanged. Kept only
//    when hash % skeleton_sample == 0, a content-defined sample, so a query
//    keeps exactly the shingles its source kept.
// The archive stores the parameters it was built with (describe()) and a
// query must use the same ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trace/words.h"

namespace unspin::trace {

struct FingerprintParams {
  int anchor_gram = 2;           // anchors per anchor-order feature (1..4)
  int skeleton_words = 7;        // words per skeleton shingle (3..12)
  int skeleton_sample = 4;       // keep one skeleton shingle in this many (1..64)
  std::string describe() const;  // "fingerprint-v1 anchor_gram=2 skeleton_words=7 skeleton_sample=2"
  // Throws Error(kUsage) when a value is out of range.
  void validate() const;
};

enum class FeatureKind : std::uint8_t { kAnchorOrder = 1, kSkeleton = 2 };
FeatureKind feature_kind(std::uint64_t feature);

// Sorted, unique features of a document's words.
std::vector<std::uint64_t> fingerprint(const std::vector<Word>& words, const FingerprintParams& params);

}  // namespace unspin::trace
