#include "detect/evidence.h"
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <iterator>

#include "common/checksum.h"
#include "decode/fitted_params.h"
#include "decode/model_parts.h"
#include "fitted/bundle.h"
#include "lexicon/ulex_reader.h"
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
  paths.bundle = folder + "/" + fitted::kBundleFileName;
  return paths;
}

namespace {

// fitted.ubundle beside the LM.
std::string default_bundle_path(const ModelPaths& paths) {
  const std::size_t slash = paths.lm.rfind('/');
  return (slash == std::string::npos ? std::string() : paths.lm.substr(0, slash + 1)) + fitted::kBundleFileName;
}

}  // namespace

ModelPaths ModelPaths::defaults() {
  const char* env = std::getenv("UNSPIN_MODELS");
  return in_folder(env && *env ? env : UNSPIN_DEFAULT_MODELS_DIR);
}

std::unique_ptr<Models> Models::load(const ModelPaths& paths, std::vector<UserLexiconReport>* reports) {
  auto models = std::make_unique<Models>();
  models->lm = LanguageModel::open(paths.lm);
  models->info.push_back({"lm", paths.lm, model_file_checksum(paths.lm)});
  models->lexicons.add(Lexicon::open(paths.lexicon));
  models->info.push_back({"lexicon", paths.lexicon, model_file_checksum(paths.lexicon)});
  // The detector reads the default lexicon only: user tables change the
  // decoder's evidence, not the screen's (docs/ARCHITECTURE.md).
  auto parts = std::make_shared<Models::Parts>();
  // The fitted parameters, checked against the LM and lexicon just loaded.
  const std::string bundle_path = paths.bundle.empty() ? default_bundle_path(paths) : paths.bundle;
  auto bundle = fitted::Bundle::open(bundle_path);
  const fitted::BundleMismatch mismatch =
      fitted::check_bundle(*bundle, models->info[0].checksum, models->info[1].checksum);
  if (mismatch.mismatched && !paths.uncalibrated) throw Error(ErrorCode::kModelMismatch, mismatch.message);
  parts->fitted = std::make_shared<const decode::FittedParams>(std::move(bundle), !mismatch.mismatched);
  parts->evidence =
      std::make_shared<detect::EvidenceModel>(*models->lm, models->lexicons.front(), parts->fitted->word_model);
  // The built-in listed phrases: a static of the library, not owned here.
  parts->listed = std::shared_ptr<const listed::Matcher>(std::shared_ptr<void>(), &listed::builtin_matcher());
  parts->unlisted = std::make_shared<const listed::UnlistedFinder>(listed::PhraseList::builtin(), models->lm.get(),
                                                                   parts->fitted->unlisted);
  models->parts = std::move(parts);
  for (const std::string& user : paths.user_lexicons) {
    UserLexiconReport report;
    std::ifstream in(user, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    const lexicon::UserFormat format = lexicon::detect_user_format(text);
    // A table `learn --archive` wrote (method=aligned) holds pairs proven by
    // alignment with their sources: trusted as a user's table, its priors as given.
    const bool aligned = format == lexicon::UserFormat::kLearned && lexicon::learned_table_aligned(text);
    const bool learned_table = format == lexicon::UserFormat::kLearned && !aligned;
    // A learned table with no pair (a site too small to learn from) is valid and adds nothing.
    const std::size_t pairs =
        format == lexicon::UserFormat::kLearned ? lexicon::parse_learned_table(text, user, nullptr).size() : 0;
    const bool symmetric = paths.table_engine == TableEngine::kRewriter && format == lexicon::UserFormat::kGroups;
    if (format != lexicon::UserFormat::kLearned || pairs > 0) {
      models->lexicons.add(load_user_lexicon(user, &report, symmetric));
    }
    const std::size_t learned = learned_table ? pairs : 0;
    models->learned_pairs += learned;
    if (learned > 0) models->learned_pages = std::max(models->learned_pages, lexicon::learned_table_pages(text));
    // A learned table (SCHEMA §9) is trusted as far as its priors: it is no
    // user table, so it adds no known originals and keeps the default calibration.
    models->info.push_back({learned_table ? "learned_lexicon"
                            : aligned     ? "aligned_lexicon"
                            : symmetric   ? "user_lexicon_symmetric"
                                          : "user_lexicon",
                            user, model_file_checksum(user)});
    if (format != lexicon::UserFormat::kUlex && !learned_table) {
      for (const lexicon::UserPair& pair : lexicon::parse_user_pairs(text, user, nullptr, symmetric)) {
        float& total = models->user_originals[pair.original];
        total = std::min(1.0f, total + pair.prior);
      }
    }
    if (reports) reports->push_back(std::move(report));
  }
  // Last, so that the models and lexicons keep their places in provenance.
  models->info.push_back(
      {"listed_phrases", listed::PhraseList::builtin().info().path, listed::PhraseList::builtin().info().checksum});
  return models;
}

void Models::add_learned_table(std::string_view text, const std::string& origin) {
  if (lexicon::detect_user_format(text) != lexicon::UserFormat::kLearned) {
    throw Error(ErrorCode::kBadData, origin + ": not a learned table (no \"" +
                                         std::string(lexicon::kLearnedTableHeader) + "\" header line)");
  }
  const std::size_t pairs = lexicon::parse_learned_table(text, origin, nullptr).size();
  if (pairs > 0) {
    lexicons.add(lexicon::UlexLexicon::from_bytes(lexicon::compile_user_lexicon(text, origin, nullptr), origin));
  }
  learned_pairs += pairs;
  if (pairs > 0) learned_pages = std::max(learned_pages, lexicon::learned_table_pages(text));
  info.push_back({"learned_lexicon", origin, ""});
}

std::unique_ptr<Models> Models::with_learned_table(std::string_view text, const std::string& origin) const {
  auto out = std::make_unique<Models>(*this);
  out->add_learned_table(text, origin);
  return out;
}

std::string_view version() { return UNSPIN_VERSION; }

}  // namespace unspin
