#include "eval/spinner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

// A small in-memory spinner: tests the mechanics without the Debian data.
SpinnerData fake_data() {
  SpinnerData d;
  d.thesaurus = Thesaurus::from_groups({{"increase", "enhance", "boom"},
                                        {"sharp", "pointy", "keen"},
                                        {"say", "state"},
                                        {"artificial", "counterfeit"},
                                        {"intelligence", "consciousness"},
                                        {"market", "marketplace"},
                                        {"stop", "halt"},
                                        {"price", "cost"}});
  d.morphology.add_irregular("say", Form::kEd, "said");
  d.morphology.add_irregular("say", Form::kEn, "said");
  d.phrases = PhraseTable::parse(
      "including\ttogether with\nin order to\tso as to\nchief executive\tchief govt\n"
      "said\tstated\ncompany\tfirm\n",
      "fake");
  d.tortured_terms = {"artificial intelligence", "stock market"};
  d.never_spin = {"the", "a", "of", "to", "in"};
  return d;
}

const char* kText =
    "The company said prices rose. Including taxes, the Chief Executive said \"prices are "
    "high\" in order to stop the sharp increase.\n\nArtificial intelligence and artificial "
    "intelligence firms stopped 12 markets. Mr. Smith said: the company, the company.";

TEST(Morphology, InflectsAndAnalyses) {
  Morphology m;
  m.add_irregular("say", Form::kEd, "said");
  m.add_irregular("give", Form::kEd, "gave");
  EXPECT_EQ(m.inflect("stop", Form::kEd), "stopped");
  EXPECT_EQ(m.inflect("carry", Form::kS), "carries");
  EXPECT_EQ(m.inflect("make", Form::kIng), "making");
  EXPECT_EQ(m.inflect("give up", Form::kEd), "gave up");
  EXPECT_EQ(m.inflect("visit", Form::kEd), "visited");
  EXPECT_EQ(m.inflect("say", Form::kEd), "said");
  bool found = false;
  for (const Analysis& a : m.analyses("stopped")) found |= a.lemma == "stop" && a.form == Form::kEd;
  EXPECT_TRUE(found);
  found = false;
  for (const Analysis& a : m.analyses("said")) found |= a.lemma == "say";
  EXPECT_TRUE(found);
}

