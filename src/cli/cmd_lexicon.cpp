// `unspin lexicon ...`: build, import, verify, lookup, stats, coverage,
// candidates. A thin layer over src/lexicon; errors are unspin::Error.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "lexicon/builder.h"
#include "lexicon/sources.h"
#include "lexicon/tools.h"
#include "lexicon/ulex_reader.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"
#include "unspin/lexicon.h"
#include "unspin/restore.h"

namespace unspin::cli {
namespace {

using nlohmann::json;

struct StackOptions {
  std::string models_dir;
  std::vector<std::string> user_lexicons;
  bool no_default = false;
};

void add_stack_options(CLI::App* cmd, StackOptions& o) {
  cmd->add_option("--models", o.models_dir,
                  "Folder with default.ulex (default: $UNSPIN_MODELS, else the folder ./setup.sh fills)");
  cmd->add_option("--lexicon", o.user_lexicons,
                  "Extra lexicon: .ulex, TSV (original<TAB>spun) or Paper Screener CSV; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--no-default", o.no_default, "Use only the --lexicon files, not the default lexicon");
}

std::string default_lexicon_path(const std::string& models_dir) {
  return (models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(models_dir)).lexicon;
}

LexiconStack load_stack(const StackOptions& o) {
  LexiconStack stack;
  if (!o.no_default) stack.add(Lexicon::open(default_lexicon_path(o.models_dir)));
  for (const std::string& path : o.user_lexicons) {
    UserLexiconReport report;
    stack.add(load_user_lexicon(path, &report));
    if (report.skipped > 0) {
      std::cerr << "unspin: " << path << ": " << report.pairs << " pairs, " << report.skipped
                << " lines skipped (`unspin lexicon import " << path << " -o X.ulex` lists why)\n";
    }
  }
  if (stack.empty()) throw Error(ErrorCode::kUsage, "--no-default needs at least one --lexicon");
  return stack;
}

std::string sources_text(std::uint16_t bits) {
  static const char* kNames[] = {"wordnet", "wn-relation", "mythes", "paraphrase", "inflected", "user", "two-hop"};
  std::string out;
  for (int b = 0; b < 7; ++b) {
    if (bits & (1u << b)) out += (out.empty() ? "" : "+") + std::string(kNames[b]);
  }
  return out;
}

void add_build(CLI::App& lex) {
  struct Opts {
    lexicon::BuildInputs in;
    std::string out;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lex.add_subcommand("build", "Compile WordNet, MyThes and curated tables into one .ulex");
  cmd->add_option("--wordnet", o->in.wordnet_dir, "WordNet 3.0 dict folder (/usr/share/wordnet)");
  cmd->add_option("--mythes", o->in.mythes_path, "MyThes thesaurus (/usr/share/mythes/th_en_US_v2.dat)");
  cmd->add_option("--table-dir", o->in.table_dir, "Folder of curated *.tsv paraphrase tables");
  cmd->add_option("--table", o->in.table_files, "Extra curated table; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--max-candidates", o->in.params.max_candidates, "Candidates kept per key (default 32)")
      ->check(CLI::Range(1, 255));
  cmd->add_option("--two-hop-fanout", o->in.params.two_hop_fanout,
                  "Synonyms followed per hop for two-hop candidates; 0 disables (default 6)")
      ->check(CLI::Range(0, 64));
  cmd->add_option("-o,--output", o->out, "Output .ulex file")->required();
  cmd->callback([o] {
    lexicon::BuildReport r;
    const std::string bytes = lexicon::build_lexicon(o->in, &r);
    lexicon::save_ulex(bytes, o->out);
    std::fprintf(stderr,
                 "unspin: lexicon %s: %zu keys, %zu bytes in %.1f s (wordnet %zu synsets -> %zu edges; "
                 "mythes %zu entries -> %zu edges; tables %zu lines -> %zu edges; two-hop %zu; "
                 "filtered %zu; %zu surface pairs before capping)\n",
                 o->out.c_str(), r.keys, bytes.size(), r.seconds, r.wordnet_synsets, r.wordnet_edges, r.mythes_entries,
                 r.mythes_edges, r.table_lines, r.table_edges, r.two_hop_edges, r.filtered, r.surface_pairs);
  });
}

void add_import(CLI::App& lex) {
  struct Opts {
    std::string in, out;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lex.add_subcommand("import", "Compile a user TSV or Paper Screener CSV into a .ulex");
  cmd->add_option("file", o->in, "original<TAB>spun TSV, or Paper Screener CSV export")->required();
  cmd->add_option("-o,--output", o->out, "Output .ulex file")->required();
  cmd->callback([o] {
    UserLexiconReport report;
    const std::string text = read_input(o->in, std::size_t{1} << 30);
    const std::string bytes = lexicon::compile_user_lexicon(text, o->in, &report);
    lexicon::save_ulex(bytes, o->out);
    std::fprintf(stderr, "unspin: %s: %zu pairs kept, %zu lines skipped -> %s\n", o->in.c_str(), report.pairs,
                 report.skipped, o->out.c_str());
    for (std::size_t i = 0; i < report.warnings.size() && i < 20; ++i) {
      std::cerr << "  " << report.warnings[i] << "\n";
    }
  });
}

void add_verify(CLI::App& lex) {
  auto path = std::make_shared<std::string>();
  auto models = std::make_shared<std::string>();
  auto* cmd = lex.add_subcommand("verify", "Check a .ulex file completely (checksum, every record)");
  cmd->add_option("file", *path, "Lexicon to check (default: the default lexicon)");
  cmd->add_option("--models", *models, "Model folder for the default lexicon");
  cmd->callback([path, models] {
    const std::string file = path->empty() ? default_lexicon_path(*models) : *path;
    auto lex = lexicon::UlexLexicon::from_file(file, "rebuild it (./setup.sh or unspin lexicon build)");
    const std::string problem = lexicon::verify_ulex(*lex);
    if (!problem.empty()) throw Error(ErrorCode::kBadModel, file + ": " + problem + "; rebuild it");
    std::printf("%s: OK (%" PRIu64 " keys, %" PRIu64 " candidates, checksum %016" PRIx64 ")\n", file.c_str(),
                lex->header().key_count, lex->header().entry_count, lex->header().body_checksum);
  });
}

void add_lookup(CLI::App& lex) {
  struct Opts {
    std::vector<std::string> phrases;
    StackOptions stack;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lex.add_subcommand("lookup", "List candidate originals of spun phrases");
  cmd->add_option("phrase", o->phrases, "Spun words or phrases (quote multiword phrases)")->required();
  add_stack_options(cmd, o->stack);
  cmd->add_flag("--json", o->json, "One JSON object per phrase");
  cmd->callback([o] {
    const LexiconStack stack = load_stack(o->stack);
    std::vector<Candidate> cands;
    for (const std::string& phrase : o->phrases) {
      cands.clear();
      stack.lookup(phrase, &cands);
      if (o->json) {
        json j{{"phrase", phrase}, {"candidates", json::array()}};
        for (const Candidate& c : cands) {
          j["candidates"].push_back(
              {{"original", c.original}, {"prior", c.prior}, {"sources", sources_text(c.sources)}});
        }
        std::cout << j.dump() << "\n";
        continue;
      }
      std::cout << phrase << ": " << cands.size() << " candidates"
                << (stack.has_longer(phrase) ? " (longer keys exist)" : "") << "\n";
      for (const Candidate& c : cands) {
        std::printf("  %-28.*s %.3f  %s\n", static_cast<int>(c.original.size()), c.original.data(), c.prior,
                    sources_text(c.sources).c_str());
      }
    }
  });
}

void add_stats(CLI::App& lex) {
  auto path = std::make_shared<std::string>();
  auto models = std::make_shared<std::string>();
  auto* cmd = lex.add_subcommand("stats", "Sizes of a .ulex file: keys, candidates by source, bytes");
  cmd->add_option("file", *path, "Lexicon (default: the default lexicon)");
  cmd->add_option("--models", *models, "Model folder for the default lexicon");
  cmd->callback([path, models] {
    const std::string file = path->empty() ? default_lexicon_path(*models) : *path;
    auto lex = lexicon::UlexLexicon::from_file(file, "rebuild it (./setup.sh or unspin lexicon build)");
    const lexicon::FileHeader& h = lex->header();
    std::printf("file            %s\n", file.c_str());
    std::printf("file size       %" PRIu64 " bytes\n", h.file_size);
    std::printf("format version  %u\n", h.version);
    std::printf("keys            %" PRIu64 " (+%" PRIu64 " prefix-only records)\n", h.key_count,
                h.record_count - h.key_count);
    std::printf("candidates      %" PRIu64 " (%.1f per key)\n", h.entry_count,
                h.key_count ? static_cast<double>(h.entry_count) / static_cast<double>(h.key_count) : 0.0);
    std::printf("string pool     %" PRIu64 " bytes\n", h.strings_size);
    std::printf("max key words   %u\n", h.max_key_words);
    std::printf("build params    max-candidates %u, two-hop-fanout %u, input hash %016" PRIx64 "\n", h.max_candidates,
                h.two_hop_fanout, h.input_hash);
    for (int b = 0; b < 7; ++b) {
      std::printf("  %-14s %" PRIu64 "\n", sources_text(static_cast<std::uint16_t>(1u << b)).c_str(),
                  h.entries_by_source[b]);
    }
  });
}

// Every spun form the lexicon knows, one per line: the phrase list of the
// `grep -F -f` comparison in bench/decode_speed.sh, and for inspection.
void add_keys(CLI::App& lex) {
  auto path = std::make_shared<std::string>();
  auto models = std::make_shared<std::string>();
  auto* cmd = lex.add_subcommand("keys", "Print every spun form (key) of a .ulex file, one per line");
  cmd->add_option("file", *path, "Lexicon (default: the default lexicon)");
  cmd->add_option("--models", *models, "Model folder for the default lexicon");
  cmd->callback([path, models] {
    const std::string file = path->empty() ? default_lexicon_path(*models) : *path;
    auto lex = lexicon::UlexLexicon::from_file(file, "rebuild it (./setup.sh or unspin lexicon build)");
    lex->for_each_key([](std::string_view key, const std::vector<Candidate>&) {
      std::fwrite(key.data(), 1, key.size(), stdout);
      std::fputc('\n', stdout);
    });
  });
}

void add_coverage(CLI::App& lex) {
  struct Opts {
    std::string pairs;
    StackOptions stack;
    int show_missed = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lex.add_subcommand("coverage",
                                 "Fraction of original<TAB>spun pairs whose original is a candidate of the spun form");
  cmd->add_option("pairs", o->pairs, "TSV of original<TAB>spun pairs (- for stdin)")->required();
  add_stack_options(cmd, o->stack);
  cmd->add_option("--show-missed", o->show_missed, "Print up to N pairs that are not covered");
  cmd->add_flag("--json", o->json, "Print a JSON object");
  cmd->callback([o] {
    const std::string text = read_input(o->pairs, std::size_t{1} << 30);
    const LexiconStack stack = load_stack(o->stack);
    const lexicon::CoverageResult r = lexicon::coverage(stack, text);
    if (r.pairs == 0) throw Error(ErrorCode::kBadData, o->pairs + ": no original<TAB>spun pairs");
    if (o->json) {
      std::cout
          << json{{"pairs", r.pairs}, {"covered", r.covered}, {"coverage", r.fraction()}, {"skipped", r.skipped}}.dump()
          << "\n";
    } else {
      std::printf("coverage %.4f (%zu of %zu pairs; %zu lines skipped)\n", r.fraction(), r.covered, r.pairs, r.skipped);
    }
    for (int i = 0; i < o->show_missed && i < static_cast<int>(r.missed.size()); ++i) {
      std::cout << "  missed: " << r.missed[static_cast<std::size_t>(i)] << "\n";
    }
  });
}

void add_candidates(CLI::App& lex) {
  struct Opts {
    std::vector<std::string> files;
    StackOptions stack;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = lex.add_subcommand("candidates", "Candidates per word token of some text (mean, median, p95)");
  cmd->add_option("files", o->files, "Text files (- for stdin)")->required();
  add_stack_options(cmd, o->stack);
  cmd->callback([o] {
    const LexiconStack stack = load_stack(o->stack);
    std::string all;
    for (const std::string& f : o->files) all += read_input(f, std::size_t{1} << 30) + "\n";
    const lexicon::CandidateStats s = lexicon::candidates_per_token(stack, all);
    if (s.tokens == 0) throw Error(ErrorCode::kEmptyInput, "no words (or invalid UTF-8) in the input");
    std::printf("tokens %zu, with candidates %zu (%.1f%%); candidates/token mean %.2f median %.0f p95 %.0f max %zu\n",
                s.tokens, s.with_any, 100.0 * static_cast<double>(s.with_any) / static_cast<double>(s.tokens), s.mean,
                s.median, s.p95, s.max);
  });
}

}  // namespace

void add_lexicon_commands(CLI::App& app) {
  auto* lex = app.add_subcommand("lexicon", "Lexicon tools: build, import, verify, lookup, stats, coverage");
  lex->require_subcommand(1);
  add_build(*lex);
  add_import(*lex);
  add_verify(*lex);
  add_lookup(*lex);
  add_stats(*lex);
  add_keys(*lex);
  add_coverage(*lex);
  add_candidates(*lex);
}

}  // namespace unspin::cli
