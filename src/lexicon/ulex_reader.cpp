#include "lexicon/ulex_reader.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "common/checksum.h"
#include "lexicon/normalize.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

[[noreturn]] void bad(const std::string& origin, const std::string& what, const std::string& hint) {
  throw Error(ErrorCode::kBadModel, origin + ": " + what + "; " + hint);
}

bool section_ok(std::uint64_t offset, std::uint64_t count, std::uint64_t size, std::uint64_t file) {
  if (offset % 8 != 0 || offset > file) return false;
  if (size != 0 && count > (file - offset) / size) return false;
  return true;
}

}  // namespace

std::unique_ptr<UlexLexicon> UlexLexicon::from_file(const std::string& path, const std::string& rebuild_hint) {
  std::unique_ptr<UlexLexicon> lex(new UlexLexicon());
  try {
    lex->file_.emplace(path);
  } catch (const Error& e) {
    throw Error(ErrorCode::kBadModel, std::string(e.what()) + "; " + rebuild_hint);
  }
  lex->bytes_ = lex->file_->bytes();
  lex->check_header(path, rebuild_hint);
  return lex;
}

std::unique_ptr<UlexLexicon> UlexLexicon::from_bytes(std::string bytes, const std::string& origin) {
  std::unique_ptr<UlexLexicon> lex(new UlexLexicon());
  lex->owned_ = std::move(bytes);
  lex->bytes_ = lex->owned_;
  lex->check_header(origin, "recompile it with `unspin lexicon import`");
  return lex;
}

void UlexLexicon::check_header(const std::string& origin, const std::string& hint) {
  if (bytes_.size() < sizeof(kMagic) || std::memcmp(bytes_.data(), kMagic, sizeof kMagic) != 0) {
    bad(origin, "not an unspin lexicon (.ulex): wrong magic bytes", hint);
  }
  if (bytes_.size() < kHeaderSize) bad(origin, "truncated: shorter than the lexicon header", hint);
  std::memcpy(&header_, bytes_.data(), sizeof header_);
  const FileHeader& h = header_;
  if (h.endian_mark != kEndianMark) bad(origin, "written on a machine of other byte order", hint);
  if (h.version != kFormatVersion) {
    bad(origin,
        "lexicon format version " + std::to_string(h.version) + ", this unspin reads version " +
            std::to_string(kFormatVersion),
        hint);
  }
  if (h.header_size != kHeaderSize || h.key_record_size != sizeof(KeyRecord) ||
      h.entry_record_size != sizeof(EntryRecord)) {
    bad(origin, "record sizes do not match this build of unspin", hint);
  }
  if (h.complete != kCompleteMark) bad(origin, "incomplete: the build that wrote it was interrupted", hint);
  if (h.file_size != bytes_.size()) {
    bad(origin,
        "truncated or padded: header says " + std::to_string(h.file_size) + " bytes, file has " +
            std::to_string(bytes_.size()),
        hint);
  }
  const std::uint64_t n = bytes_.size();
  const bool slots_pow2 = h.hash_slots != 0 && (h.hash_slots & (h.hash_slots - 1)) == 0;
  if (!section_ok(h.strings_offset, h.strings_size, 1, n) ||
      !section_ok(h.keys_offset, h.record_count, sizeof(KeyRecord), n) ||
      !section_ok(h.entries_offset, h.entry_count, sizeof(EntryRecord), n) ||
      !section_ok(h.hash_offset, h.hash_slots, sizeof(std::uint32_t), n) || !slots_pow2 ||
      h.key_count > h.record_count || h.hash_slots < h.record_count ||
      h.strings_size > std::numeric_limits<std::uint32_t>::max() ||
      h.record_count >= std::numeric_limits<std::uint32_t>::max() || h.max_key_words > 64) {
    bad(origin, "corrupt header: sections out of bounds", hint);
  }
  strings_ = bytes_.substr(h.strings_offset, h.strings_size);
  keys_ = reinterpret_cast<const KeyRecord*>(bytes_.data() + h.keys_offset);
  entries_ = reinterpret_cast<const EntryRecord*>(bytes_.data() + h.entries_offset);
  hash_ = reinterpret_cast<const std::uint32_t*>(bytes_.data() + h.hash_offset);
}

std::string_view UlexLexicon::str(std::uint32_t offset, std::uint32_t length) const {
  if (offset > strings_.size() || length > strings_.size() - offset) return {};
  return strings_.substr(offset, length);
}

const KeyRecord* UlexLexicon::find(std::string_view folded) const {
  if (folded.empty()) return nullptr;
  const std::uint64_t mask = header_.hash_slots - 1;
  std::uint64_t s = fnv1a64(folded) & mask;
  for (std::uint64_t probes = 0; probes < header_.hash_slots; ++probes) {
    const std::uint32_t slot = hash_[s];
    if (slot == 0) return nullptr;
    if (slot <= header_.record_count) {
      const KeyRecord& rec = keys_[slot - 1];
      if (rec.str_length == folded.size() && str(rec.str_offset, rec.str_length) == folded) {
        return &rec;
      }
    }
    s = (s + 1) & mask;
  }
  return nullptr;
}

