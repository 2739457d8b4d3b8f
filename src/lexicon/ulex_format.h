// On-disk layout of a compiled lexicon (.ulex), version 1. Internal.
//
// The file is used in place through mmap, so every record is a plain struct
// with fixed-width fields, little-endian, 8-byte aligned sections:
//
//   FileHeader                      (kHeaderSize bytes)
//   strings   [strings_size]        UTF-8 bytes of every key and original, deduplicated
//   keys      KeyRecord[records]    sorted by key bytes; includes prefix-only records
//   entries   EntryRecord[entries]  candidates, grouped per key, best prior first
//   hash      uint32_t[hash_slots]  open addressing (linear probe) on fnv1a64(key);
//                                   slot = record index + 1, 0 = empty
//
// Prefix-only records (count == 0, kHasLonger set) exist so that one hash probe
// answers lookup, contains and has_longer.
//
// Integrity: `complete` is written last (a crash mid-write leaves 0), the header
// carries the exact file size (catches truncation) and record sizes plus an
// endianness mark (catch ABI mismatches). body_checksum covers everything after
// the header; it is checked by `unspin lexicon verify`, not at every open, so
// opening stays O(1). Readers bounds-check every record they touch instead.
#pragma once

#include <cstdint>

namespace unspin::lexicon {

inline constexpr char kMagic[8] = {'U', 'N', 'S', 'P', 'L', 'E', 'X', '\x1a'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::uint32_t kEndianMark = 0x01020304u;
inline constexpr std::uint32_t kCompleteMark = 0x434f4d50u;  // "COMP"
inline constexpr int kMaxSourceBits = 8;

enum KeyFlags : std::uint8_t {
  kHasLonger = 1 << 0,  // some key starts with this key + " "
};

struct KeyRecord {
  std::uint32_t str_offset;   // into strings
  std::uint32_t first_entry;  // index into entries
  std::uint16_t str_length;
  std::uint8_t count;  // candidates; 0 for prefix-only records
  std::uint8_t flags;  // KeyFlags
};
static_assert(sizeof(KeyRecord) == 12);

struct EntryRecord {
  std::uint32_t str_offset;
  std::uint16_t str_length;
  std::uint16_t sources;  // LexiconSource bits
  float prior;            // (0, 1]
};
static_assert(sizeof(EntryRecord) == 12);

struct FileHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t endian_mark;
  std::uint32_t header_size;
  std::uint32_t key_record_size;
  std::uint32_t entry_record_size;
  std::uint32_t complete;  // kCompleteMark once the file is fully written
  // Build parameters, recorded so `stats` can show how a file was made.
  std::uint32_t max_candidates;  // cap on candidates per key
  std::uint32_t max_key_words;   // longest key, in words
  std::uint32_t two_hop_fanout;  // 0 = no two-hop candidates
  std::uint32_t reserved0;
  std::uint64_t file_size;
  std::uint64_t key_count;  // records with count > 0
  std::uint64_t record_count;
  std::uint64_t entry_count;
  std::uint64_t strings_offset, strings_size;
  std::uint64_t keys_offset;
  std::uint64_t entries_offset;
  std::uint64_t hash_offset, hash_slots;            // hash_slots is a power of two
  std::uint64_t body_checksum;                      // fnv1a64 of bytes [header_size, file_size)
  std::uint64_t input_hash;                         // content hash of the build inputs
  std::uint64_t entries_by_source[kMaxSourceBits];  // entries carrying each bit
  char reserved[48];
};
static_assert(sizeof(FileHeader) == 256);
inline constexpr std::uint32_t kHeaderSize = sizeof(FileHeader);

}  // namespace unspin::lexicon
