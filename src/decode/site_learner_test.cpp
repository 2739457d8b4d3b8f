// SiteCounts (merge, text form), site_of_url, the pair prior's trees, a
// learned edit's confidence and
// the count of learned pairs a model set holds: the parts of the site
// learner that need no models. The learner itself is measured by
// `unspin-eval eval sites` and exercised end to end in tests/e2e.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "decode/site_counts.h"
#include "decode/site_learner.h"
#include "decode/fitted_params.h"
#include "fitted/bundle.h"
#include "decode/testing_fakes.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin {
namespace {

// The default bundle's parameters (the build writes it beside the default models).
const decode::FittedParams& default_fitted() {
  static const decode::FittedParams params(
      fitted::Bundle::open(std::string(UNSPIN_MODELS_DIR) + "/" + fitted::kBundleFileName));
  return params;
}

using decode::FillContext, decode::kFillContexts, decode::kLearnFeatures, decode::PairCounts, decode::PairFeatures;

SiteCounts page(const std::string& original, const std::string& spun, std::size_t fold, double restored) {
  SiteCounts c;
  PairCounts p;
  p.pages = 1;
  p.words = 300;
  p.spun = 2;
  p.restored = restored;
  p.posterior = 0.75;
  p.consistent = 1;
  p.fold_restored[fold] = restored;
  p.fold_posterior[fold] = 0.75;
  p.fold_pages[fold] = 1;
  c.sums().pairs[original + '\t' + spun] = p;
  c.sums().add_page(300);
  return c;
}

TEST(SiteCounts, MergeAddsEverySum) {
  SiteCounts site;
  site.merge(page("said", "stated", 1, 2));
  site.merge(page("said", "stated", 3, 1));
  site.merge(page("big", "huge", 3, 1));
  EXPECT_EQ(site.pages(), 3u);
  EXPECT_EQ(site.words(), 900u);
  const PairCounts& p = site.sums().pairs.at("said\tstated");
  EXPECT_EQ(p.pages, 2);
  EXPECT_EQ(p.restored, 3);
  EXPECT_EQ(p.posterior, 1.5);
  EXPECT_EQ(p.fold_restored[1], 2);
  EXPECT_EQ(p.fold_restored[3], 1);
  EXPECT_EQ(p.fold_pages[0], 0);
}

TEST(SiteCounts, TextFormRoundTripsAndMergesLikeTheCounts) {
  SiteCounts a = page("said", "stated", 1, 2), b = page("said", "stated", 5, 1);
  SiteCounts merged = a;
  merged.merge(b);
  SiteCounts via_text = SiteCounts::parse(a.serialize());
  via_text.merge(SiteCounts::parse(b.serialize()));
  EXPECT_EQ(via_text.serialize(), merged.serialize());
  EXPECT_EQ(via_text.pages(), 2u);
}

TEST(SiteCounts, RejectsWhatItDidNotWrite) {
  EXPECT_THROW(SiteCounts::parse(""), Error);
  EXPECT_THROW(SiteCounts::parse("said\tstated\t1\n"), Error);
  EXPECT_THROW(SiteCounts::parse("# unspin site-counts v1\n"), Error);  // no pages=, words=
  std::string text = page("said", "stated", 0, 1).serialize();
  EXPECT_NO_THROW(SiteCounts::parse(text));
  std::string bad = text;
  bad.replace(bad.rfind('\t') + 1, 1, "x");  // a field that is not a count
  EXPECT_THROW(SiteCounts::parse(bad), Error);
  std::string negative = text;
  negative.replace(negative.find("\t1\t") + 1, 1, "-1");
  EXPECT_THROW(SiteCounts::parse(negative), Error);
  EXPECT_THROW(SiteCounts::parse(text + "said\tstated\n"), Error);  // too few fields
}

FillContext context(std::uint64_t hash, std::uint32_t fold, const std::string& left = "the") {
  FillContext c;
  c.hash = hash;
  c.fold = fold;
  c.words = {"<s>", left, "of", "the"};
  return c;
}

TEST(SiteCounts, MergeAddsWordsAndKeepsTheSmallestContextsOfEachFold) {
  SiteCounts a, b;
  a.sums().forms["gasoline"] = {3, 1};
  b.sums().forms["gasoline"] = {2, 1};
  b.sums().forms["price"] = {1, 1};
  for (std::uint64_t h = 0; h < 2 * kFillContexts; ++h) {
    a.sums().add_context("gasoline", context(100 + 2 * h, 1));
    b.sums().add_context("gasoline", context(101 + 2 * h, 1));
  }
  b.sums().add_context("gasoline", context(5, 2, "cost"));
  SiteCounts ab = a, ba = b;
  ab.merge(b);
  ba.merge(a);
  EXPECT_EQ(ab.serialize(), ba.serialize());  // the sample does not depend on the order
  EXPECT_EQ(ab.sums().forms.at("gasoline").count, 5);
  EXPECT_EQ(ab.sums().forms.at("gasoline").pages, 2);
  const auto& sample = ab.sums().contexts.at("gasoline");
  EXPECT_EQ(sample.size(), kFillContexts + 1);  // fold 1 capped, fold 2's one context
  for (const FillContext& c : sample) {
    if (c.fold == 1) {
      EXPECT_LT(c.hash, 100 + kFillContexts);  // the smallest hashes of both sides
    }
  }
  // One run adding every context in any order keeps the same sample.
  SiteCounts one;
  for (std::uint64_t h = 2 * kFillContexts; h-- > 0;) {
    one.sums().add_context("gasoline", context(101 + 2 * h, 1));
    one.sums().add_context("gasoline", context(100 + 2 * h, 1));
  }
  one.sums().add_context("gasoline", context(5, 2, "cost"));
  EXPECT_EQ(one.sums().contexts.at("gasoline").size(), kFillContexts + 1);
  one.sums().forms = ab.sums().forms;
  one.sums().add_page(0);
  one.sums().add_page(0);
  EXPECT_EQ(SiteCounts::parse(one.serialize()).sums().contexts.at("gasoline").size(), kFillContexts + 1);
}

TEST(SiteCounts, TextFormCarriesWordsAndContextsAndReadsVersion1) {
  SiteCounts a = page("said", "stated", 1, 2);
  a.sums().forms["stated"] = {7, 2};
  a.sums().add_context("stated", context(42, 3));
  const std::string text = a.serialize();
  EXPECT_EQ(text.rfind("# unspin site-counts v2 pages=1 words=300\n", 0), 0u);
  EXPECT_NE(text.find("~f\tstated\t7\t2\n"), std::string::npos);
  EXPECT_NE(text.find("~c\tstated\t3\t42\t<s>\tthe\tof\tthe\n"), std::string::npos);
  const SiteCounts back = SiteCounts::parse(text);
  EXPECT_EQ(back.serialize(), text);
  EXPECT_EQ(back.sums().forms.at("stated").count, 7);
  ASSERT_EQ(back.sums().contexts.at("stated").size(), 1u);
  EXPECT_EQ(back.sums().contexts.at("stated")[0], context(42, 3));
  // Phrase forms (LM fill-in reads two-word forms) travel the same way.
  a.sums().forms["human beings"] = {5, 3};
  a.sums().add_context("human beings", context(7, 1));
  const SiteCounts phrases = SiteCounts::parse(a.serialize());
  EXPECT_EQ(phrases.sums().forms.at("human beings").count, 5);
  EXPECT_EQ(phrases.sums().contexts.at("human beings")[0], context(7, 1));
  // A v1 file (before LM fill-in) has pair lines only and still merges.
  std::string v1 = page("said", "stated", 1, 2).serialize();
  const std::size_t end = v1.find('\n');
  v1 = "# unspin site-counts v1" + v1.substr(std::string("# unspin site-counts v2").size(), end - 23) + v1.substr(end);
  const SiteCounts old = SiteCounts::parse(v1);
  EXPECT_EQ(old.pages(), 1u);
  EXPECT_EQ(old.sums().pairs.at("said\tstated").restored, 2);
  EXPECT_TRUE(old.sums().forms.empty());
}

TEST(SiteCounts, RejectsMalformedWordAndContextLines) {
  const std::string head = "# unspin site-counts v2 pages=1 words=3\n";
  EXPECT_NO_THROW(SiteCounts::parse(head + "~f\tfuel\t2\t1\n~c\tfuel\t0\t9\ta\tb\tc\td\n"));
  EXPECT_THROW(SiteCounts::parse(head + "~f\tfuel\t2\n"), Error);
  EXPECT_THROW(SiteCounts::parse(head + "~f\tfuel\tx\t1\n"), Error);
  EXPECT_THROW(SiteCounts::parse(head + "~c\tfuel\t8\t9\ta\tb\tc\td\n"), Error);  // fold >= 8
  EXPECT_THROW(SiteCounts::parse(head + "~c\tfuel\t0\t-9\ta\tb\tc\td\n"), Error);
  EXPECT_THROW(SiteCounts::parse(head + "~c\tfuel\t0\t9\ta\t\tc\td\n"), Error);  // an empty word
  EXPECT_THROW(SiteCounts::parse(head + "~c\tfuel\t0\t9\ta\tb\tc\n"), Error);
  EXPECT_THROW(SiteCounts::parse("# unspin site-counts v1 pages=1 words=3\n~f\tfuel\t2\t1\n"), Error);
  EXPECT_THROW(SiteCounts::parse("# unspin site-counts v3 pages=1 words=3\n"), Error);
}

// LM fill-in on a site whose counts are written by hand: "company" is missing
// (the LM expects it 10 times in the site's 1,000 words), "firm" written 12
// times where the LM expects it 0.1 times, and in the contexts of "firm" the
// LM prefers "company" to "firm" and to "business" (also missing). The fake
// LM's unlisted bigrams are the unigram - 0.5.
struct FillInSite {
  Models models;
  SiteCounts site;
  explicit FillInSite(std::size_t contexts, bool firm_fits = false) {
    auto lm = std::make_unique<testing::FakeBigramLm>(
        std::vector<std::string>{"the", "company", "business", "firm", "said", "of"});
    lm->set_unigram("the", -1.0f);
    lm->set_unigram("company", -2.0f);
    lm->set_unigram("business", -2.0f);
    lm->set_unigram("firm", -4.0f);
    lm->set_unigram("said", -2.0f);
    lm->set("the", "company", -0.5f);
    lm->set("company", "said", -0.5f);
    lm->set("the", "firm", firm_fits ? -0.2f : -3.0f);
    lm->set("firm", "said", firm_fits ? -0.2f : -3.0f);
    models.lm = std::move(lm);
    for (int i = 0; i < 8; ++i) site.sums().add_page(125);
    site.sums().forms["the"] = {100, 8};
    site.sums().forms["said"] = {10, 8};
    site.sums().forms["firm"] = {12, 8};
    for (std::uint32_t k = 0; k < contexts; ++k) {
      FillContext c;
      c.hash = k;
      c.fold = k % kLearnFolds;
      c.words = {"<s>", "the", "said", "</s>"};
      site.sums().add_context("firm", c);
    }
  }
  static const PairFeatures* find(const std::vector<PairFeatures>& all, const std::string& o, const std::string& s) {
    for (const PairFeatures& f : all) {
      if (f.original == o && f.spun == s) return &f;
    }
    return nullptr;
  }
};

TEST(SiteLearnerFillIn, ProposesTheMissingOriginalThatExplainsTheContextsBest) {
  FillInSite fake(8);
  const std::vector<PairFeatures> all = decode::pair_features(*fake.models.lm, fake.site);
  const PairFeatures* pair = fake.find(all, "company", "firm");
  ASSERT_NE(pair, nullptr);
  // Per context, log10 P(c | w) up to a shared term is log10 P(w | the) +
  // log10 P(said | w) - log10 P(w): company 1, firm -2, business -3. A
  // context is natural with probability 0.01 (the floor: the LM expects
  // 0.1 of the 12), so company's ratio is log10(0.01 + 0.99 * 10^3) a
  // context, business's log10(0.01 + 0.99 * 10^-1).
  const double company = std::log10(0.01 + 0.99 * 1000), business = std::log10(0.01 + 0.99 * 0.1);
  EXPECT_NEAR(pair->x[11], company, 1e-4);
  EXPECT_NEAR(pair->x[10], decode::kFillMaxMargin, 1e-9);  // 8 x (company - business) = 31.6, clamped
  EXPECT_EQ(pair->x[12], 1.0);                             // only fill-in proposed it
  EXPECT_EQ(pair->restored, 12.0);                         // the form's excess over the LM, rounded
  EXPECT_LT(pair->x[2], -1.0);                             // the original's deficit
  EXPECT_GT(pair->x[3], 1.0);                              // the form's surplus
  EXPECT_EQ(fake.find(all, "business", "firm"), nullptr);  // missing too, but explains the contexts worse
  EXPECT_EQ(fake.find(all, "company", "said"), nullptr);   // "said" is as common as the LM expects

  // One context: the same ratio per context, a smaller margin.
  FillInSite one(1);
  const auto few = decode::pair_features(*one.models.lm, one.site);
  const PairFeatures* weak = FillInSite::find(few, "company", "firm");
  ASSERT_NE(weak, nullptr);
  EXPECT_NEAR(weak->x[11], company, 1e-4);
  EXPECT_NEAR(weak->x[10], company - business, 1e-4);
}

TEST(SiteLearnerFillIn, NeedsContextsTheFormItselfExplainsWorse) {
  FillInSite natural(8, true);  // "the firm said" is what the LM likes best: every context natural
  EXPECT_EQ(FillInSite::find(decode::pair_features(*natural.models.lm, natural.site), "company", "firm"), nullptr);
  // A pair the decoder restored, whose form was filled in, carries the fill-in features too.
  FillInSite both(8);
  both.site.merge(page("company", "firm", 2, 3));
  const auto all = decode::pair_features(*both.models.lm, both.site);
  const PairFeatures* pair = FillInSite::find(all, "company", "firm");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->x[12], 0.0);
  EXPECT_NEAR(pair->x[10], decode::kFillMaxMargin, 1e-9);
  EXPECT_EQ(pair->restored, 3.0);
  // A pair whose form was not filled in, or whose original is no deficit
  // original, says so in x[10] and x[11].
  const auto plain = decode::pair_features(*both.models.lm, [&] {
    SiteCounts only_pairs;
    only_pairs.merge(page("company", "firm", 2, 3));
    return only_pairs;
  }());
  const PairFeatures* unfilled = FillInSite::find(plain, "company", "firm");
  ASSERT_NE(unfilled, nullptr);
  EXPECT_EQ(unfilled->x[10], decode::kFillNotFilled);
  EXPECT_EQ(unfilled->x[11], decode::kFillNotFilled);
}

