#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unspin/text.h"

namespace unspin {
namespace {

// The first token of each sentence, in order.
std::vector<std::string> starts(std::string_view s) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(s).tokens) {
    if (t.sentence_start) out.emplace_back(t.text);
  }
  return out;
}

using V = std::vector<std::string>;

TEST(Sentences, TerminatorsFollowedBySpace) {
  EXPECT_EQ(starts("It rose. Then it fell! Why? Nobody knows…  Really."), (V{"It", "Then", "Why", "Nobody", "Really"}));
}

TEST(Sentences, ClosingQuotesAndBracketsStayWithTheSentence) {
  EXPECT_EQ(starts("He said “stop.” She left. (It was late.) They slept."), (V{"He", "She", "(", "They"}));
  EXPECT_EQ(starts("\"Go!\" he said. \"Now?\" She nodded."), (V{"\"", "\"", "She"}));
}

TEST(Sentences, AbbreviationsInitialsDecimals) {
  EXPECT_EQ(starts("Mr. Smith met Dr. Jones at 3.5 p.m. in the U.S. office. J. R. Smith "
                   "agreed. Sales rose vs. last year."),
            (V{"Mr", "J", "Sales"}));
  EXPECT_EQ(starts("See No. 5 for details. No. That is wrong."), (V{"See", "No", "That"}));
  EXPECT_EQ(starts("Born in Jan. 1990 in St. Louis. He moved."), (V{"Born", "He"}));
}

TEST(Sentences, LowercaseContinuationAndEllipsis) {
  EXPECT_EQ(starts("It cost approx. five dollars. Wait... what? Fine... Next one."), (V{"It", "Wait", "Fine", "Next"}));
}

TEST(Sentences, NoGapNoBoundary) { EXPECT_EQ(starts("Open file.txt now. Version 2.x works."), (V{"Open", "Version"})); }

TEST(Sentences, ParagraphBreaksStartASentence) {
  EXPECT_EQ(starts("Title without stop\n\nbody text here\r\n\r\nmore text\nsame sentence"),
            (V{"Title", "body", "more"}));
  EXPECT_EQ(starts("one\u2029two"), (V{"one", "two"}));
}

TEST(Sentences, FirstTokenAlwaysStarts) {
  EXPECT_EQ(starts("  ...and so on"), (V{"."}));
  EXPECT_EQ(starts(""), V{});
}

}  // namespace
}  // namespace unspin
