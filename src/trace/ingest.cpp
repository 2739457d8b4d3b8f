#include "trace/ingest.h"

#include <sstream>

#include "unspin/error.h"

namespace unspin::trace {

std::optional<FingerprintParams> parse_fingerprint_params(std::string_view described) {
  std::istringstream in{std::string(described)};
  std::string version;
  in >> version;
  if (version != "fingerprint-v1") return std::nullopt;
  FingerprintParams p;
  std::string item;
  int seen = 0;
  while (in >> item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) return std::nullopt;
    const std::string key = item.substr(0, eq);
    int value = 0;
    try {
      value = std::stoi(item.substr(eq + 1));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (key == "anchor_gram")
      p.anchor_gram = value;
    else if (key == "skeleton_words")
      p.skeleton_words = value;
    else if (key == "skeleton_sample")
      p.skeleton_sample = value;
    else
      return std::nullopt;
    ++seen;
  }
  if (seen != 3) return std::nullopt;
  try {
    p.validate();
  } catch (const Error&) {
    return std::nullopt;
  }
  return p;
}

FingerprintParams archive_params(archive::ArchiveStore& store, const FingerprintParams& fresh, bool fix) {
  const std::string stored = store.index_parameters();
  if (stored.empty()) {
    fresh.validate();
    if (fix) store.set_index_parameters(fresh.describe());
    return fresh;
  }
  auto parsed = parse_fingerprint_params(stored);
  if (!parsed) {
    throw Error(ErrorCode::kBadModel, "the archive was indexed with \"" + stored +
                                          "\", which this version of unspin cannot read; rebuild the archive");
  }
  return *parsed;
}

std::vector<bool> add_documents(archive::ArchiveStore& store, const std::vector<ArchiveDocument>& documents,
                                std::size_t max_input_bytes, const FingerprintParams& fresh_params) {
  std::vector<archive::NewDocument> batch;
  batch.reserve(documents.size());
  for (const ArchiveDocument& doc : documents) {
    if (doc.id.empty()) throw Error(ErrorCode::kUsage, "a document has an empty id");
    validate_input(doc.text, max_input_bytes);
  }
  const FingerprintParams params = archive_params(store, fresh_params, /*fix=*/true);
  TokenizedText tokens;
  for (const ArchiveDocument& doc : documents) {
    tokenize(doc.text, tokens);
    const std::vector<Word> words = document_words(tokens);
    archive::NewDocument out;
    out.id = doc.id;
    out.text = doc.text;
    out.words = static_cast<std::uint32_t>(words.size());
    out.features = fingerprint(words, params);
    batch.push_back(std::move(out));
  }
  return store.add(batch);
}

}  // namespace unspin::trace
