// unspin::Tracer: retrieval by features, re-ranking by alignment.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

#include "archive/sqlite_archive.h"
#include "trace/align.h"
#include "trace/fingerprint.h"
#include "trace/ingest.h"
#include "trace/params.h"
#include "trace/words.h"
#include "unspin/error.h"
#include "unspin/trace.h"

namespace unspin {
namespace trace {

double source_logit(const SourceEvidence& evidence) {
  const auto row = evidence.row();
  double z = 0;
  for (std::size_t i = 0; i < row.size(); ++i) z += kSourceScoreWeights[i] * row[i];
  return z;
}

double source_score(const SourceEvidence& evidence) { return 1.0 / (1.0 + std::exp(-source_logit(evidence))); }

}  // namespace trace

std::unique_ptr<archive::ArchiveStore> open_archive(const std::string& path, ArchiveAccess access) {
  using A = archive::SqliteArchive::Access;
  const A a = access == ArchiveAccess::kRead    ? A::kRead
              : access == ArchiveAccess::kWrite ? A::kWrite
                                                : A::kCreateOrWrite;
  return std::make_unique<archive::SqliteArchive>(path, a);
}

std::vector<bool> add_to_archive(archive::ArchiveStore& store, const std::vector<ArchiveDocument>& documents,
                                 std::size_t max_input_bytes) {
  return trace::add_documents(store, documents, max_input_bytes, trace::FingerprintParams{});
}

namespace {

using trace::Word;
using trace::WordClass;

struct Analyzed {
  TokenizedText tokens;
  std::vector<Word> words;
  std::vector<std::uint64_t> hashes;
};

void analyze(std::string_view text, Analyzed& out) {
  tokenize(text, out.tokens);
  out.words = trace::document_words(out.tokens);
  out.hashes.resize(out.words.size());
  for (std::size_t i = 0; i < out.words.size(); ++i) out.hashes[i] = out.words[i].hash;
}

struct RankedSource {
  TracedSource source;
  double logit = 0;
  std::vector<trace::WordRun> runs;
  std::string text;  // the source's text
};

// Evidence and substitutions of one alignment.
RankedSource evaluate(const Analyzed& spun, std::string_view spun_text, const archive::StoredDocument& doc,
                      const TraceOptions& options) {
  RankedSource c;
  c.text = doc.text;
  Analyzed source;
  analyze(c.text, source);
  const auto matches = trace::align_words(spun.hashes, source.hashes);
  const trace::RunSummary runs =
      trace::substitution_runs(matches, spun.words.size(), source.words.size(), options.max_gap_words);

  // Evidence over words and numbers (punctuation is aligned but not counted).
  enum : std::uint8_t { kUnaligned, kMatched, kSubstituted, kSwapped };  // kSwapped: in a word-for-word run
  std::vector<std::uint8_t> status(spun.words.size(), kUnaligned);
  for (const auto& m : matches) status[m.spun] = kMatched;
  for (const auto& r : runs.substitutions) {
    const bool word_for_word = r.spun_end - r.spun_begin == r.source_end - r.source_begin;
    for (std::uint32_t i = r.spun_begin; i < r.spun_end; ++i) {
      if (status[i] != kMatched) status[i] = word_for_word ? kSwapped : kSubstituted;
    }
  }
  std::size_t total_words = 0;
  for (const Word& w : spun.words) total_words += w.cls != WordClass::kPunct;
  std::array<std::size_t, 4> quarter_words{}, quarter_aligned{};
  std::size_t words = 0, matched = 0, substituted = 0, swapped = 0;
  std::size_t anchors = 0, content = 0, anchors_matched = 0, content_matched = 0;
  for (std::size_t i = 0; i < spun.words.size(); ++i) {
    const WordClass cls = spun.words[i].cls;
    if (cls == WordClass::kPunct) continue;
    const std::size_t quarter = std::min<std::size_t>(3, words * 4 / std::max<std::size_t>(total_words, 1));
    ++quarter_words[quarter];
    quarter_aligned[quarter] += status[i] != kUnaligned;
    ++words;
    matched += status[i] == kMatched;
    substituted += status[i] == kSubstituted;
    swapped += status[i] == kSwapped;
    anchors += cls == WordClass::kAnchor;
    content += cls == WordClass::kContent;
    anchors_matched += cls == WordClass::kAnchor && status[i] == kMatched;
    content_matched += cls == WordClass::kContent && status[i] == kMatched;
  }
  trace::SourceEvidence ev;
  const double n = std::max<std::size_t>(words, 1);
  ev.aligned = (matched + substituted + swapped) / n;
  ev.balanced = (matched + swapped) / n;
  ev.anchors = anchors ? static_cast<double>(anchors_matched) / anchors : 0.5;
  ev.content = content ? static_cast<double>(content_matched) / content : 0.0;
  ev.weakest_quarter = ev.aligned;
  for (std::size_t q = 0; q < 4; ++q) {
    if (quarter_words[q] > 0) {
      ev.weakest_quarter = std::min(ev.weakest_quarter, static_cast<double>(quarter_aligned[q]) / quarter_words[q]);
    }
  }

  c.logit = trace::source_logit(ev);
  c.source.id = doc.id;
  c.source.score = trace::source_score(ev);
  c.source.aligned = ev.aligned;
  c.source.matched_words = matched;
  c.source.balanced = ev.balanced;
  c.source.anchors = ev.anchors;
  c.source.content = ev.content;
  c.source.weakest_quarter = ev.weakest_quarter;
  c.runs = runs.substitutions;
  for (const trace::WordRun& r : runs.substitutions) {
    const Token& sb = spun.tokens.tokens[spun.words[r.spun_begin].token];
    const Token& se = spun.tokens.tokens[spun.words[r.spun_end - 1].token];
    const Token& ob = source.tokens.tokens[source.words[r.source_begin].token];
    const Token& oe = source.tokens.tokens[source.words[r.source_end - 1].token];
    TracedSubstitution s;
    s.offset = sb.cp_begin;
    s.length = se.cp_end - sb.cp_begin;
    s.byte_offset = sb.byte_begin;
    s.byte_length = se.byte_end - sb.byte_begin;
    s.spun = std::string(spun_text.substr(sb.byte_begin, se.byte_end - sb.byte_begin));
    s.original = c.text.substr(ob.byte_begin, oe.byte_end - ob.byte_begin);
    s.source_offset = ob.cp_begin;
    s.source_length = oe.cp_end - ob.cp_begin;
    c.source.substitutions.push_back(std::move(s));
  }
  return c;
}

}  // namespace

struct Tracer::Impl {
  archive::ArchiveStore& store;
  TraceOptions options;
  trace::FingerprintParams params;
  double documents = 0;

