// Reader for CMU Sphinx "Trie Language Model" binaries (sphinxbase 5prealpha,
// e.g. Debian's pocketsphinx-en-us en-us.lm.bin). Written from the format;
// does not link libsphinxbase.
#pragma once

#include <string>
#include <string_view>

#include "lm/ngram_set.h"

namespace unspin::lm {

// Sphinx stores scores as floats in units of log base 1.0001.
inline constexpr double kSphinxLogToLog10 = 4.342727686266964e-05;  // log10(1.0001)

// Parses the whole file. Every offset, count and pointer is bounds-checked:
// a truncated or corrupted file throws Error(kBadData) naming the problem.
// The n-grams come out exactly as libsphinxbase would score them (its
// 16-bit quantization included); the result is not yet closed.
NgramSet read_sphinx_trie(std::string_view bytes, const std::string& name);
NgramSet read_sphinx_trie_file(const std::string& path);

}  // namespace unspin::lm
