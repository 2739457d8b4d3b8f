#include "lexicon/normalize.h"

#include <gtest/gtest.h>

namespace unspin::lexicon {
namespace {

TEST(Normalize, FoldsCaseUnderscoresAndSpaces) {
  EXPECT_EQ(normalize_phrase("  Chief_Executive\tOfficer "), "chief executive officer");
  EXPECT_EQ(normalize_phrase("So  As To"), "so as to");
  EXPECT_EQ(normalize_phrase(""), "");
}

TEST(Normalize, FoldAsciiFastPathAndFallbacks) {
  char buf[16];
  EXPECT_EQ(fold_ascii("Told", buf, sizeof buf), 4);
  EXPECT_EQ(std::string_view(buf, 4), "told");
  EXPECT_EQ(fold_ascii("caf\xC3\xA9", buf, sizeof buf), -1);  // non-ASCII
  EXPECT_EQ(fold_ascii("a  b", buf, sizeof buf), -1);         // double space
  EXPECT_EQ(fold_ascii("much longer than sixteen", buf, sizeof buf), -1);
}

TEST(Normalize, UsablePhrases) {
  EXPECT_TRUE(is_usable_phrase("so as to"));
  EXPECT_TRUE(is_usable_phrase("well-known"));
  EXPECT_FALSE(is_usable_phrase("2"));
  EXPECT_FALSE(is_usable_phrase("b12"));
  EXPECT_FALSE(is_usable_phrase("i"));
  EXPECT_FALSE(is_usable_phrase("a b c d e f"));  // more than kMaxPhraseWords
  EXPECT_FALSE(is_usable_phrase("trailing "));
}

TEST(Normalize, ClosedClassLists) {
  EXPECT_TRUE(is_function_word("can"));
  EXPECT_TRUE(is_function_word("the"));
  EXPECT_FALSE(is_function_word("tin"));
  EXPECT_TRUE(is_number_word("one"));
  EXPECT_TRUE(is_number_word("dozen"));
  EXPECT_FALSE(is_number_word("ace"));
}

}  // namespace
}  // namespace unspin::lexicon
