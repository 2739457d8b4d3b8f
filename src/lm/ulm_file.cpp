#include "lm/ulm_file.h"

#include <cstddef>
#include <cstdio>
#include <sstream>

#include "common/checksum.h"
#include "common/mapped_file.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what, const UlmHeader* header) {
  throw Error(ErrorCode::kBadModel, path + ": " + what + "; " + rebuild_hint(path, header));
}

void check_section(const UlmSection& s, std::uint64_t expected_size, std::uint64_t file_size, const char* name,
                   const std::string& path, const UlmHeader& h) {
  if (s.offset % kSectionAlign != 0 || s.offset < sizeof(UlmHeader) || s.offset > file_size ||
      s.size != expected_size || s.size > file_size - s.offset) {
    bad(path,
        std::string("section ") + name + " does not fit the file (offset " + std::to_string(s.offset) + ", size " +
            std::to_string(s.size) + ", expected size " + std::to_string(expected_size) + ", file size " +
            std::to_string(file_size) + ")",
        &h);
  }
}

}  // namespace

std::string rebuild_hint(const std::string& path, const UlmHeader* header) {
  std::string hint = "rebuild it: run ./setup.sh for the default model, or ";
  if (header && header->provenance[0] != '\0' && header->provenance[sizeof(header->provenance) - 1] == '\0') {
    hint += "re-run `unspin lm " + std::string(header->provenance) + " -o " + path + "`";
  } else {
    hint += "`unspin lm import-sphinx /usr/share/pocketsphinx/model/en-us/en-us.lm.bin -o " + path +
            "` (or `unspin lm import-arpa YOUR.arpa -o " + path + "` for your own model)";
  }
  return hint;
}

const UlmHeader& check_ulm_header(std::string_view bytes, const std::string& path) {
  if (bytes.size() >= 8 && bytes.substr(0, 8) != std::string_view(kUlmMagic, 8)) {
    std::string what = "not an unspin language model (.ulm): wrong magic bytes";
    if (bytes.substr(0, 19) == "Trie Language Model") {
      what += " (this is a Sphinx trie binary: convert it with `unspin lm import-sphinx " + path + " -o OUT.ulm`)";
    } else if (bytes.find("\\data\\") < 4096) {
      what += " (this looks like an ARPA file: convert it with `unspin lm import-arpa " + path + " -o OUT.ulm`)";
    }
    throw Error(ErrorCode::kBadModel, path + ": " + what);
  }
  if (bytes.size() < sizeof(UlmHeader)) {
    bad(path, "file is truncated (" + std::to_string(bytes.size()) + " bytes, shorter than the header)", nullptr);
  }
  // The mapping is page-aligned, so the header can be used in place.
  const auto& h = *reinterpret_cast<const UlmHeader*>(bytes.data());
  if (h.endian_probe != kEndianProbe) {
    bad(path, "written on a machine with a different byte order", nullptr);
  }
  if (h.version != kUlmVersion) {
    bad(path,
        "format version " + std::to_string(h.version) + ", this unspin reads version " + std::to_string(kUlmVersion),
        nullptr);
  }
  if (h.header_size != sizeof(UlmHeader) || h.vocab_slot_size != sizeof(VocabSlot) ||
      h.unigram_size != sizeof(Unigram) || h.entry_size != sizeof(NgramEntry)) {
    bad(path, "record sizes differ from this build's (built by an incompatible unspin)", nullptr);
  }
  if (h.complete != kCompleteMarker) {
    bad(path, "the file is incomplete (the program writing it was interrupted)", &h);
  }
  if (h.file_size != bytes.size()) {
    bad(path,
        "file is truncated or padded: header says " + std::to_string(h.file_size) + " bytes, file has " +
            std::to_string(bytes.size()),
        &h);
  }
  if (h.order < 1 || h.order > static_cast<std::uint32_t>(kMaxOrder)) {
    bad(path, "order " + std::to_string(h.order) + " outside 1..5", &h);
  }
  if (h.vocab_size < 1 || h.vocab_size >= (1ull << 32) || h.counts[0] != h.vocab_size ||
      h.vocab_buckets <= h.vocab_size || h.vocab_buckets > (1ull << 40)) {
    bad(path, "inconsistent vocabulary size", &h);
  }
  const std::uint64_t size = bytes.size();
  check_section(h.vocab_table, h.vocab_buckets * sizeof(VocabSlot), size, "vocab", path, h);
  check_section(h.string_offsets, (h.vocab_size + 1) * 4, size, "string offsets", path, h);
  check_section(h.string_pool, h.string_pool.size, size, "string pool", path, h);
  check_section(h.unigrams, h.vocab_size * sizeof(Unigram), size, "unigrams", path, h);
  for (std::uint32_t n = 2; n <= h.order; ++n) {
    if (h.buckets[n - 1] <= h.counts[n - 1] || h.buckets[n - 1] > (1ull << 40)) {
      bad(path, "inconsistent table size for order " + std::to_string(n), &h);
    }
    check_section(h.tables[n - 1], h.buckets[n - 1] * sizeof(NgramEntry), size, "n-grams", path, h);
  }
  return h;
}

