#include "trace/fingerprint.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "trace/ingest.h"
#include "unspin/error.h"

namespace unspin::trace {
namespace {

std::vector<std::uint64_t> features_of(std::string_view text, FingerprintParams p = {}) {
  const TokenizedText t = tokenize(text);
  return fingerprint(document_words(t), p);
}

std::size_t shared(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::vector<std::uint64_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return both.size();
}

constexpr std::string_view kOriginal =
    "The company's chief executive told reporters in Boston on Tuesday that prices had risen by 12 "
    "percent during the past months, and that Smith would meet the board of Acme in March.";
// Every content word swapped one for one; names and numbers untouched.
constexpr std::string_view kSpun =
    "The firm's main govt instructed journalists in Boston on Wednesday that costs had climbed by 12 "
    "percent during the previous weeks, and that Smith would greet the panel of Acme in March.";

TEST(Fingerprint, WordForWordSwapsKeepTheFeatures) {
  FingerprintParams every;
  every.skeleton_sample = 1;
  const auto a = features_of(kOriginal, every), b = features_of(kSpun, every);
  ASSERT_FALSE(a.empty());
  // "Tuesday" -> "Wednesday" changes one anchor: the others' order survives.
  EXPECT_GE(shared(a, b), a.size() / 2);
}

TEST(Fingerprint, UnrelatedTextSharesLittle) {
  const auto a = features_of(kOriginal);
  const auto c = features_of(
      "Rain fell over the hills of Wales for three days, and the farmers of Powys counted 40 sheep lost "
      "to the floods near Builth while the river rose.");
  EXPECT_LE(shared(a, c), 1u);
}

TEST(Fingerprint, SortedUniqueTaggedAndSampled) {
  const auto all = features_of(kOriginal, FingerprintParams{2, 7, 1});
  const auto half = features_of(kOriginal, FingerprintParams{2, 7, 2});
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_LT(half.size(), all.size());
  EXPECT_EQ(shared(all, half), half.size());  // the sample is a subset
  for (auto f : all) {
    const FeatureKind k = feature_kind(f);
    EXPECT_TRUE(k == FeatureKind::kAnchorOrder || k == FeatureKind::kSkeleton);
  }
}

TEST(FingerprintParams, DescribeParsesBackAndValidates) {
  const FingerprintParams p{3, 6, 4};
  auto back = parse_fingerprint_params(p.describe());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->describe(), p.describe());
  EXPECT_FALSE(parse_fingerprint_params("fingerprint-v2 anchor_gram=2").has_value());
  EXPECT_FALSE(parse_fingerprint_params("fingerprint-v1 anchor_gram=9 skeleton_words=7 skeleton_sample=2").has_value());
  EXPECT_THROW((FingerprintParams{0, 7, 2}.validate()), Error);
}

}  // namespace
}  // namespace unspin::trace
