#include "trace/fingerprint.h"

#include <algorithm>

#include "unspin/error.h"

namespace unspin::trace {
namespace {

constexpr std::uint64_t kWildcard = 0x9e3779b97f4a7c15ull;

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 29);
}

// The top byte carries the kind, so the two kinds never collide.
std::uint64_t tag(std::uint64_t h, FeatureKind kind) {
  return (h & 0x00ffffffffffffffull) | (static_cast<std::uint64_t>(kind) << 56);
}

}  // namespace

std::string FingerprintParams::describe() const {
  return "fingerprint-v1 anchor_gram=" + std::to_string(anchor_gram) +
         " skeleton_words=" + std::to_string(skeleton_words) + " skeleton_sample=" + std::to_string(skeleton_sample);
}

void FingerprintParams::validate() const {
  if (anchor_gram < 1 || anchor_gram > 4) throw Error(ErrorCode::kUsage, "anchor_gram must be 1..4");
  if (skeleton_words < 3 || skeleton_words > 12) throw Error(ErrorCode::kUsage, "skeleton_words must be 3..12");
  if (skeleton_sample < 1 || skeleton_sample > 64) throw Error(ErrorCode::kUsage, "skeleton_sample must be 1..64");
}

FeatureKind feature_kind(std::uint64_t feature) { return static_cast<FeatureKind>(feature >> 56); }

std::vector<std::uint64_t> fingerprint(const std::vector<Word>& units, const FingerprintParams& params) {
  std::vector<Word> words;
  words.reserve(units.size());
  for (const Word& w : units) {
    if (w.cls != WordClass::kPunct) words.push_back(w);
  }
  std::vector<std::uint64_t> features;
  features.reserve(words.size() / 2 + 16);

  std::vector<std::uint64_t> anchors;
  for (const Word& w : words) {
    if (w.cls == WordClass::kAnchor) anchors.push_back(w.hash);
  }
  const std::size_t g = static_cast<std::size_t>(params.anchor_gram);
  for (std::size_t i = 0; i + g <= anchors.size(); ++i) {
    std::uint64_t h = 0x4143484f52ull;  // "ANCHOR"
    for (std::size_t k = 0; k < g; ++k) h = mix(h, anchors[i + k]);
    features.push_back(tag(h, FeatureKind::kAnchorOrder));
  }

  const std::size_t n = static_cast<std::size_t>(params.skeleton_words);
  for (std::size_t i = 0; i + n <= words.size(); ++i) {
    std::uint64_t h = 0x534b454cull;  // "SKEL"
    int kept = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const Word& w = words[i + k];
      const bool wildcard = w.cls == WordClass::kContent;
      kept += !wildcard;
      h = mix(h, wildcard ? kWildcard : w.hash);
    }
    // An all-wildcard window says nothing about this document.
    if (kept == 0) continue;
    if (h % static_cast<std::uint64_t>(params.skeleton_sample) != 0) continue;
    features.push_back(tag(h, FeatureKind::kSkeleton));
  }
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  return features;
}

}  // namespace unspin::trace
