#include "common/words.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace unspin {
namespace {

using Words = std::vector<std::string_view>;

TEST(WordsOf, SplitsAPhraseAtSingleSpaces) {
  EXPECT_EQ(words_of("human beings"), (Words{"human", "beings"}));
  EXPECT_EQ(words_of("fuel"), (Words{"fuel"}));
  EXPECT_EQ(words_of("as a result of"), (Words{"as", "a", "result", "of"}));
  // Malformed phrases keep their empty words rather than hiding them.
  EXPECT_EQ(words_of(""), (Words{""}));
  EXPECT_EQ(words_of("a  b"), (Words{"a", "", "b"}));
  EXPECT_EQ(words_of("a "), (Words{"a", ""}));
}

}  // namespace
}  // namespace unspin