VerifyReport verify_ulm(const std::string& path) {
  MappedFile file = [&] {
    try {
      return MappedFile(path);
    } catch (const Error& e) {
      throw Error(ErrorCode::kBadModel, std::string(e.what()) + "; " + rebuild_hint(path, nullptr));
    }
  }();
  const UlmHeader& h = check_ulm_header(file.bytes(), path);
  VerifyReport report;
  report.stored_checksum = h.body_checksum;
  report.computed_checksum = fnv1a64(file.bytes().substr(sizeof(UlmHeader)));
  if (!report.ok()) {
    bad(path, "body checksum mismatch (the file is corrupted)", &h);
  }
  return report;
}

std::string describe_ulm(const std::string& path) {
  MappedFile file = [&] {
    try {
      return MappedFile(path);
    } catch (const Error& e) {
      throw Error(ErrorCode::kBadModel, std::string(e.what()) + "; " + rebuild_hint(path, nullptr));
    }
  }();
  const UlmHeader& h = check_ulm_header(file.bytes(), path);
  static const char* kSources[] = {"unknown", "Sphinx trie binary", "ARPA", "Kneser-Ney estimate"};
  std::ostringstream out;
  out << "file:          " << path << " (" << h.file_size << " bytes)\n"
      << "format:        .ulm version " << h.version << "\n"
      << "order:         " << h.order << "\n"
      << "vocabulary:    " << h.vocab_size << " words (id 0 = <unk>)\n"
      << "folds case:    " << ((h.flags & kFlagFoldsCase) ? "yes" : "no") << "\n"
      << "source:        " << (h.source < 4 ? kSources[h.source] : "?") << "\n"
      << "made by:       unspin lm " << std::string(h.provenance, strnlen(h.provenance, sizeof(h.provenance))) << "\n"
      << "unknown word:  log10 " << h.unknown_log10 << "\n";
  for (std::uint32_t n = 1; n <= h.order; ++n) {
    out << "ngram " << n << "=" << h.counts[n - 1];
    if (n >= 2) {
      out << "  (" << h.blanks[n - 1] << " blanks, " << h.buckets[n - 1] << " slots)";
    }
    if (h.source == static_cast<std::uint32_t>(UlmSource::kKneserNey)) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "  discounts %.4f %.4f %.4f", h.discounts[n - 1][0], h.discounts[n - 1][1],
                    h.discounts[n - 1][2]);
      out << buf;
    }
    out << "\n";
  }
  char sum[32];
  std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(h.body_checksum));
  out << "checksum:      " << sum << " (check with `unspin lm verify`)\n";
  return out.str();
}

}  // namespace unspin::lm
