// `unspin-eval listed clean-hits`: the tortured forms of the built-in
// Problematic Paper Screener list found in clean prose of the build part of
// every genre; regenerates data/pps/clean-prose.tsv, which the product embeds
// (src/listed, docs/LEXICON.md "The listed tortured phrases"). It reads the
// evaluation corpora, so it belongs to the harness, not to `unspin listed`.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "eval/corpus.h"
#include "eval_cli/commands.h"
#include "listed/matcher.h"
#include "listed/phrase_list.h"

namespace unspin::cli {
namespace {

void run_clean_hits(const std::string& corpora) {
  // Every pattern active: the clean-prose list itself must not gate them.
  const listed::PhraseList list = listed::PhraseList::builtin_filtered({}, false);
  const listed::Matcher m(list);
  const std::vector<eval::CorpusDoc> docs =
      eval::select_part(eval::load_corpus(corpora.empty() ? eval::default_corpora_dir() : corpora, eval::kFitSources),
                        eval::Part::kBuild);
  std::map<std::string, std::size_t> counts;
  std::size_t words = 0;
  for (const eval::CorpusDoc& d : docs) {
    words += d.words();
    for (const listed::Hit& h : m.find(d.text())) ++counts[std::string(h.phrase)];
  }
  std::vector<std::pair<std::size_t, std::string>> sorted;
  for (const auto& [p, n] : counts) sorted.push_back({n, p});
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::printf(
      "# Tortured forms of data/pps/tortured-phrases.tsv seen in clean prose of the build part of every\n"
      "# genre (%zu documents, %zu words: unspin-eval listed clean-hits; regenerate, do not edit): matched only\n"
      "# in a text that holds another listed phrase (docs/LEXICON.md). Columns: tortured form <TAB> occurrences\n",
      docs.size(), words);
  for (const auto& [n, p] : sorted) std::printf("%s\t%zu\n", p.c_str(), n);
}

}  // namespace

void add_listed_clean_hits_command(CLI::App& app) {
  CLI::App* listed = app.add_subcommand("listed", "The built-in list of tortured phrases, measured on the corpora");
  listed->require_subcommand(1);
  static std::string corpora;
  CLI::App* clean =
      listed->add_subcommand("clean-hits", "Tortured forms found in clean build-part prose (data/pps/clean-prose.tsv)");
  clean->add_option("--corpora", corpora, "npm corpora folder (default: the one setup.sh fills)");
  clean->callback([] { run_clean_hits(corpora); });
}

}  // namespace unspin::cli
