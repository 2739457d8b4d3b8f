#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <iterator>

#include "common/checksum.h"
#include "lexicon/user_lexicon.h"
#include "listed/matcher.h"
#include "listed/unlisted.h"

#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin {

ModelPaths ModelPaths::in_folder(const std::string& folder) {
  ModelPaths paths;
  paths.lm = folder + "/en-us.ulm";
  paths.lexicon = folder + "/default.ulex";
  return paths;
}

ModelPaths ModelPaths::defaults() {
  const char* env = std::getenv("UNSPIN_MODELS");
  return in_folder(env && *env ? env : UNSPIN_DEFAULT_MODELS_DIR);
}

namespace {

// Cheap identity of a model file: its size and first 64 KiB, which hold the
// header with the body's checksum (the full check is `unspin lm|lexicon verify`).
std::string file_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(head, size)));
  return buf;
}

}  // namespace

std::unique_ptr<Models> Models::load(const ModelPaths& paths, std::vector<UserLexiconReport>* reports) {
  auto models = std::make_unique<Models>();
  models->lm = LanguageModel::open(paths.lm);
  models->info.push_back({"lm", paths.lm, file_checksum(paths.lm)});
  models->lexicons.add(Lexicon::open(paths.lexicon));
  models->info.push_back({"lexicon", paths.lexicon, file_checksum(paths.lexicon)});
  // The built-in listed phrases: a static of the library, not owned here.
  models->listed = std::shared_ptr<const listed::Matcher>(std::shared_ptr<void>(), &listed::builtin_matcher());
  models->unlisted = std::make_shared<const listed::UnlistedFinder>(listed::PhraseList::builtin(), models->lm.get());
  for (const std::string& user : paths.user_lexicons) {
    UserLexiconReport report;
    models->lexicons.add(load_user_lexicon(user, &report));
    models->info.push_back({"user_lexicon", user, file_checksum(user)});
    std::ifstream in(user, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    if (lexicon::detect_user_format(text) != lexicon::UserFormat::kUlex) {
      for (const lexicon::UserPair& pair : lexicon::parse_user_pairs(text, user, nullptr)) {
        float& total = models->user_originals[pair.original];
        total = std::min(1.0f, total + pair.prior);
      }
    }
    if (reports) reports->push_back(std::move(report));
  }
  // Last, so that the models and lexicons keep their places in provenance.
  models->info.push_back({"listed_phrases", listed::PhraseList::builtin().info().path,
                          listed::PhraseList::builtin().info().checksum});
  return models;
}

std::string_view version() { return UNSPIN_VERSION; }

}  // namespace unspin
