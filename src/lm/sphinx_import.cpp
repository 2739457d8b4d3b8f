// Layout of a Sphinx trie binary (little-endian, x86):
//   "Trie Language Model" | u8 order | u32 counts[order]
//   if order > 1: i32 (ignored) | float quant[(order-2) * 2 * 65536 + 65536]
//     (per middle order: 65536 prob centers, 65536 backoff centers; then the
//      longest order's 65536 prob centers)
//   unigram {float prob, float backoff, u32 next}[counts[0] + 1]
//   if order > 1: bit-packed levels 2..order, each ((1+entries)*bits+7)/8 + 8 bytes
//     middle entry: word (word_bits) | backoff index (16) | prob index (16) | next (next_bits)
//     longest entry: word (word_bits) | prob index (16)
//   i32 k | k bytes of NUL-terminated words, in id order
// The trie is keyed from the predicted word backwards: the children of
// unigram w are the bigrams "h1 w", their children the trigrams "h2 h1 w".
#include "lm/sphinx_import.h"

#include <cstring>

#include "common/mapped_file.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

constexpr std::string_view kSphinxMagic = "Trie Language Model";
constexpr int kQuantBins = 65536;

int required_bits(std::uint32_t max_value) {
  int bits = 0;
  while (max_value) {
    ++bits;
    max_value >>= 1;
  }
  return bits;
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::kBadData, name_ + ": not a valid Sphinx trie LM: " + what);
  }
  std::string_view take(std::size_t n, const char* what) {
    if (n > bytes_.size() - pos_) fail(std::string("file ends inside ") + what);
    std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  template <typename T>
  T get(const char* what) {
    T v;
    std::memcpy(&v, take(sizeof v, what).data(), sizeof v);
    return v;
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  std::string name_;
  std::size_t pos_ = 0;
};

// One bit-packed level of the trie.
struct Level {
  std::string_view mem;
  int word_bits = 0, next_bits = 0, total_bits = 0;
  bool middle = false;
  std::uint32_t entries = 0;

  // Mirrors sphinxbase's 32-bit unaligned little-endian read.
  std::uint32_t read(std::uint64_t bit, int bits, const Reader& r) const {
    const std::uint64_t byte = bit >> 3;
    if (byte + 4 > mem.size()) r.fail("bit-packed read past the end of a level");
    std::uint32_t v;
    std::memcpy(&v, mem.data() + byte, 4);
    const std::uint32_t mask = bits >= 32 ? ~0u : ((1u << bits) - 1u);
    return (v >> (bit & 7)) & mask;
  }
  std::uint64_t at(std::uint32_t i) const { return std::uint64_t{i} * total_bits; }
  std::uint32_t word(std::uint32_t i, const Reader& r) const { return read(at(i), word_bits, r); }
  std::uint32_t backoff_index(std::uint32_t i, const Reader& r) const { return read(at(i) + word_bits, 16, r); }
  std::uint32_t prob_index(std::uint32_t i, const Reader& r) const {
    return read(at(i) + word_bits + (middle ? 16 : 0), 16, r);
  }
  std::uint32_t next(std::uint32_t i, const Reader& r) const { return read(at(i) + word_bits + 32, next_bits, r); }
};

}  // namespace

