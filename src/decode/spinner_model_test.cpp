#include "decode/spinner_model.h"

#include <gtest/gtest.h>

#include <cmath>

namespace unspin::decode {
namespace {

SpinnerModelParams one_family(double rho) {
  SpinnerModelParams p;
  p.rhos = {rho, rho, rho, rho};
  p.lm_temperature = 1.0;
  p.delta_cap = 1e6;  // no saturation: the closed forms below
  return p;
}

TEST(SpinnerModel, SingleEntryMatchesClosedForm) {
  SpinnerModel m(one_family(0.5));
  const std::uint32_t e = m.add_entry({"said", "stated", std::log10(0.1)});
  m.add_occurrence({e, 0, 1.0});
  m.add_occurrence({e, 1, 1.0});
  const ModelResult r = m.evaluate();
  // L = 2 log10(1 + 0.5 * 10); Z = 0.9 + 0.1 * 10^L.
  const double L = 2 * std::log10(6.0);
  const double z = 0.9 + 0.1 * std::pow(10.0, L);
  EXPECT_NEAR(r.log10_bf, std::log10(z), 1e-9);
  const double p_entry = 0.1 * std::pow(10.0, L) / z;
  EXPECT_NEAR(r.entry_posterior[e], p_entry, 1e-9);
  const double p_spun = 1 / (1 + 1 / z);
  EXPECT_NEAR(r.posterior[0], p_spun * p_entry * 5 / (1 + p_entry * 5), 1e-9);
  EXPECT_NEAR(r.posterior[0], r.posterior[1], 1e-12);  // repeats agree
}

TEST(SpinnerModel, OriginalWrittenUnspunLowersTheEntryUnderEveryOccurrenceFamily) {
  SpinnerModel with(one_family(0.97)), without(one_family(0.97));
  for (SpinnerModel* m : {&with, &without}) {
    Entry entry{"said", "stated", std::log10(0.3)};
    entry.unspun = m == &with ? 3 : 0;
    const std::uint32_t e = m->add_entry(entry);
    m->add_occurrence({e, 0, 0.8});
  }
  const ModelResult a = with.evaluate(), b = without.evaluate();
  EXPECT_LT(a.entry_posterior[0], 0.01);
  EXPECT_GT(b.entry_posterior[0], 0.5);
  EXPECT_LT(a.log10_bf, 0.0);  // a "said"-rich document is evidence of clean text
  EXPECT_GT(b.log10_bf, 0.0);
}

TEST(SpinnerModel, OneAlternativePerOriginal) {
  SpinnerModel m(one_family(0.97));
  const std::uint32_t a = m.add_entry({"said", "stated", std::log10(0.4)});
  const std::uint32_t b = m.add_entry({"said", "noted", std::log10(0.4)});
  m.add_occurrence({a, 0, 1.5});
  m.add_occurrence({b, 1, 1.5});
  m.add_occurrence({b, 2, 1.5});
  const ModelResult r = m.evaluate();
  EXPECT_NEAR(r.entry_posterior[a] + r.entry_posterior[b], 1.0, 0.05);
  EXPECT_GT(r.entry_posterior[b], r.entry_posterior[a]);
}

TEST(SpinnerModel, CompetingOriginalsShareASpan) {
  SpinnerModel m(one_family(0.97));
  const std::uint32_t a = m.add_entry({"problems", "issues", std::log10(0.5)});
  const std::uint32_t b = m.add_entry({"matters", "issues", std::log10(0.5)});
  m.add_occurrence({a, 0, 2.0});
  m.add_occurrence({b, 0, 1.0});
  const ModelResult r = m.evaluate();
  EXPECT_LE(r.posterior[0] + r.posterior[1], 1.0 + 1e-9);
  EXPECT_GT(r.posterior[0], r.posterior[1]);
}

// "acreage of the" may be "amount of the" spun whole, or "acreage" may be
// "width" spun alone: one written word, one rewrite. With word positions the
// two readings compete (their posteriors sum to at most one, the closed form
// of a two-span chain below); without them each span is judged alone.
TEST(SpinnerModel, OverlappingSpansCompeteForTheirWords) {
  auto build = [](bool positions) {
    SpinnerModel m(one_family(0.97));
    const std::uint32_t whole = m.add_entry({"amount of the", "acreage of the", std::log10(0.5)});
    const std::uint32_t word = m.add_entry({"width", "acreage", std::log10(0.5)});
    m.add_occurrence({whole, 0, 2.0, positions ? 10u : 0u, positions ? 13u : 0u});
    m.add_occurrence({word, 1, 1.5, positions ? 10u : 0u, positions ? 11u : 0u});
    return m.evaluate();
  };
  const ModelResult alone = build(false), joint = build(true);
  EXPECT_GT(alone.posterior[0] + alone.posterior[1], 1.2);  // both readings taken
  EXPECT_LE(joint.posterior[0] + joint.posterior[1], 1.0 + 1e-9);
  EXPECT_GT(joint.posterior[0], joint.posterior[1]);
  // The chain's readings: none (1), the whole span (r0), the word (r1):
  // P(whole) = r0 / (1 + r0 + r1), r_j = alone_j / (1 - alone_j) per family.
  const double r0 = alone.posterior[0] / alone.p_spun, r1 = alone.posterior[1] / alone.p_spun;
  const double odds0 = r0 / (1 - r0), odds1 = r1 / (1 - r1);
  EXPECT_NEAR(joint.posterior[0] / joint.p_spun, odds0 / (1 + odds0 + odds1), 1e-9);
  // Spans that do not overlap are untouched.
  SpinnerModel m(one_family(0.97));
  const std::uint32_t a = m.add_entry({"amount of the", "acreage of the", std::log10(0.5)});
  const std::uint32_t b = m.add_entry({"width", "acreage", std::log10(0.5)});
  m.add_occurrence({a, 0, 2.0, 10, 13});
  m.add_occurrence({b, 1, 1.5, 13, 14});
  const ModelResult apart = m.evaluate();
  EXPECT_NEAR(apart.posterior[0], alone.posterior[0], 1e-12);
  EXPECT_NEAR(apart.posterior[1], alone.posterior[1], 1e-12);
}

TEST(SpinnerModel, SubsetUsesOnlyItsOccurrences) {
  SpinnerModel m(one_family(0.5));
  const std::uint32_t e = m.add_entry({"said", "stated", std::log10(0.1)});
  m.add_occurrence({e, 0, 2.0});
  m.add_occurrence({e, 1, 2.0});
  const ModelResult all = m.evaluate();
  const SpinnerModel part = m.restricted_to({0});
  const ModelResult one = part.evaluate();
  EXPECT_EQ(part.occurrences().size(), 1u);
  EXPECT_LT(one.log10_bf, all.log10_bf);
}

TEST(SpinnerModel, KnownOriginalWrittenUnspunIsEvidenceOfClean) {
  SpinnerModel m(one_family(0.97));
  m.add_known_original("said", 0.8, 3);
  const ModelResult r = m.evaluate();
  // Z = (1 - 0.8) + 0.8 * 0.03^3: a table that holds "said" would have replaced it.
  EXPECT_NEAR(r.log10_bf, std::log10(0.2 + 0.8 * std::pow(0.03, 3)), 1e-9);
}

TEST(SpinnerModel, SpunFormContainingItsOriginalIsRarelyNatural) {
  double posterior[2];
  for (int contains = 0; contains < 2; ++contains) {
    SpinnerModel m(one_family(0.97));
    Entry e{"some", "some of the", std::log10(0.5)};
    e.spun_contains_original = contains == 1;
    const std::uint32_t id = m.add_entry(e);
    m.add_occurrence({id, 0, 0.5});
    const ModelResult r = m.evaluate();
    posterior[contains] = r.posterior[0] / r.p_spun;
  }
  // Under its entry a natural "some of the" would have become "some of the of the".
  EXPECT_GT(posterior[1], posterior[0] + 0.05);
}

TEST(SpinnerModel, WrittenFormThatIsAKnownOriginalIsRarelyNatural) {
  // "nation" is written; the table says country -> nation and nation -> kingdom.
  // A table that replaces every "nation" cannot have left this one natural,
  // unless its own entry is inactive.
  double posterior[2];
  for (int known = 0; known < 2; ++known) {
    SpinnerModel m(one_family(0.97));
    const std::uint32_t id = m.add_entry({"country", "nation", std::log10(0.4)});
    m.add_occurrence({id, 0, 0.0});
    if (known) m.add_known_original("nation", 0.8, 1);
    const ModelResult r = m.evaluate();
    posterior[known] = r.posterior[0] / r.p_spun;
  }
  EXPECT_GT(posterior[1], posterior[0] + 0.05);
}

TEST(SpinnerModel, SaturationKeepsTheDistanceBetweenCandidatesOfASpan) {
  SpinnerModelParams params = one_family(0.97);
  params.delta_cap = 1.0;
  SpinnerModel m(params);
  const std::uint32_t a = m.add_entry({"war", "struggle", std::log10(0.3)});
  const std::uint32_t b = m.add_entry({"fight", "struggle", std::log10(0.3)});
  m.add_occurrence({a, 0, 5.0});
  m.add_occurrence({b, 0, 3.0});
  const ModelResult r = m.evaluate();
  // Both LM gains are far beyond the cap, yet "war" fits 100 times better than "fight".
  EXPECT_GT(r.posterior[0], 20 * r.posterior[1]);
}

TEST(SpinnerModel, EmptyDocumentIsNeutral) {
  SpinnerModel m{SpinnerModelParams{}};
  const ModelResult r = m.evaluate();
  EXPECT_NEAR(r.log10_bf, 0.0, 1e-12);
  EXPECT_TRUE(r.posterior.empty());
}

}  // namespace
}  // namespace unspin::decode
