#include "lexicon/ulex_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstddef>
#include <cstring>
#include <deque>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "common/checksum.h"
#include "lexicon/normalize.h"
#include "lexicon/ulex_format.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

void pad8(std::string* out) {
  while (out->size() % 8 != 0) out->push_back('\0');
}

template <typename T>
void append(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

class StringPool {
 public:
  std::uint32_t add(std::string_view s) {
    auto it = offsets_.find(s);
    if (it != offsets_.end()) return it->second;
    if (bytes_.size() + s.size() > std::numeric_limits<std::uint32_t>::max()) {
      throw Error(ErrorCode::kBadData, "lexicon too large: string pool exceeds 4 GiB");
    }
    const auto offset = static_cast<std::uint32_t>(bytes_.size());
    bytes_.append(s);
    owned_.emplace_back(s);
    offsets_.emplace(owned_.back(), offset);
    return offset;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  std::deque<std::string> owned_;
  std::unordered_map<std::string_view, std::uint32_t> offsets_;
};

}  // namespace

std::string write_ulex(const CandidateTable& table, const BuildParams& params) {
  // Records: every key plus every word prefix of a multiword key.
  struct Rec {
    std::string_view key;
    const TableKey* source;  // nullptr for prefix-only
    bool has_longer;
  };
  std::vector<Rec> recs;
  recs.reserve(table.size());
  for (const TableKey& k : table) recs.push_back({k.key, &k, false});
  std::vector<std::string_view> prefixes;
  for (const TableKey& k : table) {
    for (std::size_t p = k.key.find(' '); p != std::string::npos; p = k.key.find(' ', p + 1)) {
      prefixes.push_back(std::string_view(k.key).substr(0, p));
    }
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  std::sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.key < b.key; });
  {
    std::vector<Rec> merged;
    merged.reserve(recs.size() + prefixes.size());
    std::size_t i = 0, j = 0;
    while (i < recs.size() || j < prefixes.size()) {
      if (j == prefixes.size() || (i < recs.size() && recs[i].key < prefixes[j])) {
        merged.push_back(recs[i++]);
      } else if (i == recs.size() || prefixes[j] < recs[i].key) {
        merged.push_back({prefixes[j++], nullptr, true});
      } else {
        recs[i].has_longer = true;
        merged.push_back(recs[i++]);
        ++j;
      }
    }
    recs.swap(merged);
  }

  StringPool pool;
  std::vector<KeyRecord> keys;
  std::vector<EntryRecord> entries;
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kFormatVersion;
  h.endian_mark = kEndianMark;
  h.header_size = kHeaderSize;
  h.key_record_size = sizeof(KeyRecord);
  h.entry_record_size = sizeof(EntryRecord);
  h.complete = 0;
  h.max_candidates = params.max_candidates;
  h.two_hop_fanout = params.two_hop_fanout;
  h.input_hash = params.input_hash;
  for (const Rec& r : recs) {
    if (r.key.size() > std::numeric_limits<std::uint16_t>::max()) {
      throw Error(ErrorCode::kBadData, "lexicon key too long: " + std::string(r.key.substr(0, 60)));
    }
    KeyRecord kr{};
    kr.str_offset = pool.add(r.key);
    kr.str_length = static_cast<std::uint16_t>(r.key.size());
    kr.first_entry = static_cast<std::uint32_t>(entries.size());
    kr.flags = r.has_longer ? kHasLonger : 0;
    if (r.source) {
      const std::size_t n = std::min<std::size_t>(r.source->candidates.size(), 255);
      kr.count = static_cast<std::uint8_t>(n);
      if (n > 0) {
        ++h.key_count;
        h.max_key_words = std::max<std::uint32_t>(h.max_key_words, word_count(r.key));
      }
      for (std::size_t c = 0; c < n; ++c) {
        const TableCandidate& cand = r.source->candidates[c];
        EntryRecord e{};
        e.str_offset = pool.add(cand.original);
        e.str_length = static_cast<std::uint16_t>(std::min<std::size_t>(cand.original.size(), 65535));
        e.sources = cand.sources;
        e.prior = cand.prior;
        for (int b = 0; b < kMaxSourceBits; ++b) {
          if (cand.sources & (1u << b)) ++h.entries_by_source[b];
        }
        entries.push_back(e);
      }
    }
    keys.push_back(kr);
  }
  if (entries.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(ErrorCode::kBadData, "lexicon too large: more than 2^32 candidates");
  }
  h.record_count = keys.size();
  h.entry_count = entries.size();

  std::uint64_t slots = 16;
  while (slots < keys.size() * 2) slots <<= 1;
  std::vector<std::uint32_t> hash(slots, 0);
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    std::uint64_t s = fnv1a64(recs[i].key) & (slots - 1);
    while (hash[s] != 0) s = (s + 1) & (slots - 1);
    hash[s] = i + 1;
  }
  h.hash_slots = slots;

  std::string out(kHeaderSize, '\0');
  h.strings_offset = out.size();
  h.strings_size = pool.bytes().size();
  out += pool.bytes();
  pad8(&out);
  h.keys_offset = out.size();
  for (const KeyRecord& k : keys) append(&out, k);
  pad8(&out);
  h.entries_offset = out.size();
  for (const EntryRecord& e : entries) append(&out, e);
  pad8(&out);
  h.hash_offset = out.size();
  for (std::uint32_t s : hash) append(&out, s);
  pad8(&out);
  h.file_size = out.size();
  h.body_checksum = fnv1a64(std::string_view(out).substr(kHeaderSize));
  std::memcpy(out.data(), &h, sizeof h);  // complete == 0 until save/open
  h.complete = kCompleteMark;
  std::memcpy(out.data() + offsetof(FileHeader, complete), &h.complete, sizeof h.complete);
  return out;
}

void save_ulex(const std::string& bytes, const std::string& path) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(ErrorCode::kIo, "cannot write " + tmp + ": " + std::strerror(errno));
  // Body first with the completeness mark cleared, then the mark.
  std::string first = bytes;
  const std::uint32_t zero = 0;
  std::memcpy(first.data() + offsetof(FileHeader, complete), &zero, sizeof zero);
  bool ok = std::fwrite(first.data(), 1, first.size(), f) == first.size() && std::fflush(f) == 0;
  if (ok) {
    ok = std::fseek(f, offsetof(FileHeader, complete), SEEK_SET) == 0 &&
         std::fwrite(bytes.data() + offsetof(FileHeader, complete), 1, sizeof(std::uint32_t), f) ==
             sizeof(std::uint32_t);
  }
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw Error(ErrorCode::kIo, "cannot write " + tmp + " (disk full?)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(ErrorCode::kIo, "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
}

}  // namespace unspin::lexicon
