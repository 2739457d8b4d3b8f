// `unspin-eval bundle build`: assembles the model bundle (fitted/bundle.h;
// docs/LM.md, "The model bundle") from section files, the JSON the fit
// scripts and `unspin-eval fit` write (data/fitted/*.json for the default),
// stamping the checksums of the LM and lexicon it is for, the feature
// version of this build, the fit commands and the corpora.
// `unspin-eval bundle show FILE`: what a bundle holds and was fitted with.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/checksum.h"
#include "decode/fitted_params.h"
#include "eval_cli/commands.h"
#include "fitted/bundle.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin::cli {
namespace {

struct BundleOptions {
  std::string models_dir, lm, lexicon, sections_dir, out;
  std::string show;
};

[[noreturn]] void bad_section(const std::string& path, const std::string& what) {
  throw Error(ErrorCode::kBadData, path + ": " + what + " (a section file, docs/LM.md \"The model bundle\")");
}

// Adds one section file's trees, values, command and corpora to `contents`.
void add_section_file(const std::string& path, fitted::BundleContents& contents, std::string& commands,
                      std::string& corpora) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::kIo, path + ": cannot read");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    bad_section(path, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || j.value("unspin_fitted_section", 0) != 1) {
    bad_section(path, "no \"unspin_fitted_section\": 1");
  }
  const std::string name = std::filesystem::path(path).filename().string();
  try {
    commands += name + ": " + j.value("fit_command", std::string("(not recorded)")) + "\n";
    corpora += name + ": " + j.value("corpora", std::string("(not recorded)")) + "\n";
    const nlohmann::json trees = j.value("trees", nlohmann::json::object());
    const nlohmann::json values = j.value("values", nlohmann::json::object());
    for (const auto& [tree_name, t] : trees.items()) {
      if (contents.trees.count(tree_name)) bad_section(path, "trees " + tree_name + " are given twice");
      fitted::TreesData data;
      data.baseline = t.at("baseline").get<double>();
      data.feature_count = t.at("feature_count").get<std::uint32_t>();
      data.roots = t.at("roots").get<std::vector<std::uint32_t>>();
      for (const auto& n : t.at("nodes")) {
        if (!n.is_array() || n.size() != 5) bad_section(path, "a node of " + tree_name + " is not [f, t, l, r, v]");
        // Thresholds are compared in float (fitted/trees.h): the largest
        // float at or below the fitted one sends every float feature the
        // same way the fitted double did.
        data.nodes.push_back({n[0].get<std::int32_t>(), fitted::float_at_or_below(n[1].get<double>()),
                              n[2].get<std::uint32_t>(), n[3].get<std::uint32_t>(), n[4].get<double>()});
      }
      contents.trees.emplace(tree_name, std::move(data));
    }
    for (const auto& [value_name, v] : values.items()) {
      if (contents.values.count(value_name)) bad_section(path, "values " + value_name + " are given twice");
      contents.values.emplace(value_name, v.get<std::vector<double>>());
    }
  } catch (const nlohmann::json::exception& e) {
    bad_section(path, e.what());
  }
}

void build(const BundleOptions& o) {
  const ModelPaths folder = o.models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(o.models_dir);
  const std::string lm = o.lm.empty() ? folder.lm : o.lm;
  const std::string lexicon = o.lexicon.empty() ? folder.lexicon : o.lexicon;
  const std::string out = o.out.empty() ? folder.bundle : o.out;
  for (const std::string& model : {lm, lexicon}) {
    if (!std::filesystem::is_regular_file(model)) {
      throw Error(ErrorCode::kIo, model +
                                      ": no such model file; the bundle records the checksums of the LM and "
                                      "lexicon it is for (--models, --lm, --lexicon)");
    }
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(o.sections_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  if (ec) throw Error(ErrorCode::kIo, o.sections_dir + ": cannot list the section files (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(ErrorCode::kIo, o.sections_dir + ": no section files (*.json)");
  fitted::BundleContents contents;
  std::string commands, corpora;
  for (const std::string& f : files) add_section_file(f, contents, commands, corpora);
  contents.lm_checksum = std::stoull(model_file_checksum(lm), nullptr, 16);
  contents.lexicon_checksum = std::stoull(model_file_checksum(lexicon), nullptr, 16);
  contents.texts["fit_command"] = commands;
  contents.texts["corpora"] = corpora;
  contents.texts["lm"] = std::filesystem::path(lm).filename().string();
  contents.texts["lexicon"] = std::filesystem::path(lexicon).filename().string();
  const std::string bytes = fitted::serialize_bundle(contents);
  // Every parameter the engine reads must be there and of its size.
  try {
    const decode::FittedParams check(fitted::Bundle::parse(bytes, out));
  } catch (const Error& e) {
    throw Error(ErrorCode::kBadData,
                std::string("the sections in ") + o.sections_dir + " do not make a complete bundle: " + e.what());
  }
  fitted::write_bundle(contents, out);
  std::cerr << "unspin-eval: wrote " << out << " (" << bytes.size() << " bytes, " << files.size()
            << " section files) for " << lm << " and " << lexicon << "\n";
}

void show(const std::string& path) {
  const auto b = fitted::Bundle::open(path);
  nlohmann::json j;
  char hex[17];
  j["path"] = path;
  j["feature_version"] = b->feature_version();
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(b->lm_checksum()));
  j["lm_checksum"] = hex;
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(b->lexicon_checksum()));
  j["lexicon_checksum"] = hex;
  j["lm"] = b->text("lm");
  j["lexicon"] = b->text("lexicon");
  j["fit_command"] = b->text("fit_command");
  j["corpora"] = b->text("corpora");
  j["sections"] = b->section_names();
  std::cout << j.dump(1) << "\n";
}

}  // namespace

void add_bundle_command(CLI::App& app) {
  auto o = std::make_shared<BundleOptions>();
  CLI::App* bundle = app.add_subcommand("bundle", "The model bundle: every fitted parameter of unspin in one file");
  bundle->require_subcommand(1);
  CLI::App* b = bundle->add_subcommand(
      "build",
      "Assemble a model bundle from section files (the fits' JSON), stamped with the LM and lexicon it is for");
  b->add_option("--models", o->models_dir, "Folder of the LM and lexicon (default: $UNSPIN_MODELS or ./models)");
  b->add_option("--lm", o->lm, "The LM instead of FOLDER/en-us.ulm");
  b->add_option("--lexicon", o->lexicon, "The lexicon instead of FOLDER/default.ulex");
  b->add_option("--sections", o->sections_dir, "Folder of section files, *.json (the default's: data/fitted)")
      ->required();
  b->add_option("-o,--output", o->out, "Where to write it (default: FOLDER/fitted.ubundle)");
  b->callback([o] { build(*o); });
  CLI::App* s = bundle->add_subcommand("show", "Print what a bundle holds and was fitted with (JSON)");
  s->add_option("file", o->show, "The bundle")->required();
  s->callback([o] { show(o->show); });
}

}  // namespace unspin::cli
