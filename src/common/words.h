// Splitting a lexicon phrase into its words.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace unspin {

// The words of a phrase whose words are joined by single spaces, as the
// lexicon and the learned tables write them ("human beings": "human",
// "beings"). Views into `phrase`; an empty phrase is one empty word, and two
// spaces in a row give an empty word between them.
inline std::vector<std::string_view> words_of(std::string_view phrase) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0; start <= phrase.size();) {
    std::size_t space = phrase.find(' ', start);
    if (space == std::string_view::npos) space = phrase.size();
    out.push_back(phrase.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

}  // namespace unspin