// A phrase form: "large firm" written 12 times in the contexts of a missing
// "company", "large" and "firm" otherwise rare; the LM expects the phrase
// 10^-5.5 of the words (P(large) P(firm | large)).
struct PhraseSite {
  Models models;
  SiteCounts site;
  explicit PhraseSite(double large_count, float firm_after_large) {
    auto lm =
        std::make_unique<testing::FakeBigramLm>(std::vector<std::string>{"the", "company", "large", "firm", "said"});
    lm->set_unigram("the", -1.0f);
    lm->set_unigram("company", -2.0f);
    lm->set_unigram("large", -2.5f);
    lm->set_unigram("firm", -4.0f);
    lm->set_unigram("said", -2.0f);
    lm->set("the", "company", -0.5f);
    lm->set("company", "said", -0.5f);
    lm->set("large", "firm", firm_after_large);
    models.lm = std::move(lm);
    for (int i = 0; i < 8; ++i) site.sums().add_page(125);
    site.sums().forms["the"] = {100, 8};
    site.sums().forms["said"] = {10, 8};
    site.sums().forms["large"] = {large_count, 8};
    site.sums().forms["firm"] = {12, 8};
    site.sums().forms["large firm"] = {12, 8};
    for (std::uint32_t k = 0; k < 8; ++k) {
      FillContext c;
      c.hash = k;
      c.fold = k % kLearnFolds;
      c.words = {"<s>", "the", "said", "</s>"};
      site.sums().add_context("large firm", c);
    }
  }
};

