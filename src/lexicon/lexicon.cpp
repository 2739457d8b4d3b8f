// Public entry points of the lexicon stage (include/unspin/lexicon.h).
#include <algorithm>
#include <fstream>

#include "lexicon/sources.h"
#include "lexicon/ulex_reader.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"
#include "unspin/lexicon.h"

namespace unspin {

std::unique_ptr<Lexicon> Lexicon::open(const std::string& path) {
  return lexicon::UlexLexicon::from_file(
      path,
      "rebuild it with ./setup.sh, or: unspin lexicon build --wordnet /usr/share/wordnet "
      "--mythes /usr/share/mythes/th_en_US_v2.dat --table-dir data/lexicon -o " +
          path);
}

std::unique_ptr<Lexicon> load_user_lexicon(const std::string& path, UserLexiconReport* report, bool symmetric_lines) {
  char head[8] = {};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::kIo, "cannot open user lexicon " + path);
    in.read(head, sizeof head);
  }
  if (lexicon::detect_user_format(std::string_view(head, sizeof head)) == lexicon::UserFormat::kUlex) {
    auto lex =
        lexicon::UlexLexicon::from_file(path, "recompile it with `unspin lexicon import SOURCE.tsv -o " + path + "`");
    if (report) report->pairs = lex->header().entry_count;
    return lex;
  }
  const std::string text = lexicon::read_whole_file(path);
  std::string bytes = lexicon::compile_user_lexicon(text, path, report, symmetric_lines);
  return lexicon::UlexLexicon::from_bytes(std::move(bytes), path);
}

void LexiconStack::add(std::unique_ptr<Lexicon> lexicon) {
  if (!lexicon) throw Error(ErrorCode::kInternal, "LexiconStack::add: null lexicon");
  layers_.push_back(std::move(lexicon));
}

void LexiconStack::lookup(std::string_view spun, std::vector<Candidate>* out) const {
  const std::size_t begin = out->size();
  for (const auto& layer : layers_) {
    const std::size_t before = out->size();
    layer->lookup(spun, out);
    if (before == begin) continue;  // first contributing layer: nothing to merge with
    // Merge this layer's candidates into the earlier ones: max prior (a learned
    // table's prior wins), OR sources.
    std::size_t keep = before;
    for (std::size_t i = before; i < out->size(); ++i) {
      Candidate c = (*out)[i];
      auto it = std::find_if(out->begin() + static_cast<std::ptrdiff_t>(begin),
                             out->begin() + static_cast<std::ptrdiff_t>(before),
                             [&](const Candidate& o) { return o.original == c.original; });
      if (it != out->begin() + static_cast<std::ptrdiff_t>(before)) {
        // A learned table's prior is a probability about this site's table:
        // it replaces a generic source's plausibility rather than being maxed with it.
        const bool learned_only_new = (c.sources & kSourceLearned) && !(it->sources & kSourceLearned);
        const bool learned_only_old = (it->sources & kSourceLearned) && !(c.sources & kSourceLearned);
        if (learned_only_new)
          it->prior = c.prior;
        else if (!learned_only_old)
          it->prior = std::max(it->prior, c.prior);
        it->sources |= c.sources;
      } else {
        (*out)[keep++] = c;
      }
    }
    out->resize(keep);
  }
  if (layers_.size() > 1) {
    std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(begin), out->end(),
                     [](const Candidate& a, const Candidate& b) { return a.prior > b.prior; });
  }
}

bool LexiconStack::has_longer(std::string_view prefix) const {
  return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->has_longer(prefix); });
}

bool LexiconStack::contains(std::string_view spun) const {
  return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->contains(spun); });
}

int LexiconStack::max_key_words() const {
  int n = 0;
  for (const auto& l : layers_) n = std::max(n, l->max_key_words());
  return n;
}

}  // namespace unspin
