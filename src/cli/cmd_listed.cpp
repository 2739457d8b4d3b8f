// `unspin listed`: the built-in Problematic Paper Screener list (src/listed,
// docs/LEXICON.md "The listed tortured phrases").
//   listed stats               the list's provenance and how its pairs were cleaned
//   listed scan [FILE...]      listed hits as TSV (file, line:col, written, phrase, correction, papers)
// (`unspin-eval listed clean-hits`, which regenerates data/pps/clean-prose.tsv
// from the evaluation corpora, belongs to the harness: harness/eval_cli.)
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/input.h"
#include "listed/matcher.h"
#include "listed/phrase_list.h"
#include "listed/unlisted.h"
#include "unspin/error.h"

namespace unspin::cli {
namespace {

void run_stats() {
  const listed::PhraseList& list = listed::PhraseList::builtin();
  const listed::ListInfo& info = list.info();
  std::printf("name\t%s\nversion\t%s\nlicence\t%s\nchecksum\t%s\npath\t%s\nattribution\t%s\n", info.name.c_str(),
              info.version.c_str(), info.licence.c_str(), info.checksum.c_str(), info.path.c_str(),
              info.attribution.c_str());
  std::map<std::string, std::size_t> by_status;
  std::size_t unknown = 0;
  for (const listed::ListedPhrase& p : list.phrases()) {
    ++by_status[std::string(listed::status_name(p.status))];
    unknown += p.correct.empty();
  }
  std::printf("pairs in the file\t%zu\ndistinct patterns\t%zu\n", list.raw_pairs(), list.phrases().size());
  for (const auto& [status, n] : by_status) std::printf("status %s\t%zu\n", status.c_str(), n);
  std::printf("correct term unknown\t%zu\nmatched patterns\t%zu\n", unknown, listed::builtin_matcher().patterns());
  const listed::UnlistedModel model = listed::UnlistedModel::learn(list);
  std::printf(
      "unlisted: pairs aligned\t%zu\nunlisted: word substitutions seen\t%zu\nunlisted: distinct written words\t%zu\n"
      "unlisted: correct-term bigrams\t%zu\n",
      model.pairs_aligned, model.substitutions_seen, model.substitutions.size(), model.bigrams.size());
}

void run_scan(const std::vector<std::string>& files) {
  const listed::Matcher& m = listed::builtin_matcher();
  for (const std::string& f : files.empty() ? std::vector<std::string>{"-"} : files) {
    const std::string text = read_input(f, 64u << 20);
    std::size_t line = 1, col = 1, at = 0;
    for (const listed::Hit& h : m.find(text)) {
      for (; at < h.byte_begin; ++at) {
        if (text[at] == '\n')
          line += 1, col = 1;
        else if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80)
          ++col;
      }
      std::printf("%s\t%zu:%zu\t%s\t%.*s\t%s\t%u\n", f.c_str(), line, col,
                  text.substr(h.byte_begin, h.byte_end - h.byte_begin).c_str(), static_cast<int>(h.phrase.size()),
                  h.phrase.data(), listed::Matcher::correction(h).c_str(), h.papers);
    }
  }
}

}  // namespace

void add_listed_commands(CLI::App& app) {
  CLI::App* listed = app.add_subcommand("listed", "The built-in Problematic Paper Screener list of tortured phrases");
  listed->require_subcommand(1);
  CLI::App* stats = listed->add_subcommand("stats", "Provenance of the list and how its pairs were cleaned");
  stats->callback([] { run_stats(); });
  static std::vector<std::string> files;
  CLI::App* scan = listed->add_subcommand(
      "scan", "Listed hits of texts as TSV: file, line:col, written, phrase, correction, papers");
  scan->add_option("files", files, "Text files ('-' or none: standard input)");
  scan->callback([] { run_scan(files); });
}

}  // namespace unspin::cli
