// Placeholder until the LM stage lands.
#include "unspin/error.h"
#include "unspin/lm.h"
namespace unspin {
std::unique_ptr<LanguageModel> LanguageModel::open(const std::string& path) {
  throw Error(ErrorCode::kBadModel, "language model support is not built yet: " + path);
}
}  // namespace unspin
