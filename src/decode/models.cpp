#include <cstdlib>

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

std::unique_ptr<Models> Models::load(const ModelPaths& paths) {
  auto models = std::make_unique<Models>();
  models->lm = LanguageModel::open(paths.lm);
  models->lexicons.add(Lexicon::open(paths.lexicon));
  for (const std::string& user : paths.user_lexicons) {
    models->lexicons.add(load_user_lexicon(user));
  }
  return models;
}

std::string_view version() { return UNSPIN_VERSION; }

}  // namespace unspin
