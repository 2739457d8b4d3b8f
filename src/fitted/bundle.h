// The model bundle (fitted/bundle_format.h): reading it into memory, checking
// it against the LM and lexicon in use, and writing it (unspin-eval bundle
// build). Loading a bundle is one read of a file of about 1 MB, its body
// checksum, and one allocation per section (a tree ensemble's nodes are laid
// out once for the evaluator).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fitted/bundle_format.h"
#include "fitted/trees.h"

namespace unspin::fitted {

// One tree ensemble as written into a bundle (and read back by tests).
struct TreesData {
  double baseline = 0;
  std::uint32_t feature_count = 0;
  std::vector<std::uint32_t> roots;
  std::vector<TreeNode> nodes;
};

// What a bundle holds, to write it.
struct BundleContents {
  std::uint32_t feature_version = kFeatureVersion;
  std::uint64_t lm_checksum = 0, lexicon_checksum = 0;
  std::map<std::string, TreesData> trees;
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::string> texts;  // "fit_command", "corpora", "lm", "lexicon", ...
};

// The bundle's bytes; throws std::invalid_argument for a name longer than
// 47 bytes.
std::string serialize_bundle(const BundleContents& contents);
// Writes the bundle to `path` (the COMPLETE marker last). Throws Error(kIo).
void write_bundle(const BundleContents& contents, const std::string& path);

// How to make a bundle again, for error messages.
std::string bundle_rebuild_hint(const std::string& path);

class Bundle {
 public:
  // Reads and checks `path`. Throws Error(kBadModel) naming the file and how
  // to rebuild it when it is missing, foreign, of another version,
  // truncated, incomplete or corrupt (its body checksum is always checked:
  // the file is small).
  static std::shared_ptr<const Bundle> open(const std::string& path);
  // The same over bytes (the fuzz target, tests); `path` names them in errors.
  static std::shared_ptr<const Bundle> parse(std::string_view bytes, const std::string& path);

  const std::string& path() const { return path_; }
  std::uint32_t feature_version() const { return feature_version_; }
  std::uint64_t lm_checksum() const { return lm_checksum_; }
  std::uint64_t lexicon_checksum() const { return lexicon_checksum_; }
  // A text section, "" when absent.
  std::string text(const std::string& name) const;
  // The named tree ensemble, with `feature_count` features. Throws
  // Error(kBadModel) when it is absent or of another width.
  const BoostedTrees& trees(const std::string& name, std::size_t feature_count) const;
  // The named values; throws Error(kBadModel) when absent or, when
  // `count` >= 0, not exactly that many.
  const std::vector<double>& values(const std::string& name, long count = -1) const;
  double value(const std::string& name) const { return values(name, 1)[0]; }
  // Every section's name (inspection, tests).
  std::vector<std::string> section_names() const;

 private:
  std::string path_;
  std::uint32_t feature_version_ = 0;
  std::uint64_t lm_checksum_ = 0, lexicon_checksum_ = 0;
  std::map<std::string, BoostedTrees, std::less<>> trees_;
  std::map<std::string, std::vector<double>, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> texts_;
};

// What a run does with a bundle fitted for other models.
struct BundleMismatch {
  bool mismatched = false;
  std::string message;  // what differs and how to refit, when mismatched
};
// Compares the bundle's record with the LM and lexicon in use (their
// provenance checksums, hex) and this build's kFeatureVersion.
BundleMismatch check_bundle(const Bundle& bundle, const std::string& lm_checksum_hex,
                            const std::string& lexicon_checksum_hex);

// The largest float at or below `t`: a float x is <= t exactly when it is <=
// this, so a double threshold compared against float(x) can be stored as a
// float (trees.h).
float float_at_or_below(double t);

}  // namespace unspin::fitted