void UlexLexicon::append_candidates(const KeyRecord& rec, std::vector<Candidate>* out) const {
  if (rec.first_entry > header_.entry_count || rec.count > header_.entry_count - rec.first_entry) {
    return;  // corrupt record: `verify` reports it; lookups stay safe
  }
  for (std::uint32_t i = 0; i < rec.count; ++i) {
    const EntryRecord& e = entries_[rec.first_entry + i];
    std::string_view original = str(e.str_offset, e.str_length);
    if (original.empty() || !(e.prior > 0.0f && e.prior <= 1.0f)) continue;
    out->push_back({original, e.prior, e.sources});
  }
}

namespace {

// The lowercase key for a lookup; no allocation for ASCII input up to 128
// bytes, the general (allocating) fold otherwise. Not copyable: it may view
// its own buffer.
class FoldedKey {
 public:
  explicit FoldedKey(std::string_view text) {
    const int n = fold_ascii(text, buf_, sizeof buf_);
    if (n >= 0) {
      view_ = std::string_view(buf_, static_cast<std::size_t>(n));
    } else {
      slow_ = normalize_phrase(text);
      view_ = slow_;
    }
  }
  FoldedKey(const FoldedKey&) = delete;
  FoldedKey& operator=(const FoldedKey&) = delete;
  std::string_view view() const { return view_; }

 private:
  char buf_[128];
  std::string slow_;
  std::string_view view_;
};

}  // namespace

void UlexLexicon::lookup(std::string_view spun, std::vector<Candidate>* out) const {
  FoldedKey key(spun);
  if (const KeyRecord* rec = find(key.view())) append_candidates(*rec, out);
}

bool UlexLexicon::has_longer(std::string_view prefix) const {
  FoldedKey key(prefix);
  const KeyRecord* rec = find(key.view());
  return rec && (rec->flags & kHasLonger);
}

bool UlexLexicon::contains(std::string_view spun) const {
  FoldedKey key(spun);
  const KeyRecord* rec = find(key.view());
  return rec && rec->count > 0;
}

std::string verify_ulex(const UlexLexicon& lex) {
  const FileHeader& h = lex.header();
  std::string_view bytes = lex.bytes();
  if (fnv1a64(bytes.substr(kHeaderSize)) != h.body_checksum) {
    return "checksum mismatch: the file is corrupt";
  }
  const auto* keys = reinterpret_cast<const KeyRecord*>(bytes.data() + h.keys_offset);
  const auto* entries = reinterpret_cast<const EntryRecord*>(bytes.data() + h.entries_offset);
  const auto* hash = reinterpret_cast<const std::uint32_t*>(bytes.data() + h.hash_offset);
  std::string_view strings = bytes.substr(h.strings_offset, h.strings_size);
  auto in_pool = [&](std::uint32_t off, std::uint32_t len) {
    return off <= strings.size() && len <= strings.size() - off;
  };
  std::string_view prev;
  std::uint64_t with_candidates = 0;
  for (std::uint64_t i = 0; i < h.record_count; ++i) {
    const KeyRecord& k = keys[i];
    if (!in_pool(k.str_offset, k.str_length) || k.str_length == 0) {
      return "key record " + std::to_string(i) + " points outside the string pool";
    }
    std::string_view key = strings.substr(k.str_offset, k.str_length);
    if (i > 0 && !(prev < key)) return "keys not sorted or duplicated at record " + std::to_string(i);
    prev = key;
    if (k.first_entry > h.entry_count || k.count > h.entry_count - k.first_entry) {
      return "key '" + std::string(key) + "' points outside the candidate table";
    }
    if (k.count == 0 && !(k.flags & kHasLonger)) return "empty key record '" + std::string(key) + "'";
    if (k.count > 0) ++with_candidates;
    for (std::uint32_t c = 0; c < k.count; ++c) {
      const EntryRecord& e = entries[k.first_entry + c];
      if (!in_pool(e.str_offset, e.str_length) || e.str_length == 0) {
        return "candidate of '" + std::string(key) + "' points outside the string pool";
      }
      if (!(e.prior > 0.0f && e.prior <= 1.0f)) return "prior out of (0,1] for '" + std::string(key) + "'";
    }
    if (lex.has_longer(key) != ((k.flags & kHasLonger) != 0) || lex.contains(key) != (k.count > 0)) {
      return "hash table does not find key '" + std::string(key) + "'";
    }
  }
  if (with_candidates != h.key_count) return "key count in header does not match the records";
  std::uint64_t used = 0;
  for (std::uint64_t s = 0; s < h.hash_slots; ++s) used += hash[s] != 0;
  if (used != h.record_count) return "hash table size does not match the records";
  return {};
}

}  // namespace unspin::lexicon
