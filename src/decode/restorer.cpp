// Placeholder decoder: returns the input unchanged until the decoder lands.
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin {

struct Restorer::Impl {
  const Models& models;
  RestoreOptions options;
};

Restorer::Restorer(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(Impl{models, options})) {}
Restorer::~Restorer() = default;

DocumentResult Restorer::run(std::string_view text) const {
  validate_input(text, impl_->options.max_input_bytes);
  DocumentResult result;
  result.restored = std::string(text);
  return result;
}

std::vector<DocumentResult> Restorer::run_same_source(
    const std::vector<std::string_view>& texts) const {
  std::vector<DocumentResult> results;
  for (std::string_view t : texts) results.push_back(run(t));
  return results;
}

}  // namespace unspin
