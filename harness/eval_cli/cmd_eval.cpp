// `unspin-eval spin` (simulated spinners with gold edits) and `unspin-eval eval`
// (the measuring instrument: restoration, detection, speed; `eval corpus`
// lists and extracts the held-out split).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_limits.h"

#include "eval_cli/commands.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "eval/corpus.h"
#include "eval/genres.h"
#include "eval/plots.h"
#include "eval/report.h"
#include "eval/runner.h"
#include "eval/scan.h"
#include "eval/spin_stats.h"
#include "eval/spinner.h"
#include "unspin/error.h"
#include "unspin/lm.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace unspin::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct SpinOptions {
  std::string style = "thesaurus";
  double rate = 0.3;
  std::uint64_t seed = 1;
  std::string file = "-";
  std::string gold;
  std::string spinner_data;
  std::string aiksaurus;
  std::string table;        // --table: a user's group table for the table styles
  std::string write_table;  // --write-table: export the table style's groups
};

eval::SpinnerData load_spinner_data(const std::string& data_dir, const std::string& aiksaurus) {
  return eval::SpinnerData::load(data_dir.empty() ? eval::SpinnerData::default_data_dir() : data_dir,
                                 aiksaurus.empty() ? eval::SpinnerData::default_aiksaurus_dir() : aiksaurus);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out) throw Error(ErrorCode::kIo, "cannot write " + path);
}

json gold_json(const SpinOptions& o, const eval::SpinOutput& s) {
  json edits = json::array();
  for (const eval::GoldEdit& e : s.edits) {
    edits.push_back({{"byte_begin", e.byte_begin},
                     {"byte_end", e.byte_end},
                     {"cp_begin", e.cp_begin},
                     {"cp_end", e.cp_end},
                     {"spun", e.spun},
                     {"original", e.original}});
  }
  return {{"style", o.style},
          {"rate", o.rate},
          {"seed", o.seed},
          {"eligible", s.eligible},
          {"offsets", "byte_* in UTF-8 bytes, cp_* in code points, [begin, end) of the spun text"},
          {"edits", std::move(edits)}};
}

