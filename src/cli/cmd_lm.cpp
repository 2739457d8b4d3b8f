// `unspin lm ...`: import, build, inspect and evaluate language models.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "common/mapped_file.h"
#include "lm/arpa.h"
#include "lm/evaluate.h"
#include "lm/kneser_ney.h"
#include "lm/lm_text.h"
#include "lm/ngram_set.h"
#include "lm/sphinx_import.h"
#include "lm/ulm_file.h"
#include "unspin/error.h"
#include "unspin/lm.h"

namespace unspin::cli {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void finish_and_write(lm::NgramSet& set, const std::string& out, const std::string& arpa_out) {
  if (!arpa_out.empty()) lm::write_arpa(set, arpa_out);
  lm::close_ngram_set(set);
  lm::write_ulm(set, out);
  std::cerr << "wrote " << out << " (order " << set.order << ", " << set.vocab.size() << " words";
  for (int n = 2; n <= set.order; ++n) std::cerr << ", " << set.levels[n].size() << " " << n << "-grams";
  std::cerr << ")\n";
}

std::vector<std::vector<std::string>> read_sentences(const std::string& path, bool fold) {
  if (path == "-") return lm::split_sentences(read_input(path, std::size_t{1} << 34), fold);
  MappedFile file(path);
  return lm::split_sentences(file.bytes(), fold);
}

void add_import_sphinx(CLI::App& lm) {
  auto* cmd = lm.add_subcommand("import-sphinx", "Convert a CMU Sphinx trie binary (e.g. en-us.lm.bin) to .ulm");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto arpa = std::make_shared<std::string>();
  cmd->add_option("IN", *in, "Sphinx 'Trie Language Model' file")->required();
  cmd->add_option("-o,--output", *out, "Output .ulm file")->required();
  cmd->add_option("--arpa", *arpa, "Also write the model as ARPA (.gz compresses)");
  cmd->callback([in, out, arpa] {
    lm::NgramSet set = [&] {
      try {
        return lm::read_sphinx_trie_file(*in);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::kIo) throw;
        throw Error(ErrorCode::kBadData, e.what());
      }
    }();
    set.provenance = "import-sphinx " + *in;
    finish_and_write(set, *out, *arpa);
  });
}

void add_import_arpa(CLI::App& lm) {
  auto* cmd = lm.add_subcommand("import-arpa", "Convert an ARPA model (.arpa or .arpa.gz, order 1-5) to .ulm");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto unknown = std::make_shared<float>(0.0f);
  auto max_line = std::make_shared<std::string>("1M");
  cmd->add_option("IN", *in, "ARPA file, plain or gzip")->required();
  cmd->add_option("-o,--output", *out, "Output .ulm file")->required();
  auto* unk_opt =
      cmd->add_option("--unknown-log10", *unknown,
                      "Score of out-of-vocabulary words (default: the model's <unk>, else rarest word - 1)");
  cmd->add_option("--max-line-bytes", *max_line, "Longest accepted line")->capture_default_str();
  cmd->callback([in, out, unknown, unk_opt, max_line] {
    lm::ArpaLimits limits;
    limits.max_line_bytes = parse_size(*max_line);
    lm::NgramSet set = lm::read_arpa_file(*in, limits);
    if (unk_opt->count()) {
      set.unknown_log10 = *unknown;
    } else if (set.uni_prob[0] > -98.0f) {
      set.unknown_log10 = set.uni_prob[0];  // the model's own <unk> estimate
    }
    set.provenance = "import-arpa " + *in;
    finish_and_write(set, *out, "");
  });
}

void add_build(CLI::App& lm) {
  auto* cmd = lm.add_subcommand("build", "Estimate an interpolated modified Kneser-Ney model from plain text");
  auto order = std::make_shared<int>(4);
  auto out = std::make_shared<std::string>();
  auto arpa = std::make_shared<std::string>();
  auto texts = std::make_shared<std::vector<std::string>>();
  auto keep_case = std::make_shared<bool>(false);
  cmd->add_option("--order", *order, "Model order, 1-5")->capture_default_str();
  cmd->add_option("-o,--output", *out, "Output .ulm file")->required();
  cmd->add_option("--arpa", *arpa, "Also write the model as ARPA (.gz compresses)");
  cmd->add_flag("--keep-case", *keep_case, "Do not lowercase the text (the model then does not fold case)");
  cmd->add_option("TEXT", *texts, "Plain-text files (one sentence per line, or prose), - for stdin")->required();
  cmd->callback([order, out, arpa, texts, keep_case] {
    lm::KneserNeyBuilder builder(*order);
    for (const std::string& path : *texts) {
      for (const auto& s : read_sentences(path, !*keep_case)) builder.add_sentence(s);
    }
    lm::NgramSet set = builder.estimate();
    for (const std::string& w : builder.warnings()) std::cerr << "unspin: warning: " << w << "\n";
    set.folds_case = !*keep_case;
    set.provenance = "build --order " + std::to_string(*order) + (*keep_case ? " --keep-case" : "");
    // Provenance names the inputs (128 bytes in the header): a long list is summarized.
    for (std::size_t i = 0; i < texts->size() && i < 3; ++i) set.provenance += " " + base_name((*texts)[i]);
    if (texts->size() > 3) set.provenance += " ... (" + std::to_string(texts->size()) + " files)";
    std::cerr << "estimated from " << builder.sentences() << " sentences, " << builder.tokens() << " tokens\n";
    finish_and_write(set, *out, *arpa);
  });
}

