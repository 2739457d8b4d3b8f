#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "fitted/bundle.h"
#include "fitted/trees.h"
#include "unspin/error.h"

namespace unspin::fitted {
namespace {

// Tree 0 splits on x[1] at 0.5 (then on x[0] at -1 on its right); tree 1 is
// a single leaf.
BundleContents small_contents() {
  BundleContents c;
  c.lm_checksum = 0x0123456789abcdefull;
  c.lexicon_checksum = 0xfedcba9876543210ull;
  TreesData t;
  t.baseline = 0.5;
  t.feature_count = 2;
  t.nodes = {{1, 0.5f, 1, 2, 0}, {-1, 0, 0, 0, -1.0}, {0, -1.0f, 3, 4, 0},
             {-1, 0, 0, 0, 2.0}, {-1, 0, 0, 0, 4.0},  {-1, 0, 0, 0, 0.25}};
  t.roots = {0, 5};
  c.trees["small"] = t;
  c.values["numbers"] = {1.5, -2.25, 1e-300};
  c.values["empty"] = {};
  c.texts["fit_command"] = "unspin-eval fit --test";
  c.texts["lm"] = "en-us.ulm";
  return c;
}

TEST(BoostedTrees, GoRightWhenAboveTheThresholdAndAddTheLeaves) {
  const BundleContents c = small_contents();
  const TreesData& t = c.trees.at("small");
  const BoostedTrees trees(t.baseline, 2, t.nodes.data(), t.nodes.size(), t.roots.data(), t.roots.size());
  EXPECT_EQ(trees.trees(), 2u);
  const float at_threshold[] = {0, 0.5f};  // x <= threshold goes left
  EXPECT_DOUBLE_EQ(trees.sum(at_threshold), 0.5 - 1.0 + 0.25);
  const float right_left[] = {-1.0f, 0.75f};
  EXPECT_DOUBLE_EQ(trees.sum(right_left), 0.5 + 2.0 + 0.25);
  const float right_right[] = {0.0f, 0.75f};
  EXPECT_DOUBLE_EQ(trees.sum(right_right), 0.5 + 4.0 + 0.25);
  const float nan_goes_left[] = {0, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_DOUBLE_EQ(trees.sum(nan_goes_left), 0.5 - 1.0 + 0.25);
  // The batch walk gives each row what sum() gives it, for any count of rows.
  const float rows[] = {0, 0.5f, -1.0f, 0.75f, 0.0f, 0.75f};
  for (std::size_t n = 1; n <= 3; ++n) {
    double out[3];
    trees.sum_batch(rows, n, 2, out);
    for (std::size_t i = 0; i < n; ++i) EXPECT_DOUBLE_EQ(out[i], trees.sum(rows + 2 * i)) << i;
  }
}

TEST(BoostedTrees, RefuseMalformedTrees) {
  const std::uint32_t root[] = {0};
  const TreeNode loop[] = {{0, 0.5f, 0, 1, 0}, {-1, 0, 0, 0, 1.0}};  // node 0 is its own child
  EXPECT_THROW(BoostedTrees(0, 1, loop, 2, root, 1), std::invalid_argument);
  const TreeNode out_of_range[] = {{0, 0.5f, 1, 5, 0}, {-1, 0, 0, 0, 1.0}};
  EXPECT_THROW(BoostedTrees(0, 1, out_of_range, 2, root, 1), std::invalid_argument);
  const TreeNode bad_feature[] = {{1, 0.5f, 1, 2, 0}, {-1, 0, 0, 0, 1.0}, {-1, 0, 0, 0, 1.0}};
  EXPECT_THROW(BoostedTrees(0, 1, bad_feature, 3, root, 1), std::invalid_argument);
  const std::uint32_t bad_root[] = {7};
  const TreeNode leaf[] = {{-1, 0, 0, 0, 1.0}};
  EXPECT_THROW(BoostedTrees(0, 1, leaf, 1, bad_root, 1), std::invalid_argument);
  EXPECT_THROW(BoostedTrees(0, 0, leaf, 1, root, 1), std::invalid_argument);  // no feature
}

TEST(FloatAtOrBelow, SendsEveryFloatAsTheDoubleThresholdDid) {
  const double thresholds[] = {0.1, -0.1, 4.405210018157959, 1e-40, -3.0, 0.375};
  for (double t : thresholds) {
    const float f = float_at_or_below(t);
    EXPECT_LE(static_cast<double>(f), t);
    const float up = std::nextafter(f, std::numeric_limits<float>::infinity());
    EXPECT_GT(static_cast<double>(up), t) << t;  // the next float goes right in both
  }
  EXPECT_EQ(float_at_or_below(0.375), 0.375f);  // a float threshold stays as it is
}

TEST(Bundle, RoundTripsEverySection) {
  const BundleContents c = small_contents();
  const std::string bytes = serialize_bundle(c);
  BundleHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  EXPECT_EQ(h.file_size, bytes.size());
  EXPECT_EQ(h.directory_offset % kBundleAlign, 0u);
  const auto b = Bundle::parse(bytes, "small.ubundle");
  EXPECT_EQ(b->feature_version(), kFeatureVersion);
  EXPECT_EQ(b->lm_checksum(), c.lm_checksum);
  EXPECT_EQ(b->lexicon_checksum(), c.lexicon_checksum);
  EXPECT_EQ(b->values("numbers", 3), c.values.at("numbers"));
  EXPECT_TRUE(b->values("empty", 0).empty());
  EXPECT_EQ(b->text("fit_command"), "unspin-eval fit --test");
  EXPECT_EQ(b->text("absent"), "");
  const float x[] = {-1.0f, 0.75f};
  EXPECT_DOUBLE_EQ(b->trees("small", 2).sum(x), 2.75);
}

// The error's code and that its message contains `part`.
void expect_error(const std::string& bytes, ErrorCode code, const std::string& part) {
  try {
    Bundle::parse(bytes, "x.ubundle");
    ADD_FAILURE() << "accepted; expected " << part;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code);
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("x.ubundle"), std::string::npos) << e.what();
  }
}

TEST(Bundle, RefusesDamagedFilesNamingThemAndHowToRebuild) {
  const std::string good = serialize_bundle(small_contents());
  expect_error("", ErrorCode::kBadModel, "not an unspin model bundle");
  expect_error("UNSPULM\x1a rest", ErrorCode::kBadModel, "not an unspin model bundle");
  expect_error(good.substr(0, 40), ErrorCode::kBadModel, "truncated");
  expect_error(good.substr(0, good.size() - 8), ErrorCode::kBadModel, "truncated");
  std::string flipped = good;
  flipped[sizeof(BundleHeader) + 3] ^= 1;
  expect_error(flipped, ErrorCode::kBadModel, "checksum");
  std::string incomplete = good;
  std::memset(incomplete.data() + offsetof(BundleHeader, complete), 0, 8);
  expect_error(incomplete, ErrorCode::kBadModel, "incomplete");
  std::string version = good;
  version[8] = 99;
  expect_error(version, ErrorCode::kBadModel, "version");
  expect_error(good.substr(0, 40), ErrorCode::kBadModel, "unspin-eval bundle build");
}

TEST(Bundle, AMissingFileIsAModelErrorNamingIt) {
  try {
    Bundle::open("/nonexistent/fitted.ubundle");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/fitted.ubundle"), std::string::npos);
  }
}

TEST(Bundle, AbsentOrMisSizedSectionsAreModelErrors) {
  const auto b = Bundle::parse(serialize_bundle(small_contents()), "small.ubundle");
  EXPECT_THROW(b->values("absent"), Error);
  EXPECT_THROW(b->values("numbers", 2), Error);
  EXPECT_THROW(b->trees("small", 3), Error);
  EXPECT_THROW(b->trees("absent", 2), Error);
}

TEST(CheckBundle, NamesWhatDiffersAndTheFitCommand) {
  const auto b = Bundle::parse(serialize_bundle(small_contents()), "small.ubundle");
  EXPECT_FALSE(check_bundle(*b, "0123456789abcdef", "fedcba9876543210").mismatched);
  const BundleMismatch lm = check_bundle(*b, "0000000000000001", "fedcba9876543210");
  EXPECT_TRUE(lm.mismatched);
  EXPECT_NE(lm.message.find("another language model"), std::string::npos) << lm.message;
  EXPECT_NE(lm.message.find("unspin-eval fit --test"), std::string::npos) << lm.message;
  EXPECT_NE(lm.message.find("--uncalibrated"), std::string::npos) << lm.message;
  const BundleMismatch lexicon = check_bundle(*b, "0123456789abcdef", "");
  EXPECT_NE(lexicon.message.find("another lexicon"), std::string::npos) << lexicon.message;
  BundleContents old = small_contents();
  old.feature_version = kFeatureVersion + 1;
  const BundleMismatch features =
      check_bundle(*Bundle::parse(serialize_bundle(old), "old.ubundle"), "0123456789abcdef", "fedcba9876543210");
  EXPECT_NE(features.message.find("feature definitions version"), std::string::npos) << features.message;
}

TEST(Bundle, WriteThenOpenReadsTheSameBytes) {
  const std::string path = ::testing::TempDir() + "/fitted_test.ubundle";
  write_bundle(small_contents(), path);
  const auto b = Bundle::open(path);
  EXPECT_EQ(b->values("numbers"), small_contents().values.at("numbers"));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace unspin::fitted