TEST(SiteLearnerFillIn, ExplainsAPhraseFormByAWord) {
  PhraseSite rare(12, -3.0f);
  const auto all = decode::pair_features(*rare.models.lm, rare.site);
  const PairFeatures* pair = FillInSite::find(all, "company", "large firm");
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ(pair->x[12], 1.0);  // only fill-in proposed it
  EXPECT_EQ(pair->x[14], 1.0);  // one word after the first
  EXPECT_GT(pair->x[3], 1.0);   // the phrase's surplus
  EXPECT_EQ(pair->x[11], 3.0);  // "the company said" over "the large firm said": 10^4 a context, clamped
  // A phrase its word's own count explains is no phrase form: "large" is
  // written 300 times and the LM follows it by "firm" a third of the time,
  // so 12 "large firm" are what the site's "large" predicts.
  PhraseSite common(300, std::log10(1.0f / 3));
  EXPECT_EQ(FillInSite::find(decode::pair_features(*common.models.lm, common.site), "company", "large firm"), nullptr);
}

TEST(SiteOfUrl, IsTheLowercasedHostWithoutWwwOrPort) {
  EXPECT_EQ(site_of_url("https://www.Example.COM:8080/a/b?c#d"), "example.com");
  EXPECT_EQ(site_of_url("http://user:pw@news.example.org/x"), "news.example.org");
  EXPECT_EQ(site_of_url("//cdn.example.net/x"), "cdn.example.net");
  EXPECT_EQ(site_of_url("example.com/no-scheme"), "");
  EXPECT_EQ(site_of_url("https:///path"), "");
  EXPECT_EQ(site_of_url("https://a b/"), "");  // not a host: never a file name with a space
  EXPECT_EQ(site_of_url("https://../etc"), "");
}

