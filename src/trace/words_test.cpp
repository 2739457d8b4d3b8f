#include "trace/words.h"

#include <gtest/gtest.h>

namespace unspin::trace {
namespace {

std::vector<WordClass> classes(std::string_view text) {
  const TokenizedText t = tokenize(text);
  std::vector<WordClass> out;
  for (const Word& w : document_words(t)) {
    if (w.cls != WordClass::kPunct) out.push_back(w.cls);
  }
  return out;
}

TEST(Words, ClassesNamesNumbersFunctionWords) {
  using C = WordClass;
  // "The" opens the sentence: not a name. "Smith", "NASA", "2024" are anchors.
  EXPECT_EQ(classes("The man met Smith of NASA in 2024."),
            (std::vector<C>{C::kFunction, C::kContent, C::kContent, C::kAnchor, C::kFunction, C::kAnchor, C::kFunction,
                            C::kAnchor}));
  // A capitalised word opening the second sentence is not an anchor.
  EXPECT_EQ(classes("It rained. Prices rose."), (std::vector<C>{C::kFunction, C::kContent, C::kContent, C::kContent}));
}

TEST(Words, PunctuationIsAUnitOfItsOwn) {
  const TokenizedText t = tokenize("a start. Start");
  const auto units = document_words(t);
  ASSERT_EQ(units.size(), 4u);
  EXPECT_EQ(units[2].cls, WordClass::kPunct);
  EXPECT_EQ(units[1].hash, units[3].hash);  // "start" and "Start" compare equal
}

TEST(Words, FoldingMakesCaseAndApostrophesEqual) {
  EXPECT_EQ(fold_word("Don\xE2\x80\x99t"), "don't");
  const TokenizedText a = tokenize("Company"), b = tokenize("company");
  EXPECT_EQ(document_words(a)[0].hash, document_words(b)[0].hash);
}

}  // namespace
}  // namespace unspin::trace
