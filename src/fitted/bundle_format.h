// The model bundle's binary format (.ubundle; docs/LM.md, "The model
// bundle"): every fitted parameter of unspin in one file, in the .ulm style
// (lm/ulm_format.h): magic, version, byte-order probe, struct sizes, a
// COMPLETE marker written last, a body checksum, and what the parameters
// were fitted with: the checksums of the LM and the lexicon, the feature
// definitions' version, the fit command and the corpora.
//
// Layout, little-endian: BundleHeader, then 64-byte-aligned payloads, then
// the section directory (BundleSection[section_count]). A payload is
//   kTrees:  TreesHeader, uint32 roots[tree_count] (padded to 8 bytes),
//            fitted::TreeNode nodes[node_count]
//   kValues: double values[size / 8]
//   kText:   UTF-8 bytes (not terminated)
#pragma once

#include <cstdint>

#include "fitted/trees.h"

namespace unspin::fitted {

inline constexpr char kBundleMagic[8] = {'U', 'N', 'S', 'P', 'F', 'I', 'T', '\x1a'};
inline constexpr std::uint32_t kBundleVersion = 1;
inline constexpr std::uint32_t kBundleEndianProbe = 0x01020304u;
inline constexpr std::uint64_t kBundleComplete = 0x4554454C504D4F43ull;  // "COMPLETE"
inline constexpr std::size_t kBundleAlign = 64;

// The version of the feature definitions the fitted parameters read. Bump it
// whenever the meaning of a feature changes: detect/evidence.cpp (the word
// model's facts, detect/word_model.h WordFeature, and the detector's
// counts), detect/detector.cpp's feature vectors, or the site learner's pair
// features (decode/site_counts.cpp pair_features). A bundle records the
// version it was fitted for; one of another version is refused
// (ErrorCode::kModelMismatch) until it is refitted (`unspin-eval fit`).
inline constexpr std::uint32_t kFeatureVersion = 1;

// The name under which a bundle sits in a --models folder.
inline constexpr const char* kBundleFileName = "fitted.ubundle";

enum class SectionKind : std::uint32_t { kTrees = 1, kValues = 2, kText = 3 };

struct BundleSection {
  char name[48];       // NUL-padded, e.g. "word_model", "detector.screen"
  std::uint32_t kind;  // SectionKind
  std::uint32_t reserved;
  std::uint64_t offset;  // from the start of the file, a multiple of kBundleAlign
  std::uint64_t size;    // bytes
};
static_assert(sizeof(BundleSection) == 72);

struct TreesHeader {
  std::uint32_t feature_count;
  std::uint32_t tree_count;
  std::uint64_t node_count;
  double baseline;
};
static_assert(sizeof(TreesHeader) == 24);

struct BundleHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t endian_probe;
  // Sanity values: a reader built with other struct layouts refuses the file.
  std::uint32_t header_size;
  std::uint32_t section_size;
  std::uint32_t tree_node_size;
  std::uint32_t feature_version;  // kFeatureVersion of the fit
  // The identities of the LM and lexicon the parameters are for, as Models
  // computes them for provenance (docs/SCHEMA.md §2 "checksum": FNV-1a of the
  // file's size and first 64 KiB, which hold its header and body checksum).
  std::uint64_t lm_checksum;
  std::uint64_t lexicon_checksum;
  std::uint64_t section_count;
  std::uint64_t directory_offset;  // BundleSection[section_count], a multiple of kBundleAlign
  std::uint64_t file_size;
  std::uint64_t body_checksum;  // fnv1a64 over bytes [header_size, file_size)
  std::uint64_t complete;       // kBundleComplete once the file is whole
};
// Pinned: changing the header means a new kBundleVersion.
static_assert(sizeof(BundleHeader) == 88);

}  // namespace unspin::fitted