  Impl(archive::ArchiveStore& s, TraceOptions o)
      : store(s), options(o), params(trace::archive_params(s, trace::FingerprintParams{}, false)) {
    documents = static_cast<double>(store.document_count());
  }

  // Candidates by weighted feature votes, best first.
  std::vector<archive::DocKey> candidates(const std::vector<std::uint64_t>& features) {
    std::unordered_map<archive::DocKey, double> votes;
    for (std::uint64_t f : features) {
      const std::vector<archive::DocKey> docs = store.postings(f, options.max_postings);
      if (docs.empty() || docs.size() > options.max_postings) continue;
      // Rarer features say more (inverse document frequency).
      const double weight = std::log(1.0 + documents / static_cast<double>(docs.size()));
      for (archive::DocKey d : docs) votes[d] += weight;
    }
    std::vector<std::pair<double, archive::DocKey>> ranked;
    ranked.reserve(votes.size());
    for (const auto& [doc, v] : votes) ranked.emplace_back(v, doc);
    const std::size_t k = std::min(options.candidates, ranked.size());
    std::partial_sort(
        ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
        [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<archive::DocKey> out;
    for (std::size_t i = 0; i < k; ++i) out.push_back(ranked[i].second);
    return out;
  }

  std::vector<RankedSource> rank(std::string_view text, TraceResult& result) {
    validate_input(text, options.max_input_bytes);
    Analyzed spun;
    analyze(text, spun);
    const std::vector<std::uint64_t> features = trace::fingerprint(spun.words, params);
    result.words = static_cast<std::size_t>(
        std::count_if(spun.words.begin(), spun.words.end(), [](const Word& w) { return w.cls != WordClass::kPunct; }));
    result.features = features.size();
    std::vector<RankedSource> ranked;
    for (archive::DocKey key : candidates(features)) {
      auto doc = store.document(key);
      if (!doc) continue;  // removed since the postings were read
      ranked.push_back(evaluate(spun, text, *doc, options));
    }
    result.candidates = ranked.size();
    std::stable_sort(ranked.begin(), ranked.end(), [](const RankedSource& a, const RankedSource& b) {
      return a.logit != b.logit ? a.logit > b.logit : a.source.id < b.source.id;
    });
    return ranked;
  }
};

Tracer::Tracer(archive::ArchiveStore& store, TraceOptions options) : impl_(std::make_unique<Impl>(store, options)) {}
Tracer::~Tracer() = default;
const TraceOptions& Tracer::options() const { return impl_->options; }

TraceResult Tracer::trace(std::string_view text) {
  TraceResult result;
  std::vector<RankedSource> ranked = impl_->rank(text, result);
  for (RankedSource& c : ranked) {
    if (result.sources.size() >= impl_->options.max_sources) break;
    if (c.source.score < impl_->options.min_score) break;
    result.sources.push_back(std::move(c.source));
  }
  return result;
}

std::optional<SourceRestoration> Tracer::restore_from_source(std::string_view text) {
  TraceResult result;
  std::vector<RankedSource> ranked = impl_->rank(text, result);
  if (ranked.empty() || ranked[0].source.score < impl_->options.source_threshold) return std::nullopt;
  const TracedSource& best = ranked[0].source;
  SourceRestoration out;
  out.source_id = best.id;
  out.source_score = best.score;
  DocumentResult& r = out.result;
  r.tokens = result.words;
  std::size_t substituted = 0;
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < best.substitutions.size(); ++i) {
    const TracedSubstitution& s = best.substitutions[i];
    const trace::WordRun& run = ranked[0].runs[i];
    substituted += run.spun_end - run.spun_begin;
    Edit e;
    e.byte_begin = s.byte_offset;
    e.byte_end = s.byte_offset + s.byte_length;
    e.cp_begin = s.offset;
    e.cp_end = s.offset + s.length;
    e.spun = s.spun;
    e.original = s.original;
    e.confidence = best.score;
    e.rule = "UNSPIN_SOURCE";
    r.restored.append(text.substr(cursor, e.byte_begin - cursor));
    r.restored.append(e.original);
    cursor = e.byte_end;
    r.edits.push_back(std::move(e));
  }
  r.restored.append(text.substr(cursor));
  r.spin_rate = result.words ? static_cast<double>(substituted) / static_cast<double>(result.words) : 0.0;
  // A copy that matches its source word for word is not spun; one with
  // substitutions is, as surely as the source is its source.
  r.spun = !r.edits.empty();
  r.verdict = r.spun ? Verdict::kSpun : Verdict::kClean;
  r.score = r.spun ? best.score : 1.0 - best.score;
  r.threshold = impl_->options.source_threshold;
  return out;
}

AlignedCounts Tracer::aligned_counts(std::string_view text) {
  AlignedCounts counts;
  counts.pages = 1;
  TraceResult result;
  const std::vector<RankedSource> ranked = impl_->rank(text, result);
  if (ranked.empty() || ranked[0].source.score < impl_->options.source_threshold) return counts;
  const TracedSource& best = ranked[0].source;
  for (const TracedSubstitution& s : best.substitutions) {
    const std::optional<std::string> original = trace::table_phrase(trace::fold_word(s.original));
    const std::optional<std::string> spun = trace::table_phrase(trace::fold_word(s.spun));
    if (!original || !spun || *original == *spun) continue;
    ++counts.substitutions[{*original, *spun}];
  }
  counts.sources[best.id] = 1;
  return counts;
}

namespace {

// Adds `weight` to original_seen[phrase] for every occurrence, as whole
// words, of a phrase it holds (of up to max_words words) in `folded_source`:
// the denominator of the chance the spinner replaced an original by a form.
void count_original_occurrences(std::string_view folded_source, std::size_t max_words, std::size_t weight,
                                std::unordered_map<std::string, std::size_t>& original_seen) {
  const auto word_char = [](unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; };
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < folded_source.size();) {
    while (i < folded_source.size() && !word_char(static_cast<unsigned char>(folded_source[i]))) ++i;
    const std::size_t b = i;
    while (i < folded_source.size() && word_char(static_cast<unsigned char>(folded_source[i]))) ++i;
    if (i > b) words.push_back(folded_source.substr(b, i - b));
  }
  std::string phrase;
  for (std::size_t w = 0; w < words.size(); ++w) {
    phrase.clear();
    for (std::size_t n = 0; n < max_words && w + n < words.size(); ++n) {
      if (n) phrase += ' ';
      phrase += words[w + n];
      auto it = original_seen.find(phrase);
      if (it != original_seen.end()) it->second += weight;
    }
  }
}

}  // namespace

std::vector<TracedPair> Tracer::traced_pairs(const AlignedCounts& counts) {
  std::unordered_map<std::string, std::size_t> original_seen;
  std::size_t max_words = 1;
  for (const auto& [key, count] : counts.substitutions) {
    original_seen.emplace(key.first, 0);
    max_words = std::max<std::size_t>(max_words, std::count(key.first.begin(), key.first.end(), ' ') + 1);
  }
  for (const auto& [id, pages] : counts.sources) {
    const std::optional<archive::StoredDocument> source = impl_->store.document_by_id(id);
    if (!source) {
      throw Error(ErrorCode::kBadData, "the traced source \"" + id +
                                           "\" is no longer in the archive (removed since the pages were "
                                           "counted): count them again against this archive");
    }
    count_original_occurrences(trace::fold_word(source->text), max_words, pages, original_seen);
  }
  std::vector<TracedPair> pairs;
  for (const auto& [key, count] : counts.substitutions) {
    pairs.push_back(TracedPair{key.first, key.second, count, std::max(original_seen[key.first], count)});
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const TracedPair& a, const TracedPair& b) { return a.count > b.count; });
  return pairs;
}

std::vector<TracedPair> Tracer::traced_pairs(const std::vector<std::string_view>& texts) {
  AlignedCounts counts;
  for (std::string_view text : texts) counts.merge(aligned_counts(text));
  return traced_pairs(counts);
}

std::vector<LearnedPair> aligned_table(const std::vector<TracedPair>& traced, double min_prior) {
  std::vector<LearnedPair> pairs;
  for (const TracedPair& t : traced) {
    const double prior = t.original_seen ? std::min(1.0, static_cast<double>(t.count) / t.original_seen) : 1.0;
    if (prior >= min_prior) pairs.push_back({t.original, t.spun, prior, t.count});
  }
  return pairs;
}

}  // namespace unspin