NgramSet read_sphinx_trie(std::string_view bytes, const std::string& name) {
  Reader r(bytes, name);
  if (r.take(std::min(kSphinxMagic.size(), bytes.size()), "the header") != kSphinxMagic) {
    r.fail("missing the \"Trie Language Model\" header");
  }
  const int order = r.get<std::uint8_t>("the header");
  if (order < 1 || order > kMaxOrder) r.fail("order " + std::to_string(order) + " outside 1..5");
  std::uint32_t counts[kMaxOrder] = {};
  for (int i = 0; i < order; ++i) counts[i] = r.get<std::uint32_t>("the n-gram counts");
  if (counts[0] == 0 || counts[0] >= (1u << 25)) r.fail("bad unigram count");
  for (int i = 1; i < order; ++i) {
    if (counts[i] >= (1u << 25)) r.fail("more than 2^25 n-grams of one order");
  }

  std::string_view quant;
  if (order > 1) {
    r.get<std::int32_t>("the quantizer");
    quant = r.take(std::size_t{4} * kQuantBins * (2 * (order - 2) + 1), "the quantizer tables");
  }
  auto quant_value = [&](int table, std::uint32_t index) {
    float v;
    std::memcpy(&v, quant.data() + (std::size_t{4} * (std::size_t(table) * kQuantBins + index)), 4);
    return v;
  };
  struct RawUnigram {
    float prob, backoff;
    std::uint32_t next;
  };
  std::vector<RawUnigram> uni(counts[0] + 1);
  std::memcpy(uni.data(), r.take(std::size_t{12} * (counts[0] + 1), "the unigrams").data(), 12 * uni.size());

  Level levels[kMaxOrder + 1];
  const int word_bits = required_bits(counts[0]);
  for (int n = 2; n <= order; ++n) {
    Level& l = levels[n];
    l.middle = n < order;
    l.entries = counts[n - 1];
    l.word_bits = word_bits;
    l.next_bits = l.middle ? required_bits(counts[n]) : 0;
    l.total_bits = word_bits + (l.middle ? 32 + l.next_bits : 16);
    const std::uint64_t size = ((1ull + l.entries) * l.total_bits + 7) / 8 + 8;
    l.mem = r.take(size, "the n-gram trie");
  }
  const std::int32_t pool_size = r.get<std::int32_t>("the word list size");
  if (pool_size < 0) r.fail("negative word list size");
  std::string_view pool = r.take(static_cast<std::size_t>(pool_size), "the word list");
  if (r.remaining() != 0) r.fail(std::to_string(r.remaining()) + " unexpected bytes after the word list");

  NgramSet set;
  set.order = order;
  set.source = UlmSource::kSphinx;
  // Sphinx id i becomes unspin id i + 1 (0 is <unk>), unless the word is <unk> itself.
  set.vocab.assign(1, kUnknownToken);
  set.uni_prob.assign(1, -99.0f);
  set.uni_backoff.assign(1, 0.0f);
  std::vector<WordId> remap(counts[0]);
  std::size_t start = 0;
  for (std::uint32_t i = 0; i < counts[0]; ++i) {
    const std::size_t end = pool.find('\0', start);
    if (end == std::string_view::npos) r.fail("word list holds fewer words than the unigram count");
    std::string w(pool.substr(start, end - start));
    start = end + 1;
    const float p = static_cast<float>(uni[i].prob * kSphinxLogToLog10);
    const float b = static_cast<float>(uni[i].backoff * kSphinxLogToLog10);
    if (w == kUnknownToken || w == "<UNK>") {
      remap[i] = kUnknownWord;
      set.uni_prob[0] = p;
      continue;
    }
    remap[i] = static_cast<WordId>(set.vocab.size());
    set.vocab.push_back(std::move(w));
    set.uni_prob.push_back(p);
    set.uni_backoff.push_back(b);
  }
  if (start != pool.size()) r.fail("word list holds more words than the unigram count");

  // Walk the trie. ctx[k] is the k-th word back from the predicted word.
  for (int n = 2; n <= order; ++n) {
    set.levels[n].words.reserve(std::size_t{counts[n - 1]} * n);
    set.levels[n].prob.reserve(counts[n - 1]);
    set.levels[n].backoff.reserve(counts[n - 1]);
  }
  WordId path[kMaxOrder];  // path[0] predicted word, path[k] k-th context word
  auto visit = [&](auto&& self, int n, std::uint32_t begin, std::uint32_t end) -> void {
    if (n > order || n > kMaxOrder) return;  // unreachable: middles exist below `order` only
    const Level& l = levels[n];
    if (begin > end || end > l.entries) r.fail("child range out of bounds at order " + std::to_string(n));
    for (std::uint32_t i = begin; i < end; ++i) {
      const std::uint32_t w = l.word(i, r);
      if (w >= counts[0]) r.fail("word id out of range at order " + std::to_string(n));
      path[n - 1] = remap[w];
      NgramLevel& out = set.levels[n];
      if (out.size() >= counts[n - 1]) r.fail("overlapping child ranges at order " + std::to_string(n));
      for (int k = n - 1; k >= 0; --k) out.words.push_back(path[k]);  // oldest first
      const int table = 2 * (n - 2);
      if (l.middle) {
        out.prob.push_back(static_cast<float>(quant_value(table, l.prob_index(i, r)) * kSphinxLogToLog10));
        out.backoff.push_back(static_cast<float>(quant_value(table + 1, l.backoff_index(i, r)) * kSphinxLogToLog10));
        self(self, n + 1, l.next(i, r), l.next(i + 1, r));
      } else {
        out.prob.push_back(static_cast<float>(quant_value(table, l.prob_index(i, r)) * kSphinxLogToLog10));
        out.backoff.push_back(0.0f);
      }
    }
  };
  for (std::uint32_t w = 0; w < counts[0]; ++w) {
    path[0] = remap[w];
    if (order > 1) visit(visit, 2, uni[w].next, uni[w + 1].next);
  }
  // sphinxbase's writer may overstate the header counts (its count fix-up
  // counts some inserted n-grams twice), so the trie may hold fewer n-grams
  // than the header says, never more (checked while walking).
  set.folds_case = vocab_is_lowercase(set);
  return set;
}

NgramSet read_sphinx_trie_file(const std::string& path) {
  MappedFile file(path);
  return read_sphinx_trie(file.bytes(), path);
}

}  // namespace unspin::lm
