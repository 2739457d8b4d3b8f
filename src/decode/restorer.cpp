// Restorer: the public face of decode::Pipeline.
#include "decode/pipeline.h"
#include "unspin/restore.h"

namespace unspin {

double default_verdict_threshold() { return decode::DecoderParams{}.verdict_threshold; }

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kClean: return "clean";
    case Verdict::kSpun: return "spun";
    case Verdict::kTooShort: return "too short";
    case Verdict::kNotEnglish: return "not English";
  }
  return "clean";
}

struct Restorer::Impl {
  RestoreOptions options;
  decode::Pipeline pipeline;
};

Restorer::Restorer(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(Impl{options, decode::Pipeline(models, options, decode::DecoderParams{})})) {}
Restorer::~Restorer() = default;

DocumentResult Restorer::run(std::string_view text) const {
  validate_input(text, impl_->options.max_input_bytes);
  decode::DocumentState doc = impl_->pipeline.prepare(text);
  return impl_->pipeline.finish(doc, impl_->pipeline.decode({&doc})[0]);
}

std::vector<DocumentResult> Restorer::run_same_source(
    const std::vector<std::string_view>& texts) const {
  std::vector<decode::DocumentState> docs;
  docs.reserve(texts.size());
  for (std::string_view t : texts) {
    validate_input(t, impl_->options.max_input_bytes);
    docs.push_back(impl_->pipeline.prepare(t));
  }
  std::vector<decode::DocumentState*> pointers;
  for (decode::DocumentState& d : docs) pointers.push_back(&d);
  const auto decisions = impl_->pipeline.decode(pointers);
  std::vector<DocumentResult> results;
  for (std::size_t i = 0; i < docs.size(); ++i) results.push_back(impl_->pipeline.finish(docs[i], decisions[i]));
  return results;
}

}  // namespace unspin