void run_spin(const SpinOptions& o) {
  const eval::SpinStyle style = eval::parse_style(o.style);
  const std::string text = read_input(o.file, kDefaultMaxInputBytes);
  validate_input(text, kDefaultMaxInputBytes);
  eval::SpinnerData data = load_spinner_data(o.spinner_data, o.aiksaurus);
  if (!o.table.empty()) {
    data.table = eval::GroupTable::parse(read_input(o.table, kDefaultMaxInputBytes), o.table);
    data.table_v1 = data.table;
    data.table_v2 = data.table;
  }
  if (!o.write_table.empty()) {
    write_file(o.write_table, (eval::is_table_style(style) ? data.table_of(style) : data.table).to_text());
  }
  const eval::SpinOutput out = eval::Spinner(data, style, o.rate, o.seed).spin(text);
  if (!o.gold.empty()) write_file(o.gold, gold_json(o, out).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  std::fwrite(out.text.data(), 1, out.text.size(), stdout);
  std::fflush(stdout);
}

struct SpinStatsOptions {
  std::vector<std::string> styles{"table-v2", "symmetric", "table-v1"};
  double rate = 1.0;
  std::uint64_t seed = 1;
  std::size_t docs = 80, length = 300;
  std::string part = "eval";
  std::string corpora, models_dir, spinner_data, aiksaurus, markdown;
  bool no_lm = false;
  bool check = false;
};

// The technical genres of the page statistics (Debian documentation, man
// pages, Python's); the news ones are eval::kNewsSources.
const std::vector<std::string> kTechnicalSources = {
    "debian-reference", "developers-reference", "debian-policy", "maint-guide", "debian-faq", "manpages", "python-doc"};

// `unspin-eval spin-stats`: the table family's statistics (eval/spin_stats.h) per
// style, beside the real tables' (PROBLEM.md 1c).
int run_spin_stats(const SpinStatsOptions& o) {
  const eval::SpinnerData data = load_spinner_data(o.spinner_data, o.aiksaurus);
  const std::string corpora = o.corpora.empty() ? eval::default_corpora_dir() : o.corpora;
  const eval::Part part = eval::parse_part(o.part);
  const std::vector<eval::Excerpt> technical =
      eval::make_excerpts(eval::select_part(eval::load_corpus(corpora, kTechnicalSources), part), o.length, o.docs);
  const std::vector<eval::Excerpt> news =
      eval::make_excerpts(eval::select_part(eval::load_corpus(corpora, eval::kNewsSources), part), o.length, o.docs);
  std::unique_ptr<LanguageModel> lm;
  if (!o.no_lm) {
    const ModelPaths paths = harness_model_paths(o.models_dir);
    lm = LanguageModel::open(paths.lm);
  }
  std::vector<std::vector<eval::StatRow>> rows;
  bool all_within = true;
  for (const std::string& name : o.styles) {
    const eval::SpinStyle style = eval::parse_style(name);
    if (!eval::is_table_style(style)) throw Error(ErrorCode::kUsage, "spin-stats: " + name + " is no table style");
    const eval::TableStats t = eval::table_stats(data.table_of(style), data);
    const eval::PageStats tp = eval::page_stats(data, style, o.rate, o.seed, technical, lm.get());
    const eval::PageStats np = eval::page_stats(data, style, o.rate, o.seed, news, lm.get());
    rows.push_back(eval::stat_rows(t, tp, np));
    std::cerr << "unspin: " << name << ": " << t.groups << " groups, " << tp.pages << " technical pages (" << tp.edits
              << " edits), " << np.pages << " news pages (" << np.edits << " edits)\n";
    for (const eval::StatRow& r : rows.back())
      all_within &= r.within() || (o.no_lm && r.name.find("LM") != std::string::npos);
  }
  const std::string md = eval::stats_markdown(o.styles, rows);
  if (o.markdown.empty())
    std::cout << md;
  else
    write_file(o.markdown, md);
  return o.check && !all_within ? 1 : 0;
}

struct EvalOptions {
  bool quick = false;
  std::vector<std::string> styles;
  std::vector<double> rates;
  std::vector<std::size_t> lengths;
  std::size_t docs = 0;
  std::uint64_t seed = 1;
  std::string json_out, markdown_out, floors;
  std::string models_dir, corpora, spinner_data, aiksaurus, screening_list;
  std::vector<std::string> sources = eval::kNewsSources;
  std::vector<std::string> systems{"unspin", "unspin+table", "screening-list", "thesaurus+unigram"};
  double unigram_margin = 1.0;
  std::string part = "eval";        // --part build: develop on the build part, report on eval
  std::string plots;                // --plots DIR: SVG figures
  std::size_t aligned_pages = 200;  // unspin+aligned, unspin+table-seen: the farm's pages learned from
};

// The decoder runs with a low edit threshold; the runner applies the shipped
// one (0.5) and the others of the precision-recall curve.
RestoreOptions graded_options() {
  RestoreOptions o;
  o.min_confidence = 0.05;
  // Restoration is measured as `restore` runs: every document decoded (the
  // screen's verdicts are measured by `unspin-eval eval detect`).
  o.screen = false;
  return o;
}

// Keeps a second model set and restorer (unspin+table, unspin+aligned,
// unspin+table-seen: a table file given as --lexicon) alive for the run.
struct TableGiven {
  std::string table_path;
  std::unique_ptr<Models> models;
  std::unique_ptr<Restorer> restorer;
  ~TableGiven() {
    if (!table_path.empty()) std::remove(table_path.c_str());
  }
};

std::string temporary_path(const std::string& what) {
  char path[] = "/tmp/unspin-eval-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw Error(ErrorCode::kIo, "cannot create a temporary file for " + what);
  ::close(fd);
  return path;
}

// The decoder given `table_text` (a table file) as --lexicon, read as
// `engine` applied it (--table-engine).
std::unique_ptr<eval::System> decoder_with_table(const EvalOptions& o, const std::string& table_text,
                                                 const std::string& name,
                                                 std::vector<std::unique_ptr<TableGiven>>& tables,
                                                 TableEngine engine = TableEngine::kPlugin) {
  auto given = std::make_unique<TableGiven>();
  given->table_path = temporary_path("a table");
  write_file(given->table_path, table_text);
  ModelPaths paths = harness_model_paths(o.models_dir);
  paths.user_lexicons = {given->table_path};
  paths.table_engine = engine;
  given->models = Models::load(paths);
  given->restorer = std::make_unique<Restorer>(*given->models, graded_options());
  auto system = eval::make_decoder_system(*given->restorer, name);
  tables.push_back(std::move(given));
  return system;
}

// A content farm's other pages (issue 32): --aligned-pages excerpts of ~300
// words of the same part, from documents no test excerpt comes from, spun by
// `style` at intensity 1, with their originals.
struct FarmPages {
  std::vector<std::string> originals;
  std::vector<eval::SpinOutput> spun;
};
FarmPages farm_pages(const EvalOptions& o, const eval::SpinnerData& data, eval::SpinStyle style,
                     const std::vector<eval::CorpusDoc>& docs,
                     const std::map<std::size_t, std::vector<eval::Excerpt>>& tested) {
  std::unordered_set<std::string> used;
  const auto doc_of = [](const std::string& id) { return id.substr(0, id.find('@')); };
  for (const auto& [length, list] : tested) {
    for (const eval::Excerpt& e : list) used.insert(doc_of(e.id));
  }
  FarmPages farm;
  for (const eval::Excerpt& e : eval::make_excerpts(docs, 300, 1u << 30)) {
    if (farm.originals.size() >= o.aligned_pages) break;
    if (used.count(doc_of(e.id))) continue;
    farm.spun.push_back(eval::Spinner(data, style, 1.0, 7919 + farm.originals.size()).spin(e.text));
    farm.originals.push_back(e.text);
  }
  return farm;
}

std::vector<std::unique_ptr<eval::System>> make_systems(const EvalOptions& o, const eval::SpinnerData& data,
                                                        const std::vector<eval::CorpusDoc>& docs,
                                                        const std::map<std::size_t, std::vector<eval::Excerpt>>& tested,
                                                        std::unique_ptr<Models>& models,
                                                        std::unique_ptr<Restorer>& restorer,
                                                        std::vector<std::unique_ptr<TableGiven>>& tables) {
  std::vector<std::unique_ptr<eval::System>> out;
  // The first table style run (table, table-v1, table-v2, symmetric): its table is the one given.
  const eval::SpinStyle* table_style = nullptr;
  std::vector<eval::SpinStyle> parsed;
  for (const std::string& s : o.styles) parsed.push_back(eval::parse_style(s));
  for (const eval::SpinStyle& s : parsed) {
    if (!table_style && eval::is_table_style(s)) table_style = &s;
  }
  std::optional<FarmPages> farm;
  const auto need_farm = [&]() -> const FarmPages& {
    if (!table_style) throw Error(ErrorCode::kUsage, "unspin+aligned and unspin+table-seen need a table style");
    if (!farm) farm = farm_pages(o, data, *table_style, docs, tested);
    return *farm;
  };
  auto need_models = [&] {
    if (!models) {
      ModelPaths paths = harness_model_paths(o.models_dir);
      models = Models::load(paths);
    }
    return models.get();
  };
  for (const std::string& name : o.systems) {
    if (name == "unspin") {
      restorer = std::make_unique<Restorer>(*need_models(), graded_options());
      out.push_back(eval::make_decoder_system(*restorer));
    } else if (name == "unspin+table") {
      // The decoder given the table style's own groups as a user lexicon
      // (what a user holding the spinner's table passes with --lexicon), with
      // the engine that applied it (--table-engine rewriter for `symmetric`).
      const TableEngine engine =
          table_style && *table_style == eval::SpinStyle::kSymmetric ? TableEngine::kRewriter : TableEngine::kPlugin;
      out.push_back(decoder_with_table(o, (table_style ? data.table_of(*table_style) : data.table).to_text(),
                                       "unspin+table", tables, engine));
    } else if (name == "unspin+table-seen") {
      // The true table cut to the pairs the farm's --aligned-pages pages applied.
      std::map<std::string, std::set<std::string>> seen;
      for (const eval::SpinOutput& page : need_farm().spun) {
        for (const eval::GoldEdit& g : page.edits) seen[eval::comparable(g.original)].insert(eval::comparable(g.spun));
      }
      std::string text;
      for (const auto& [original, forms] : seen) {
        text += original;
        for (const std::string& f : forms) text += '|' + f;
        text += '\n';
      }
      out.push_back(decoder_with_table(o, text, "unspin+table-seen", tables));
    } else if (name == "unspin+aligned") {
      // `unspin learn --archive` on the farm's pages, their originals archived.
      const FarmPages& f = need_farm();
      const std::string db = temporary_path("an archive");
      std::remove(db.c_str());
      std::vector<LearnedPair> pairs;
      {
        auto store = open_archive(db, ArchiveAccess::kCreateOrWrite);
        std::vector<ArchiveDocument> originals;
        for (std::size_t i = 0; i < f.originals.size(); ++i)
          originals.push_back({"page" + std::to_string(i), f.originals[i]});
        add_to_archive(*store, originals);
        std::vector<std::string_view> spun;
        for (const eval::SpinOutput& page : f.spun) spun.push_back(page.text);
        Tracer tracer(*store, TraceOptions{});
        pairs = aligned_table(tracer.traced_pairs(spun));  // every proven pair, as `learn --archive`
      }
      std::remove(db.c_str());
      if (const char* path = std::getenv("UNSPIN_ALIGNED_DUMP")) {
        // Development aid: the learned table, and the true table cut to the farm's pairs beside it.
        std::ofstream(path) << learned_table_text(pairs, f.spun.size(), "farm", true);
        std::ofstream seen(std::string(path) + ".gold");
        for (const eval::SpinOutput& page : f.spun) {
          for (const eval::GoldEdit& g : page.edits) seen << g.original << '\t' << g.spun << '\n';
        }
      }
      out.push_back(
          decoder_with_table(o, learned_table_text(pairs, f.spun.size(), "farm", true), "unspin+aligned", tables));
    } else if (name == "oracle+table") {
      // The spans-marked oracle of the first table style run.
      if (!table_style) throw Error(ErrorCode::kUsage, "oracle+table needs a table style among --styles");
      out.push_back(eval::make_table_oracle_system(*need_models(), data, *table_style, data.table_of(*table_style)));
    } else if (name == "screening-list") {
      const std::string path = o.screening_list.empty()
                                   ? (o.spinner_data.empty() ? eval::SpinnerData::default_data_dir() : o.spinner_data) +
                                         "/screening_list.tsv"
                                   : o.screening_list;
      out.push_back(eval::make_screening_system(eval::ScreeningList::load(path)));
    } else if (name == "thesaurus+unigram") {
      out.push_back(eval::make_unigram_system(*need_models(), o.unigram_margin));
    } else {
      throw Error(ErrorCode::kUsage,
                  "unknown system \"" + name +
                      "\"; use unspin, unspin+table, oracle+table, screening-list or thesaurus+unigram");
    }
  }
  return out;
}

int run_eval(const EvalOptions& o) {
  eval::EvalConfig config;
  if (o.quick) {
    config.lengths = {100, 300};
    config.docs = 8;
  }
  if (!o.styles.empty()) {
    config.styles.clear();
    for (const std::string& s : o.styles) config.styles.push_back(eval::parse_style(s));
  }
  if (!o.rates.empty()) config.rates = o.rates;
  for (double r : config.rates) {
    if (!(r > 0 && r <= 1)) throw Error(ErrorCode::kUsage, "--rates must lie in (0, 1]");
  }
  if (!o.lengths.empty()) config.lengths = o.lengths;
  if (o.docs) config.docs = o.docs;
  config.seed = o.seed;

  json floors;  // read first: a bad floors file should not cost a whole run
  if (!o.floors.empty()) {
    try {
      floors = parse_untrusted_json(read_input(o.floors, kDefaultMaxInputBytes), o.floors + ": not JSON");
    } catch (const MalformedJson& e) {
      throw Error(ErrorCode::kBadData, e.what());
    }
    eval::check_floors(json::object(), floors);  // validates the format
  }
  const eval::SpinnerData data = load_spinner_data(o.spinner_data, o.aiksaurus);
  const std::vector<eval::CorpusDoc> docs =
      eval::select_part(eval::load_corpus(o.corpora.empty() ? eval::default_corpora_dir() : o.corpora, o.sources),
                        o.part == "build" ? eval::Part::kBuild : eval::Part::kEval);
  std::map<std::size_t, std::vector<eval::Excerpt>> excerpts;
  for (std::size_t len : config.lengths) {
    excerpts[len] = eval::make_excerpts(docs, len, config.docs);
    if (excerpts[len].empty()) {
      throw Error(ErrorCode::kUsage,
                  "no eval-part document has about " + std::to_string(len) + " words; lower --lengths");
    }
  }

  std::unique_ptr<Models> models;
  std::unique_ptr<Restorer> restorer;
  std::vector<std::unique_ptr<TableGiven>> tables;
  const auto systems = make_systems(o, data, docs, excerpts, models, restorer, tables);
  std::vector<const eval::System*> views;
  for (const auto& s : systems) views.push_back(s.get());
  eval::CoverageFn coverage;
  if (models) coverage = eval::lexicon_coverage(models->lexicons);

  std::size_t total = 0;
  for (const auto& [len, list] : excerpts) total += list.size() * (1 + config.styles.size() * config.rates.size());
  Progress progress(total, 0, "runs");
  const eval::EvalResults results = eval::run_evaluation(config, data, excerpts, views, coverage,
                                                         [&](std::size_t, std::size_t) { progress.advance(); });

  const json j = eval::results_json(results);
  if (!o.json_out.empty()) write_file(o.json_out, j.dump(2) + "\n");
  if (!o.plots.empty()) {
    for (const std::string& name : results.system_names) {
      if (name.rfind("unspin", 0) != 0) continue;
      write_file(o.plots + "/pr-" + name + ".svg", eval::precision_recall_svg(results, name));
      write_file(o.plots + "/reliability-" + name + ".svg", eval::reliability_svg(results, name));
    }
  }
  const std::string md = eval::results_markdown(results);
  if (!o.markdown_out.empty())
    write_file(o.markdown_out, md);
  else
    std::cout << md;
  if (!o.floors.empty()) {
    const auto failures = eval::check_floors(j["summary"], floors);
    for (const std::string& f : failures) std::cerr << "unspin-eval: floor: " << f << "\n";
    if (!failures.empty()) return 1;
    std::cerr << "unspin-eval: all " << floors["floors"].size() << " floors hold\n";
  }
  return 0;
}

struct CorpusOptions {
  std::string part = "eval";
  std::string out;
  std::string corpora;
  std::vector<std::string> sources = eval::kNewsSources;
  std::string vocab, collocations, phrases;
  std::size_t min_count = 3;
  std::size_t top = 2000;
};

void write_counts(const std::string& path, const eval::Counts& counts, const std::string& what) {
  std::string out = "# " + what + " (unspin-eval eval corpus; regenerate, do not edit)\n";
  for (const auto& [item, n] : counts) out += item + "\t" + std::to_string(n) + "\n";
  write_file(path, out);
  std::cerr << "unspin-eval: wrote " << counts.size() << " entries to " << path << "\n";
}

// Writes one .txt per document and manifest.tsv (id, source, part, words, file);
// without --out, prints the manifest.
void run_corpus(const CorpusOptions& o) {
  const eval::Part part = eval::parse_part(o.part);
  const auto docs = eval::select_part(
      eval::load_corpus(o.corpora.empty() ? eval::default_corpora_dir() : o.corpora, o.sources), part);
  if (!o.vocab.empty() || !o.collocations.empty() || !o.phrases.empty()) {
    const std::string where = " seen >= " + std::to_string(o.min_count) + " times in the " + o.part + " part";
    if (!o.vocab.empty()) {
      write_counts(o.vocab, eval::count_words_lowercase(docs, o.min_count, 0),
                   "Spinner vocabulary: lowercase words" + where);
    }
    if (!o.collocations.empty()) {
      const eval::SpinnerData data = load_spinner_data("", "");
      const std::vector<std::string> stop(data.never_spin.begin(), data.never_spin.end());
      write_counts(o.collocations, eval::count_collocations(docs, stop, o.min_count, o.top),
                   "Tortured spinner collocations: the " + std::to_string(o.top) +
                       " most frequent content-word bigrams" + where);
    }
    if (!o.phrases.empty()) {
      const eval::SpinnerData data = load_spinner_data("", "");
      const std::vector<std::string> function(data.function_words.begin(), data.function_words.end());
      write_counts(o.phrases, eval::count_function_ngrams(docs, function, 3, o.min_count, o.top),
                   "Table simulator phrases: the " + std::to_string(o.top) +
                       " most frequent 2-3 word phrases holding a function word and another word" + where);
    }
    return;
  }
  std::ostringstream manifest;
  manifest << "# id\tsource\tpart\twords\tfile\n";
  if (!o.out.empty()) {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) throw Error(ErrorCode::kIo, "cannot create " + o.out + ": " + ec.message());
  }
  for (const eval::CorpusDoc& d : docs) {
    std::string file = d.id;
    for (char& c : file) {
      if (c == '/' || c == '@') c = '_';
    }
    file += ".txt";
    if (!o.out.empty()) write_file((fs::path(o.out) / file).string(), d.text() + "\n");
    manifest << d.id << '\t' << d.source << '\t' << eval::part_name(part) << '\t' << d.words() << '\t' << file << '\n';
  }
  if (o.out.empty())
    std::cout << manifest.str();
  else {
    write_file((fs::path(o.out) / "manifest.tsv").string(), manifest.str());
    std::cerr << "unspin-eval: wrote " << docs.size() << " " << o.part << "-part documents to " << o.out << "\n";
  }
}