TEST(LearnedTableText, HasTheSchemaHeaderAndFourColumns) {
  const std::string t = learned_table_text({{"said", "stated", 0.93, 12}, {"big", "huge", 0.0001, 1}}, 50, "ex.com");
  EXPECT_EQ(t.rfind("# unspin learned-table v1 pages=50 site=ex.com\n", 0), 0u) << t;
  EXPECT_NE(t.find("\nsaid\tstated\t0.930\t12\n"), std::string::npos) << t;
  EXPECT_NE(t.find("\nbig\thuge\t0.001\t1\n"), std::string::npos) << t;  // never 0.000: it would not parse back
}

TEST(SiteTrees, TheFittedPriorTellsASpinnersPairFromANaturalOne) {
  const fitted::BoostedTrees& trees = *default_fitted().site_prior;
  EXPECT_GT(trees.trees(), 0u);
  const auto prior = [&](const std::array<double, kLearnFeatures>& x) {
    PairFeatures f;
    f.x = x;
    return decode::pair_prior(trees, f);
  };
  // x: 1, agreement, deficit, surplus, mean posterior, restored share, pages
  // without the original, share of the form's restorations, log10 pages with
  // the pair, log10 site pages; fill-in margin and log10 ratio per context
  // (kFillNotFilled: the form not filled in), fill-in only, balance of
  // excess and deficit.
  const double none = decode::kFillNotFilled;
  // Chosen by every fold, the original gone, the form in surplus, restored
  // wherever it is written, on 100 of 1,000 pages; fill-in chose it too.
  const double table = prior({1, 1.0, -2.0, 1.0, 0.95, 0.95, 1.0, 1.0, 2.0, 3.0, 20.0, 1.0, 0, 0.0});
  // Never its form's choice, the original as common as English makes it,
  // rarely restored, on 3 of 1,000 pages; the form not filled in.
  const double natural = prior({1, 0.0, 0.0, 0.0, 0.2, 0.1, 0.3, 0.1, 0.5, 3.0, none, none, 0, -1.0});
  EXPECT_GT(table, 0.9);
  EXPECT_LT(natural, 0.2);
  // Only fill-in proposed them: the original, gone from the site, explains
  // the form's contexts far better than any other and than the form itself,
  // its missing occurrences match the form's excess; against an original
  // barely ahead of the next, no better than the form, a common one.
  const double filled = prior({1, 0, -2.0, 1.5, 0, 0, 0, 0, 1.5, 3.0, 20.0, 1.0, 1, 0.0});
  const double weak = prior({1, 0, -0.6, 0.7, 0, 0, 0, 0, 0.7, 3.0, 0.2, 0.01, 1, -1.5});
  EXPECT_GT(filled, 0.5);
  EXPECT_LT(weak, 0.2);
  EXPECT_GT(filled, weak);
}

