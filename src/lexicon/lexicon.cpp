// Placeholder until the lexicon stage lands.
#include "unspin/error.h"
#include "unspin/lexicon.h"
namespace unspin {
std::unique_ptr<Lexicon> Lexicon::open(const std::string& path) {
  throw Error(ErrorCode::kBadModel, "lexicon support is not built yet: " + path);
}
std::unique_ptr<Lexicon> load_user_lexicon(const std::string& path, UserLexiconReport*) {
  throw Error(ErrorCode::kBadModel, "lexicon support is not built yet: " + path);
}
void LexiconStack::add(std::unique_ptr<Lexicon> lexicon) { layers_.push_back(std::move(lexicon)); }
}  // namespace unspin
