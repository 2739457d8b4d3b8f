// The .ulm binary format: header, section layout, record structs and the
// hash functions shared by the writer and the in-place reader.
//
// A .ulm file is a header followed by 64-byte-aligned sections. Everything is
// little-endian and used in place after mmap; the loader checks the header and
// the section bounds, never the body (`unspin lm verify` checks the checksum).
// See docs/LM.md for the full description.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "common/checksum.h"
#include "unspin/lm.h"

namespace unspin::lm {

inline constexpr char kUlmMagic[8] = {'U', 'N', 'S', 'P', 'U', 'L', 'M', '\x1a'};
// 2: n-gram keys start from the bare word id (1 mixed it first).
inline constexpr std::uint32_t kUlmVersion = 2;
inline constexpr std::uint32_t kEndianProbe = 0x01020304u;
// Written into the header last, after every other byte reached the disk.
inline constexpr std::uint64_t kCompleteMarker = 0x4554454C504D4F43ull;  // "COMPLETE"
inline constexpr std::size_t kSectionAlign = 64;

enum UlmFlags : std::uint32_t {
  kFlagFoldsCase = 1u << 0,  // vocabulary is lowercase: callers' words are folded first
};

enum class UlmSource : std::uint32_t { kUnknown = 0, kSphinx = 1, kArpa = 2, kKneserNey = 3 };

struct UlmSection {
  std::uint64_t offset;  // from the start of the file, multiple of kSectionAlign
  std::uint64_t size;    // bytes
};

// Vocabulary lookup: open addressing over 64-bit word hashes. hash == 0 marks
// an empty slot (word_hash never returns 0).
struct VocabSlot {
  std::uint64_t hash;
  std::uint32_t id;
  std::uint32_t reserved;
};

struct Unigram {
  float prob;     // log10 P(w)
  float backoff;  // log10 backoff weight of the context "w"
};

// One n-gram of order >= 2 in a linear-probing table. key == 0 marks empty.
struct NgramEntry {
  std::uint64_t key;  // ngram_key() of the n-gram
  float prob;         // log10 P(w_n | w_1 .. w_n-1)
  float backoff;      // log10 backoff of the context w_1 .. w_n (0 at the highest order)
};

struct UlmHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t endian_probe;
  // Sanity values: a reader built with different struct layouts refuses the file.
  std::uint32_t header_size;
  std::uint32_t vocab_slot_size;
  std::uint32_t unigram_size;
  std::uint32_t entry_size;
  std::uint32_t order;
  std::uint32_t flags;
  std::uint32_t source;  // UlmSource
  float unknown_log10;
  std::uint64_t vocab_size;          // ids 0 .. vocab_size-1; id 0 is <unk>
  std::uint64_t counts[kMaxOrder];   // n-grams stored per order (counts[0] == vocab_size)
  std::uint64_t blanks[kMaxOrder];   // of which inserted by import to close prefixes/suffixes
  std::uint64_t buckets[kMaxOrder];  // table slots per order >= 2
  std::uint64_t vocab_buckets;
  // Build parameters: Kneser-Ney discounts D1, D2, D3+ per order (0 if imported).
  float discounts[kMaxOrder][3];
  std::uint32_t reserved0;
  char provenance[128];          // NUL-terminated, e.g. "import-sphinx en-us.lm.bin"
  UlmSection vocab_table;        // VocabSlot[vocab_buckets]
  UlmSection string_offsets;     // uint32[vocab_size + 1] into string_pool
  UlmSection string_pool;        // words, not terminated
  UlmSection unigrams;           // Unigram[vocab_size]
  UlmSection tables[kMaxOrder];  // NgramEntry[buckets[n-1]] for n >= 2; [0] unused
  std::uint64_t file_size;
  std::uint64_t body_checksum;  // fnv1a64 over bytes [header_size, file_size)
  std::uint64_t complete;       // kCompleteMarker once the file is whole
};
static_assert(sizeof(VocabSlot) == 16 && sizeof(Unigram) == 8 && sizeof(NgramEntry) == 16);
// Pinned: changing the header means a new kUlmVersion.
static_assert(sizeof(UlmHeader) == 544);

// murmur3's 64-bit finalizer: a bijection that spreads every input bit.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

inline std::uint64_t word_hash(std::string_view word) noexcept {
  const std::uint64_t h = mix64(fnv1a64(word));
  return h == 0 ? 1 : h;
}

// N-gram keys grow leftwards from the predicted word: key(w) = ngram_key_start(w),
// key(h1 w) = ngram_key_extend(key(w), h1), key(h2 h1 w) = extend(key(h1 w), h2).
// This is the order in which score() consults the tables.
// The start needs no mixing: every extension mixes, and unigrams are not hashed.
constexpr std::uint64_t ngram_key_start(WordId w) noexcept { return w; }
constexpr std::uint64_t ngram_key_extend(std::uint64_t key, WordId older) noexcept {
  const std::uint64_t h = mix64(key * 0x9E3779B97F4A7C15ull + older + 1);
  return h == 0 ? 1 : h;
}

// Maps a uniformly distributed key onto [0, n) without division (Lemire).
inline std::uint64_t bucket_of(std::uint64_t key, std::uint64_t n) noexcept {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(key) * n) >> 64);
}

// Table sizes: load factor 2/3 for n-gram tables, 1/2 for the vocabulary.
inline std::uint64_t ngram_buckets_for(std::uint64_t count) noexcept { return count + count / 2 + 1; }
inline std::uint64_t vocab_buckets_for(std::uint64_t count) noexcept { return 2 * count + 1; }

}  // namespace unspin::lm