TEST(LearnedEditConfidence, RisesWithThePriorAndTheEvidence) {
  const auto learned_edit_confidence = [](double prior, double raw, double delta, bool written) {
    return decode::learned_edit_confidence(default_fitted().decoder.model.learned_edit_weights, prior, raw, delta,
                                           written, 200);
  };
  const double base = learned_edit_confidence(0.8, 0.95, 1.0, false);
  EXPECT_GT(base, 0.0);
  EXPECT_LT(base, 1.0);
  EXPECT_GT(learned_edit_confidence(0.99, 0.95, 1.0, false), base);  // a surer pair
  EXPECT_LT(learned_edit_confidence(0.55, 0.95, 1.0, false), base);
  EXPECT_GT(learned_edit_confidence(0.8, 0.999, 1.0, false), base);  // the model surer of this occurrence
  EXPECT_GT(learned_edit_confidence(0.8, 0.95, 3.0, false), base);   // the LM prefers the original more
  // A sure pair the model restores is applied at the site operating point; a
  // pair the model doubts here is not, whatever its prior.
  EXPECT_GE(learned_edit_confidence(0.99, 0.999, 2.0, false), decode::kSiteApplyConfidence);
  EXPECT_LT(learned_edit_confidence(0.99, 0.3, 2.0, false), decode::kSiteApplyConfidence);
  // A prior from a larger site's table is worth a little less; a table that
  // does not say its pages counts as the largest fitted site (1,000 pages).
  EXPECT_LT(
      decode::learned_edit_confidence(default_fitted().decoder.model.learned_edit_weights, 0.8, 0.95, 1.0, false, 1000),
      base);
  EXPECT_GT(
      decode::learned_edit_confidence(default_fitted().decoder.model.learned_edit_weights, 0.8, 0.95, 1.0, false, 10),
      base);
  EXPECT_EQ(
      decode::learned_edit_confidence(default_fitted().decoder.model.learned_edit_weights, 0.8, 0.95, 1.0, false, 0),
      decode::learned_edit_confidence(default_fitted().decoder.model.learned_edit_weights, 0.8, 0.95, 1.0, false,
                                      1000));
  // Ends of the range stay finite.
  EXPECT_GT(learned_edit_confidence(1.0, 1.0, 100.0, false), 0.99);
  EXPECT_LT(learned_edit_confidence(0.0, 0.0, -100.0, true), 0.01);
}

