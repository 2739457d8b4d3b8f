#include "lexicon/morphology.h"

#include <gtest/gtest.h>

namespace unspin::lexicon {
namespace {

TEST(Morphology, RegularRules) {
  EXPECT_EQ(regular_s("box", Pos::kNoun), "boxes");
  EXPECT_EQ(regular_s("city", Pos::kNoun), "cities");
  EXPECT_EQ(regular_s("go", Pos::kVerb), "goes");
  EXPECT_EQ(regular_s("day", Pos::kNoun), "days");
  EXPECT_EQ(regular_ed("instruct"), "instructed");
  EXPECT_EQ(regular_ed("state"), "stated");
  EXPECT_EQ(regular_ed("stop"), "stopped");
  EXPECT_EQ(regular_ed("carry"), "carried");
  EXPECT_EQ(regular_ed("visit"), "visited");
  EXPECT_EQ(regular_ing("make"), "making");
  EXPECT_EQ(regular_ing("die"), "dying");
  EXPECT_EQ(regular_ing("see"), "seeing");
  EXPECT_EQ(regular_ing("run"), "running");
  EXPECT_EQ(regular_er("big", "er"), "bigger");
  EXPECT_EQ(regular_er("large", "est"), "largest");
  EXPECT_EQ(regular_er("happy", "er"), "happier");
}

TEST(Morphology, ExceptionsAndPhrases) {
  Morphology m;
  m.add_exception(Pos::kVerb, "told", "tell");
  m.add_exception(Pos::kVerb, "gave", "give");
  m.add_exception(Pos::kVerb, "given", "give");
  m.add_exception(Pos::kNoun, "children", "child");
  m.add_exception(Pos::kAdj, "better", "good");
  m.add_exception(Pos::kVerb, "has", "have");
  EXPECT_EQ(m.forms("tell", Pos::kVerb, Slot::kPast), std::vector<std::string>{"told"});
  EXPECT_EQ(m.forms("tell", Pos::kVerb, Slot::kThird), std::vector<std::string>{"tells"});
  EXPECT_EQ(m.forms("have", Pos::kVerb, Slot::kThird), std::vector<std::string>{"has"});
  EXPECT_EQ(m.forms("give up", Pos::kVerb, Slot::kPast), (std::vector<std::string>{"gave up", "given up"}));
  EXPECT_EQ(m.forms("chief executive", Pos::kNoun, Slot::kPlural), std::vector<std::string>{"chief executives"});
  EXPECT_EQ(m.forms("child", Pos::kNoun, Slot::kPlural), std::vector<std::string>{"children"});
  EXPECT_EQ(m.forms("good", Pos::kAdj, Slot::kComparative), std::vector<std::string>{"better"});
  EXPECT_TRUE(m.forms("enormous", Pos::kAdj, Slot::kComparative).empty());
  EXPECT_EQ(m.forms("put", Pos::kVerb, Slot::kPast), std::vector<std::string>{"put"});
}

}  // namespace
}  // namespace unspin::lexicon
