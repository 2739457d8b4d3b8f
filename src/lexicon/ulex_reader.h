// A Lexicon over a .ulex image, used in place: either a mmap'd file or an
// owned buffer (user lexicons compiled in memory). Internal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/mapped_file.h"
#include "lexicon/ulex_format.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {

class UlexLexicon final : public Lexicon {
 public:
  // Checks the header in O(1) and throws Error(kBadModel) naming `origin` and
  // `rebuild_hint` when the image is unusable.
  static std::unique_ptr<UlexLexicon> from_file(const std::string& path, const std::string& rebuild_hint);
  static std::unique_ptr<UlexLexicon> from_bytes(std::string bytes, const std::string& origin);

  void lookup(std::string_view spun, std::vector<Candidate>* out) const override;
  bool has_longer(std::string_view prefix) const override;
  int max_key_words() const override { return static_cast<int>(header_.max_key_words); }
  bool contains(std::string_view spun) const override;
  std::size_t key_count() const override { return static_cast<std::size_t>(header_.key_count); }

  const FileHeader& header() const { return header_; }
  std::string_view bytes() const { return bytes_; }
  // Calls f(key, candidates) for every key with candidates, in key order.
  template <typename F>
  void for_each_key(F&& f) const;

 private:
  UlexLexicon() = default;
  void check_header(const std::string& origin, const std::string& hint);
  const KeyRecord* find(std::string_view folded) const;
  std::string_view str(std::uint32_t offset, std::uint32_t length) const;
  void append_candidates(const KeyRecord& rec, std::vector<Candidate>* out) const;

  std::optional<MappedFile> file_;
  std::string owned_;
  std::string_view bytes_;
  FileHeader header_{};
  std::string_view strings_;
  const KeyRecord* keys_ = nullptr;
  const EntryRecord* entries_ = nullptr;
  const std::uint32_t* hash_ = nullptr;
};

template <typename F>
void UlexLexicon::for_each_key(F&& f) const {
  std::vector<Candidate> cands;
  for (std::uint64_t i = 0; i < header_.record_count; ++i) {
    if (keys_[i].count == 0) continue;
    cands.clear();
    append_candidates(keys_[i], &cands);
    f(str(keys_[i].str_offset, keys_[i].str_length), cands);
  }
}

// Full integrity check for `unspin lexicon verify`: checksum, every record in
// bounds, keys sorted and unique, priors in (0, 1], hash table consistent.
// Returns an empty string when the file is sound, else what is wrong.
std::string verify_ulex(const UlexLexicon& lexicon);

}  // namespace unspin::lexicon
