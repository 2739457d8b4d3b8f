#include "lexicon/builder.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "common/checksum.h"
#include "lexicon/candidate_table.h"
#include "lexicon/lemma_graph.h"
#include "lexicon/sources.h"
#include "unspin/error.h"

namespace unspin::lexicon {

std::string build_lexicon(const BuildInputs& in, BuildReport* report) {
  const auto start = std::chrono::steady_clock::now();
  BuildReport local;
  BuildReport& r = report ? *report : local;
  std::vector<std::string> tables = in.table_files;
  if (!in.table_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(in.table_dir, ec)) {
      throw Error(ErrorCode::kIo, "table folder " + in.table_dir + " is not a directory");
    }
    for (const auto& entry : std::filesystem::directory_iterator(in.table_dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".tsv") {
        tables.push_back(entry.path().string());
      }
    }
    std::sort(tables.begin() + static_cast<std::ptrdiff_t>(in.table_files.size()), tables.end());
  }
  if (in.wordnet_dir.empty() && in.mythes_path.empty() && tables.empty()) {
    throw Error(ErrorCode::kUsage, "lexicon build needs at least one of --wordnet, --mythes, --table-dir");
  }

  // The input hash chains every source's bytes in a fixed order, plus the
  // build parameters, so equal inputs give equal files.
  std::uint64_t hash = kFnvOffset;
  LemmaGraph graph;
  Morphology morph;
  if (!in.wordnet_dir.empty()) {
    morph = Morphology::from_wordnet(in.wordnet_dir);
    const SourceStats s = read_wordnet(in.wordnet_dir, &graph, &hash);
    r.wordnet_synsets = s.entries;
    r.wordnet_edges = s.edges;
    r.filtered += s.filtered;
  }
  if (!in.mythes_path.empty()) {
    const SourceStats s = read_mythes(in.mythes_path, &graph, &hash);
    r.mythes_entries = s.entries;
    r.mythes_edges = s.edges;
    r.filtered += s.filtered;
  }
  r.two_hop_edges = graph.add_two_hops(in.params.two_hop_fanout);
  for (const std::string& t : tables) {
    const SourceStats s = read_paraphrase_table(t, &graph, &hash);
    r.table_lines += s.entries;
    r.table_edges += s.edges;
  }
  PairTable pairs;
  graph.inflect_into(morph, &pairs);
  r.surface_pairs = pairs.size();
  BuildParams params = in.params;
  hash = fnv1a64(std::to_string(params.max_candidates) + "/" + std::to_string(params.two_hop_fanout), hash);
  params.input_hash = hash;
  CandidateTable table = pairs.finish(params.max_candidates);
  r.keys = table.size();
  std::string bytes = write_ulex(table, params);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return bytes;
}

}  // namespace unspin::lexicon
