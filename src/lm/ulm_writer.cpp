// write_ulm: lays an NgramSet out as a .ulm file (see ulm_format.h).
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/checksum.h"
#include "lm/ngram_set.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

std::uint64_t align_up(std::uint64_t x) { return (x + kSectionAlign - 1) / kSectionAlign * kSectionAlign; }

UlmSection place(std::uint64_t& cursor, std::uint64_t size) {
  UlmSection s{cursor, size};
  cursor = align_up(cursor + size);
  return s;
}

template <typename T>
T* at(std::vector<char>& buf, const UlmSection& s) {
  return reinterpret_cast<T*>(buf.data() + s.offset);
}

}  // namespace

void write_ulm(const NgramSet& set, const std::string& path) {
  const std::uint64_t vocab = set.vocab.size();
  if (vocab == 0 || vocab >= (1ull << 32) || set.uni_prob.size() != vocab || set.uni_backoff.size() != vocab) {
    throw Error(ErrorCode::kInternal, "write_ulm: inconsistent vocabulary");
  }
  UlmHeader h;
  std::memset(&h, 0, sizeof h);  // padding too: same input, same bytes
  std::memcpy(h.magic, kUlmMagic, sizeof h.magic);
  h.version = kUlmVersion;
  h.endian_probe = kEndianProbe;
  h.header_size = sizeof(UlmHeader);
  h.vocab_slot_size = sizeof(VocabSlot);
  h.unigram_size = sizeof(Unigram);
  h.entry_size = sizeof(NgramEntry);
  h.order = static_cast<std::uint32_t>(set.order);
  h.flags = set.folds_case ? std::uint32_t{kFlagFoldsCase} : 0u;
  h.source = static_cast<std::uint32_t>(set.source);
  h.unknown_log10 = set.unknown_log10;
  h.vocab_size = vocab;
  h.counts[0] = vocab;
  h.vocab_buckets = vocab_buckets_for(vocab);
  for (int n = 2; n <= set.order; ++n) {
    h.counts[n - 1] = set.levels[n].size();
    h.blanks[n - 1] = set.blanks[n - 1];
    h.buckets[n - 1] = ngram_buckets_for(set.levels[n].size());
  }
  std::memcpy(h.discounts, set.discounts, sizeof h.discounts);
  std::snprintf(h.provenance, sizeof h.provenance, "%s", set.provenance.c_str());

  std::uint64_t pool_size = 0;
  for (const std::string& w : set.vocab) pool_size += w.size();
  if (pool_size >= (1ull << 32)) throw Error(ErrorCode::kBadData, "vocabulary strings exceed 4 GB");

  std::uint64_t cursor = align_up(sizeof(UlmHeader));
  h.vocab_table = place(cursor, h.vocab_buckets * sizeof(VocabSlot));
  h.string_offsets = place(cursor, (vocab + 1) * 4);
  h.string_pool = place(cursor, pool_size);
  h.unigrams = place(cursor, vocab * sizeof(Unigram));
  for (int n = 2; n <= set.order; ++n) h.tables[n - 1] = place(cursor, h.buckets[n - 1] * sizeof(NgramEntry));
  h.file_size = cursor;

  std::vector<char> buf(h.file_size, 0);
  // Vocabulary: hash table, offsets, pool.
  auto* slots = at<VocabSlot>(buf, h.vocab_table);
  auto* offsets = at<std::uint32_t>(buf, h.string_offsets);
  char* pool = at<char>(buf, h.string_pool);
  std::uint32_t pos = 0;
  for (std::uint64_t id = 0; id < vocab; ++id) {
    const std::string& w = set.vocab[id];
    offsets[id] = pos;
    std::memcpy(pool + pos, w.data(), w.size());
    pos += static_cast<std::uint32_t>(w.size());
    const std::uint64_t hash = word_hash(w);
    for (std::uint64_t b = bucket_of(hash, h.vocab_buckets);; b = (b + 1 == h.vocab_buckets ? 0 : b + 1)) {
      if (slots[b].hash == 0) {
        slots[b].hash = hash;
        slots[b].id = static_cast<std::uint32_t>(id);
        break;
      }
      if (slots[b].hash == hash) {
        throw Error(ErrorCode::kBadData, "duplicate word \"" + w + "\" in the vocabulary (or a hash collision with \"" +
                                             set.vocab[slots[b].id] + "\")");
      }
    }
  }
  offsets[vocab] = pos;
  auto* uni = at<Unigram>(buf, h.unigrams);
  for (std::uint64_t id = 0; id < vocab; ++id) uni[id] = {set.uni_prob[id], set.uni_backoff[id]};
  uni[kUnknownWord] = {set.unknown_log10, 0.0f};
  // N-gram tables.
  for (int n = 2; n <= set.order; ++n) {
    const NgramLevel& level = set.levels[n];
    auto* table = at<NgramEntry>(buf, h.tables[n - 1]);
    const std::uint64_t buckets = h.buckets[n - 1];
    for (std::size_t i = 0; i < level.size(); ++i) {
      const WordId* w = &level.words[i * n];
      std::uint64_t key = ngram_key_start(w[n - 1]);
      for (int k = n - 2; k >= 0; --k) key = ngram_key_extend(key, w[k]);
      for (std::uint64_t b = bucket_of(key, buckets);; b = (b + 1 == buckets ? 0 : b + 1)) {
        if (table[b].key == 0) {
          table[b] = {key, level.prob[i], n == set.order ? 0.0f : level.backoff[i]};
          break;
        }
        if (table[b].key == key) {
          throw Error(ErrorCode::kBadData, "duplicate " + std::to_string(n) + "-gram (or a 64-bit hash collision)");
        }
      }
    }
  }
  h.body_checksum = fnv1a64(std::string_view(buf.data() + sizeof(UlmHeader), buf.size() - sizeof(UlmHeader)));
  std::memcpy(buf.data(), &h, sizeof h);  // h.complete is still 0: the marker goes last

  // Write to a temporary file, mark it complete, then rename: readers never see a half file.
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(ErrorCode::kIo, "cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size() && std::fflush(f) == 0;
  const std::uint64_t marker = kCompleteMarker;
  ok = ok && std::fseek(f, offsetof(UlmHeader, complete), SEEK_SET) == 0 &&
       std::fwrite(&marker, sizeof marker, 1, f) == 1;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw Error(ErrorCode::kIo, "cannot write " + tmp + " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(ErrorCode::kIo, "cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
}

}  // namespace unspin::lm