void add_perplexity(CLI::App& lm) {
  auto* cmd = lm.add_subcommand("perplexity", "Perplexity and OOV rate of a model on text files");
  auto model_path = std::make_shared<std::string>();
  auto texts = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("MODEL", *model_path, ".ulm file")->required();
  cmd->add_option("TEXT", *texts, "Plain-text files, - for stdin")->required();
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([model_path, texts, json] {
    auto model = LanguageModel::open(*model_path);
    lm::PerplexityReport total;
    for (const std::string& path : *texts) total.add(lm::evaluate(*model, read_sentences(path, model->folds_case())));
    if (*json) {
      nlohmann::json j = {{"model", *model_path},
                          {"sentences", total.sentences},
                          {"words", total.words},
                          {"oov", total.oov},
                          {"oov_rate", total.oov_rate()},
                          {"log10_prob", total.log10_sum},
                          {"perplexity", total.perplexity()}};
      std::cout << j.dump() << "\n";
      return;
    }
    std::printf(
        "%llu sentences, %llu words, %llu OOV (%.2f%%)\nlog10 prob %.2f, perplexity %.2f (OOV excluded, </s> "
        "included)\n",
        static_cast<unsigned long long>(total.sentences), static_cast<unsigned long long>(total.words),
        static_cast<unsigned long long>(total.oov), 100.0 * total.oov_rate(), total.log10_sum, total.perplexity());
  });
}

// Scores `text` as one sentence from "<s>": on_word(word, id, log10, context
// length) for each word, then for "</s>".
template <typename OnWord>
void score_sentence(const LanguageModel& model, const std::string& text, OnWord on_word) {
  LmState state = model.begin_sentence(), next;
  auto score = [&](const std::string& word, WordId id) {
    on_word(word, id, model.score(state, id, &next), state.length);
    state = next;
  };
  for (const auto& words : lm::split_sentences(text, model.folds_case())) {
    for (const std::string& w : words) score(w, model.vocab_id(w));
  }
  score("</s>", model.end_sentence_id());
}

void add_score(CLI::App& lm) {
  auto* cmd = lm.add_subcommand("score", "Per-word log10 scores of a sentence");
  auto model_path = std::make_shared<std::string>();
  auto sentence = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("MODEL", *model_path, ".ulm file")->required();
  auto lines = std::make_shared<std::string>();
  auto* sentence_opt = cmd->add_option("SENTENCE", *sentence, "Text to score (one sentence; use perplexity for files)");
  auto* lines_opt = cmd->add_option("--lines", *lines,
                                    "Score each line of this file (- for stdin) as one sentence; prints "
                                    "words_log10<TAB>end_log10<TAB>line (end: the </s> term)");
  sentence_opt->excludes(lines_opt);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([model_path, sentence, lines, json, sentence_opt, lines_opt] {
    auto model = LanguageModel::open(*model_path);
    if (lines_opt->count() > 0) {
      // Many short sentences in one process (phrase lists, probes): the
      // model is opened once.
      std::ifstream file;
      if (*lines != "-") {
        file.open(*lines, std::ios::binary);
        if (!file) throw Error(ErrorCode::kIo, "cannot read " + *lines);
      }
      std::istream& in = *lines == "-" ? std::cin : file;
      std::string line;
      while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // The last term scored is "</s>": each term is added to the words'
        // sum when the next one arrives.
        double words_log10 = 0, end_log10 = 0;
        score_sentence(*model, line, [&](const std::string&, WordId, float s, int) {
          words_log10 += end_log10;
          end_log10 = s;
        });
        std::printf("%.4f\t%.4f\t%s\n", words_log10, end_log10, line.c_str());
      }
      return;
    }
    if (sentence_opt->count() == 0) throw CLI::RequiredError("SENTENCE or --lines");
    nlohmann::json rows = nlohmann::json::array();
    double total = 0;
    score_sentence(*model, *sentence, [&](const std::string& word, WordId id, float s, int context) {
      total += s;
      rows.push_back({{"word", word}, {"log10", s}, {"oov", id == kUnknownWord}, {"context", context}});
      if (!*json) {
        std::printf("%-20s %9.4f%s\n", word.c_str(), s,
                    id == kUnknownWord ? "  (OOV: fixed penalty, context reset)" : "");
      }
    });
    if (*json) {
      std::cout << nlohmann::json{{"words", rows}, {"total_log10", total}}.dump() << "\n";
    } else {
      std::printf("%-20s %9.4f\n", "total", total);
    }
  });
}

void add_info_verify(CLI::App& lm) {
  auto* info = lm.add_subcommand("info", "Describe a .ulm file");
  auto info_path = std::make_shared<std::string>();
  info->add_option("FILE", *info_path, ".ulm file")->required();
  info->callback([info_path] { std::cout << lm::describe_ulm(*info_path); });

  auto* verify = lm.add_subcommand("verify", "Check a .ulm file's structure and body checksum");
  auto verify_path = std::make_shared<std::string>();
  verify->add_option("FILE", *verify_path, ".ulm file")->required();
  verify->callback([verify_path] {
    const auto report = lm::verify_ulm(*verify_path);
    std::printf("%s: OK (checksum %016llx)\n", verify_path->c_str(),
                static_cast<unsigned long long>(report.computed_checksum));
  });
}

}  // namespace

void add_lm_commands(CLI::App& app) {
  auto* lm = app.add_subcommand("lm", "Language model tools: import, build, inspect, evaluate");
  lm->require_subcommand(1);
  add_import_sphinx(*lm);
  add_import_arpa(*lm);
  add_build(*lm);
  add_perplexity(*lm);
  add_score(*lm);
  add_info_verify(*lm);
}

}  // namespace unspin::cli