TEST(Spinner, PhraseStyleSwapsLongestMatchAndProtects) {
  SpinnerData d = fake_data();
  SpinOutput out = Spinner(d, SpinStyle::kPhrase, 1.0, 7).spin(kText);
  EXPECT_NE(out.text.find("The firm stated"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Together with taxes"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("so as to stop"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("Chief Executive"), std::string::npos) << "title-case names are kept";
  EXPECT_NE(out.text.find("\"prices are high\""), std::string::npos);
  EXPECT_EQ(undo_spin(out.text, out.edits), kText);
}

TEST(Spinner, ThesaurusInflectsAndKeepsCase) {
  SpinnerData d = fake_data();
  SpinOutput out = Spinner(d, SpinStyle::kThesaurus, 1.0, 3).spin("Stopped prices. The SHARP increase said.");
  EXPECT_NE(out.text.find("Halted"), std::string::npos) << out.text;
  EXPECT_TRUE(out.text.find("costs") != std::string::npos) << out.text;
  EXPECT_NE(out.text.find("SHARP"), std::string::npos) << "all-caps words are kept: " << out.text;
  EXPECT_NE(out.text.find("stated"), std::string::npos) << out.text;
  for (const GoldEdit& e : out.edits) {
    EXPECT_EQ(out.text.substr(e.byte_begin, e.byte_end - e.byte_begin), e.spun);
  }
}

TEST(Spinner, TorturedTakesTermsApartAndIsConsistent) {
  SpinnerData d = fake_data();
  SpinOutput out = Spinner(d, SpinStyle::kTortured, 1.0, 1).spin(kText);
  EXPECT_NE(out.text.find("Counterfeit consciousness and counterfeit consciousness"), std::string::npos) << out.text;
  ASSERT_EQ(out.edits.size(), 2u);
  EXPECT_EQ(out.edits[0].original, "Artificial intelligence");
}

TEST(Spinner, RateIsAnExactFractionOfEligibleItems) {
  SpinnerData d = fake_data();
  for (double rate : {0.0, 0.25, 0.5, 1.0}) {
    SpinOutput out = Spinner(d, SpinStyle::kPhrase, rate, 11).spin(kText);
    EXPECT_EQ(out.edits.size(), static_cast<std::size_t>(std::llround(rate * out.eligible)));
  }
  EXPECT_EQ(Spinner(d, SpinStyle::kPhrase, 0.5, 4).spin(kText).text,
            Spinner(d, SpinStyle::kPhrase, 0.5, 4).spin(kText).text);
  EXPECT_THROW(Spinner(d, SpinStyle::kPhrase, 1.5, 1), Error);
}

TEST(Spinner, CodePointOffsetsCountMultibyteText) {
  SpinnerData d = fake_data();
  const std::string text = "Caf\xC3\xA9 \xE2\x80\x94 the company said \xF0\x9F\x98\x80 the company.";
  SpinOutput out = Spinner(d, SpinStyle::kPhrase, 1.0, 2).spin(text);
  ASSERT_FALSE(out.edits.empty());
  for (const GoldEdit& e : out.edits) {
    EXPECT_EQ(count_code_points(std::string_view(out.text).substr(0, e.byte_begin)), e.cp_begin);
    EXPECT_EQ(e.cp_end - e.cp_begin, count_code_points(e.spun));
  }
  EXPECT_EQ(undo_spin(out.text, out.edits), text);
}

TEST(Spinner, UndoRejectsEditsThatDoNotFit) {
  std::vector<GoldEdit> edits{{0, 3, 0, 3, "abc", "x"}};
  EXPECT_THROW(undo_spin("xyz", edits), Error);
  EXPECT_THROW(undo_spin("ab", edits), Error);
}

TEST(PhraseTable, RejectsMalformedLines) {
  EXPECT_THROW(PhraseTable::parse("no tab here\n", "t"), Error);
  EXPECT_THROW(PhraseTable::parse("said\t\n", "t"), Error);
  EXPECT_THROW(PhraseTable::parse("said\tsaid\n", "t"), Error);
  EXPECT_THROW(PhraseTable::parse("said\tst@ted\n", "t"), Error);
  EXPECT_EQ(PhraseTable::parse("# c\nsaid\tstated|noted\n", "t").find("said")->size(), 2u);
}

// The real data: the gold list undoes spinning byte for byte over many seeds,
// styles and rates, on text with quotes, names, numbers and odd spacing.
TEST(Spinner, GoldListUndoesRealSpinningByteForByte) {
  if (!std::filesystem::exists("/usr/share/aiksaurus/words.dat")) {
    GTEST_SKIP() << "libaiksaurus-1.2-data is not installed";
  }
  SpinnerData d = SpinnerData::load(UNSPIN_SOURCE_DIR "/data/spinner", "/usr/share/aiksaurus");
  const std::string text =
      "The company said on Tuesday that prices rose sharply during the first quarter, including "
      "a sharp increase in energy costs.  \"We were surprised,\" the chief executive told "
      "reporters.\nIn order to cut costs, the firm will close 12 plants; artificial intelligence "
      "and machine learning tools help.\r\n\r\nEconomic growth slowed. Interest rates increased, "
      "and the stock market fell 3.5% \xE2\x80\x94 the biggest drop since 2008. It\xE2\x80\x99s "
      "not over, analysts believe.\n";
  std::size_t total_edits = 0;
  for (SpinStyle style : {SpinStyle::kThesaurus, SpinStyle::kPhrase, SpinStyle::kTortured}) {
    for (double rate : {0.1, 0.3, 0.6, 1.0}) {
      for (std::uint64_t seed = 0; seed < 25; ++seed) {
        SpinOutput out = Spinner(d, style, rate, seed).spin(text);
        ASSERT_EQ(undo_spin(out.text, out.edits), text) << style_name(style) << " rate " << rate << " seed " << seed;
        for (const GoldEdit& e : out.edits) {
          ASSERT_FALSE(e.spun.empty());
          ASSERT_NE(lower_ascii(e.spun), lower_ascii(e.original)) << e.original;
          ASSERT_NE(out.text.find(" 12 "), std::string::npos);  // numbers survive
          ASSERT_EQ(count_code_points(std::string_view(out.text).substr(0, e.byte_begin)), e.cp_begin);
        }
        total_edits += out.edits.size();
      }
    }
  }
  EXPECT_GT(total_edits, 1000u);
}

}  // namespace
}  // namespace unspin::eval