struct GenreOptions {
  std::string part = "eval";
  std::string corpora, models_dir, lexicon, markdown, system = "unspin";
  eval::GenreConfig config;
};

// `unspin-eval eval genres`: false alarms on clean text of every genre.
void run_genre_eval(const GenreOptions& o) {
  eval::GenreConfig config = o.config;
  config.part = eval::parse_part(o.part);
  ModelPaths paths = harness_model_paths(o.models_dir);
  if (!o.lexicon.empty()) paths.user_lexicons = {o.lexicon};
  const std::unique_ptr<Models> models = Models::load(paths);
  const Restorer restorer(*models, RestoreOptions{});
  const auto cells = eval::run_genres(restorer, o.corpora.empty() ? eval::default_corpora_dir() : o.corpora, config,
                                      [](const std::string& line) { std::cerr << "unspin-eval: " << line << "\n"; });
  const std::string table = eval::genre_table(cells, o.system);
  if (o.markdown.empty())
    std::cout << table;
  else
    write_file(o.markdown, table);
}

}  // namespace

// "a b c" of a source list, for the help texts.
static std::string source_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

void add_eval_commands(CLI::App& app) {
  auto spin_opts = std::make_shared<SpinOptions>();
  CLI::App* spin = app.add_subcommand("spin", "Spin text with a simulated spinner and write its gold edit list");
  spin->add_option("file", spin_opts->file, "Input file; - (the default) reads standard input");
  spin->add_option("--style", spin_opts->style,
                   "thesaurus, phrase, tortured, table, table-v1, table-v2 or symmetric (default thesaurus)");
  spin->add_option("--table", spin_opts->table,
                   "With a table style: spin with this group table (original|alt1|alt2 per line) "
                   "instead of the built-in one");
  spin->add_option("--write-table", spin_opts->write_table,
                   "Write the table style's groups (original|alt1|alt2 per line) to this file");
  spin->add_option("--rate", spin_opts->rate, "Fraction of eligible words/phrases replaced (default 0.3)")
      ->check(CLI::Range(0.0, 1.0));
  spin->add_option("--seed", spin_opts->seed, "Seed: fixes the spinner's table and its picks (default 1)");
  spin->add_option("--gold", spin_opts->gold, "Write the gold edits (JSON) to this file");
  spin->add_option("--spinner-data", spin_opts->spinner_data, "Folder of the spinners' tables (default data/spinner)");
  spin->add_option("--aiksaurus", spin_opts->aiksaurus, "Aiksaurus data folder (default /usr/share/aiksaurus)");
  spin->callback([spin_opts] { run_spin(*spin_opts); });

  auto st = std::make_shared<SpinStatsOptions>();
  CLI::App* stats =
      app.add_subcommand("spin-stats",
                         "Statistics of the table-family simulators (the table and the pages it spins) beside real "
                         "content-farm tables'");
  stats->add_option("--styles", st->styles, "Table styles (default: table-v2 symmetric table-v1)");
  stats->add_option("--rate", st->rate, "Intensity / rate of the spun pages (default 1: a real spinner)")
      ->check(CLI::Range(0.0, 1.0));
  stats->add_option("--seed", st->seed, "Seed of the pages' spinners (default 1)");
  stats->add_option("--docs", st->docs, "Excerpts per genre, technical and news (default 80)");
  stats->add_option("--length", st->length, "Excerpt length in words (default 300)");
  stats->add_option("--part", st->part, "Corpus part (default eval)")->check(CLI::IsMember({"eval", "build"}));
  stats->add_option("--corpora", st->corpora, "npm corpora folder");
  stats->add_option("--models", st->models_dir, "Folder with en-us.ulm (the LM statistic)");
  stats->add_flag("--no-lm", st->no_lm, "Skip the LM statistic (no model needed)");
  stats->add_option("--spinner-data", st->spinner_data, "Folder of the spinners' tables (default data/spinner)");
  stats->add_option("--aiksaurus", st->aiksaurus, "Aiksaurus data folder (default /usr/share/aiksaurus)");
  stats->add_option("--markdown", st->markdown, "Write the table to this file instead of standard output");
  stats->add_flag("--check", st->check, "Exit 1 when a statistic is outside issue 32's bar");
  stats->callback([st] {
    const int status = run_spin_stats(*st);
    if (status != 0) throw CLI::RuntimeError(status);
  });

  auto o = std::make_shared<EvalOptions>();
  CLI::App* ev = app.add_subcommand("eval", "Measure restoration, detection and speed on held-out spun text");
  ev->add_flag("--quick", o->quick, "Small run for CI (lengths 100 and 300 words, 8 excerpts each)");
  ev->add_option("--styles", o->styles, "Spinner styles (default: thesaurus phrase tortured table)");
  ev->add_option("--rates", o->rates, "Spin rates (default: 0.1 0.3 0.6 1; for the table style, its intensity)");
  ev->add_option("--lengths", o->lengths, "Excerpt lengths in words (default: 100 300 1000)");
  ev->add_option("--docs", o->docs, "Excerpts per length (default 30; --quick 8)");
  ev->add_option("--seed", o->seed, "Seed of the spinners (default 1)");
  ev->add_option("--plots", o->plots, "Write SVG figures (precision-recall, reliability) into this folder");
  ev->add_option("--part", o->part,
                 "Corpus part: eval (default; the reported figures) or build (for development: "
                 "the part every fitted parameter comes from)")
      ->check(CLI::IsMember({"eval", "build"}));
  ev->add_option("--json", o->json_out, "Write full results as JSON to this file");
  ev->add_option("--markdown", o->markdown_out, "Write the tables to this file instead of standard output");
  ev->add_option("--check-floors", o->floors, "Exit 1 when a figure falls below its floor in this JSON file");
  ev->add_option("--models", o->models_dir, "Folder with en-us.ulm and default.ulex");
  ev->add_option("--corpora", o->corpora, "npm corpora folder (default: $UNSPIN_CORPORA or the setup.sh folder)");
  ev->add_option("--sources", o->sources,
                 "Corpus sources: " + source_names(eval::known_sources()) + " (default: brown-press sotu)");
  ev->add_option("--systems", o->systems,
                 "Systems to run (default: unspin unspin+table screening-list thesaurus+unigram; also "
                 "unspin+table-seen, unspin+aligned, oracle+table)");
  ev->add_option("--aligned-pages", o->aligned_pages,
                 "unspin+aligned, unspin+table-seen: the content farm's pages (of the first table style, intensity "
                 "1, other documents than the tested ones) learned from (default 200)");
  ev->add_option("--screening-list", o->screening_list,
                 "Baseline (a)'s list (default data/spinner/screening_list.tsv)");
  ev->add_option("--unigram-margin", o->unigram_margin, "Baseline (b): log10 frequency gain needed (default 1)");
  ev->add_option("--spinner-data", o->spinner_data, "Folder of the spinners' tables (default data/spinner)");
  ev->add_option("--aiksaurus", o->aiksaurus, "Aiksaurus data folder (default /usr/share/aiksaurus)");

  auto c = std::make_shared<CorpusOptions>();
  CLI::App* corpus = ev->add_subcommand("corpus", "List or extract the build or eval part of the corpora");
  corpus->add_option("--part", c->part, "build or eval (default eval)");
  corpus->add_option("--out", c->out,
                     "Write one .txt per document and manifest.tsv here (default: print the manifest)");
  corpus->add_option("--corpora", c->corpora, "npm corpora folder");
  corpus->add_option("--sources", c->sources,
                     "Corpus sources: " + source_names(eval::known_sources()) +
                         " (default: brown-press sotu; the grouped Brown sources overlap the categories; the Debian "
                         "documentation, manpages, python-doc and wordnet-glosses are read from /usr/share)");
  corpus->add_option("--vocab", c->vocab, "Instead: write the part's word counts (the spinners' vocabulary) here");
  corpus->add_option("--collocations", c->collocations, "Instead: write the part's frequent content-word bigrams here");
  corpus->add_option("--phrases", c->phrases,
                     "Instead: write the part's frequent phrases holding a function word (the table simulator's) here");
  corpus->add_option("--min-count", c->min_count, "With --vocab/--collocations/--phrases: minimum count (default 3)");
  corpus->add_option("--top", c->top, "With --collocations/--phrases: keep this many (default 2000)");
  corpus->callback([c] { run_corpus(*c); });

  auto g = std::make_shared<GenreOptions>();
  CLI::App* genres =
      ev->add_subcommand("genres",
                         "False alarms on clean text of every genre (the 15 Brown categories, speeches, a novel, mail, "
                         "technical documentation, man pages, dictionary glosses) by length");
  genres->add_option("--part", g->part, "Corpus part (default eval)")->check(CLI::IsMember({"eval", "build"}));
  genres->add_option("--corpora", g->corpora, "npm corpora folder");
  genres->add_option("--models", g->models_dir, "Folder with en-us.ulm and default.ulex");
  genres->add_option("--lexicon", g->lexicon, "A user lexicon or spinner table, as `check --lexicon`");
  genres->add_option("--sources", g->config.sources, "Genres (default: " + source_names(eval::kGenreSources) + ")");
  genres->add_option("--lengths", g->config.lengths, "Excerpt lengths in words (default 100 300 1000 3000 10000)");
  genres->add_option("--docs", g->config.counts,
                     "Excerpts per length, one value or one per length (default 250 250 100 40 40)");
  genres->add_option("--system", g->system, "Name of the system in the table (default unspin)");
  genres->add_option("--markdown", g->markdown, "Write the table to this file instead of standard output");
  genres->callback([g] { run_genre_eval(*g); });

  ev->callback([o, ev, corpus] {
    if (corpus->parsed() || !ev->get_subcommands().empty()) return;  // a subcommand (corpus, fit) ran
    const int status = run_eval(*o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
