#include <gtest/gtest.h>

#include "unspin/text.h"

namespace unspin {
namespace {

TEST(FoldCase, AsciiLatin1LatinExtendedA) {
  EXPECT_EQ(fold_case("Hello WORLD"), "hello world");
  EXPECT_EQ(fold_case("ÉCOLE Zürich ÀÖØÞ"), "école zürich àöøþ");
  EXPECT_EQ(fold_case("ŁÓDŹ ŠKODA Œuvre Ÿ"), "łódź škoda œuvre ÿ");
  EXPECT_EQ(fold_case("×÷"), "×÷");  // Latin-1 symbols are not letters
}

TEST(FoldCase, OtherScriptsAndInvalidBytesUnchanged) {
  EXPECT_EQ(fold_case("ΑΘΗΝΑ МОСКВА"), "ΑΘΗΝΑ МОСКВА");
  EXPECT_EQ(fold_case("AB\xFF\xC3"), "ab\xFF\xC3");
  EXPECT_EQ(fold_case(""), "");
}

TEST(Casing, Classifies) {
  EXPECT_EQ(casing_of("told"), Casing::kLower);
  EXPECT_EQ(casing_of("Told"), Casing::kCapitalized);
  EXPECT_EQ(casing_of("TOLD"), Casing::kUpper);
  EXPECT_EQ(casing_of("McDonald"), Casing::kMixed);
  EXPECT_EQ(casing_of("A"), Casing::kCapitalized);
  EXPECT_EQ(casing_of("I"), Casing::kCapitalized);
  EXPECT_EQ(casing_of("É"), Casing::kCapitalized);
  EXPECT_EQ(casing_of("ÉCOLE"), Casing::kUpper);
  EXPECT_EQ(casing_of("Chief executive"), Casing::kCapitalized);
  EXPECT_EQ(casing_of("Chief Executive"), Casing::kMixed);
  EXPECT_EQ(casing_of("don't"), Casing::kLower);
  EXPECT_EQ(casing_of("DON'T"), Casing::kUpper);
  EXPECT_EQ(casing_of("1990s"), Casing::kLower);
  EXPECT_EQ(casing_of("'Tis"), Casing::kCapitalized);
  EXPECT_EQ(casing_of(""), Casing::kLower);
}

TEST(Casing, Applies) {
  EXPECT_EQ(apply_casing("told", Casing::kCapitalized), "Told");
  EXPECT_EQ(apply_casing("told", Casing::kUpper), "TOLD");
  EXPECT_EQ(apply_casing("told", Casing::kLower), "told");
  EXPECT_EQ(apply_casing("told", Casing::kMixed), "told");
  EXPECT_EQ(apply_casing("chief executive", Casing::kCapitalized), "Chief executive");
  EXPECT_EQ(apply_casing("chief executive", Casing::kUpper), "CHIEF EXECUTIVE");
  EXPECT_EQ(apply_casing("école", Casing::kCapitalized), "École");
  EXPECT_EQ(apply_casing("'tis", Casing::kCapitalized), "'Tis");
  EXPECT_EQ(apply_casing("naïve", Casing::kUpper), "NAÏVE");
  EXPECT_EQ(apply_casing("", Casing::kCapitalized), "");
}

TEST(Casing, RoundTripsThroughFold) {
  for (const char* w : {"Told", "TOLD", "told", "École", "ÉCOLE", "Chief executive"}) {
    EXPECT_EQ(apply_casing(fold_case(w), casing_of(w)), w);
  }
}

}  // namespace
}  // namespace unspin