TEST(SiteGenericEditConfidence, StandsOnASmallSiteAndFallsOnALargeOne) {
  // A generic edit the decoder is fairly sure of off a site: on a site whose
  // table was learned from a few pages it is applied, on one learned from
  // 1,000 it is not (the table holds the right pairs; what it left is mostly wrong).
  const double c = 0.78;
  EXPECT_GE(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 9),
            decode::kSiteApplyConfidence);
  EXPECT_LT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 875),
            decode::kSiteApplyConfidence);
  EXPECT_GT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, 0.9, 200),
            decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, 0.6, 200));
  EXPECT_GT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 50),
            decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 500));
  EXPECT_EQ(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 0),
            decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, c, 1000));
  EXPECT_LT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, 0.5, 875),
            0.5);
  EXPECT_GT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, 1.0, 10),
            0.99);  // ends of the range stay finite
  EXPECT_LT(decode::site_generic_edit_confidence(default_fitted().decoder.model.site_generic_edit_weights, 0.0, 1000),
            0.01);
}

TEST(Models, CountTheLearnedPairsTheyHold) {
  Models models;
  EXPECT_EQ(models.learned_pairs, 0u);
  models.add_learned_table("# unspin learned-table v1 pages=3\n", "empty");  // a site too small: no pair
  EXPECT_EQ(models.learned_pairs, 0u);
  EXPECT_EQ(models.learned_pages, 0u);  // an empty table says nothing of the site
  models.add_learned_table(
      "# unspin learned-table v1 pages=300 site=ex.com\nsaid\tstated\t0.990\t40\nbig\thuge\t0.700\t3\n", "t");
  EXPECT_EQ(models.learned_pairs, 2u);
  EXPECT_EQ(models.learned_pages, 300u);
  models.add_learned_table("# unspin learned-table v1 pages=50\nsaid\tstated\t0.900\t4\n", "u");
  EXPECT_EQ(models.learned_pairs, 3u);
  EXPECT_EQ(models.learned_pages, 300u);  // the largest
}

}  // namespace
}  // namespace unspin
