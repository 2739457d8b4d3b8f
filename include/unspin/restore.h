// Restore and check: the product's public entry point.
//
//   auto models = unspin::Models::load(unspin::ModelPaths::defaults());
//   unspin::Restorer restorer(*models, {});
//   unspin::DocumentResult r = restorer.run(text);
//
// A Restorer is immutable after construction and safe to share between threads
// (run() and the other const members may be called concurrently; the models it
// reads are mmap'd read-only); run_many() uses this to decode on every core.
//
// Learning a site's spinner table from its pages (SiteLearner, SiteCounts)
// is at the end.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "unspin/error.h"
#include "unspin/lexicon.h"
#include "unspin/lm.h"

namespace unspin {

// How a spinner's group table ("original|alt1|alt2" lines, spintax) given as
// a user lexicon was applied. kPlugin: the common plugin engine, original ->
// one of its alternatives. kRewriter: the "article rewriter" engine, which
// reads every line symmetrically (any member replaced by any other member,
// drawn per occurrence), so a written original may have been an alternative
// and one alternative another. Other lexicon formats read the same either way.
enum class TableEngine { kPlugin, kRewriter };

struct ModelPaths {
  std::string lm;                                   // .ulm
  std::string lexicon;                              // .ulex
  std::vector<std::string> user_lexicons;           // .ulex, .tsv or Paper Screener .csv
  TableEngine table_engine = TableEngine::kPlugin;  // how group tables among user_lexicons are read
  // The model bundle: every fitted parameter (docs/LM.md, "The model
  // bundle"), fitted.ubundle in the models folder. Empty: the file of that
  // name in the LM's folder.
  std::string bundle;
  // Run with a bundle fitted for another LM, lexicon or feature version
  // instead of refusing it (Error kModelMismatch): every result then says its
  // score is not calibrated (DocumentResult::calibrated).
  bool uncalibrated = false;
  // Resolves the default model folder: $UNSPIN_MODELS, else the folder setup.sh fills.
  static ModelPaths defaults();
  static ModelPaths in_folder(const std::string& folder);
};

// Which model file was used, for provenance (docs/SCHEMA.md §2).
struct ModelInfo {
  std::string role;  // "lm", "lexicon", "user_lexicon", "learned_lexicon"
  std::string path;
  std::string checksum;  // hex FNV-1a of the file's size and first 64 KiB (header and its checksums)
};

// The loaded models. Copies share what was loaded (the LM, the lexicons,
// the screen's tables), which is immutable once loaded: with_learned_table()
// is cheap.
struct Models {
  std::shared_ptr<const LanguageModel> lm;
  LexiconStack lexicons;
  std::vector<ModelInfo> info;
  // Originals listed in user lexicons (TSV, group tables), with the summed
  // prior of their spun forms: the spinner model knows these table entries
  // even where none of their spun forms occurs.
  std::unordered_map<std::string, float> user_originals;
  // Pairs of the learned tables loaded (docs/SCHEMA.md §9). With any, the
  // run restores one site with its table: edits are applied at the site
  // operating point (decode/site_learner.h, kSiteApplyConfidence).
  std::size_t learned_pairs = 0;
  // The most pages any of them was learned from (its header's pages=N; 0:
  // not given): a covariate of a learned edit's confidence.
  std::size_t learned_pages = 0;
  // The rest, built by load() and opaque here (src/decode/model_parts.h):
  // what the document screen needs of the LM, precomputed once per model set,
  // and the matchers of the listed tortured phrases (the Problematic Paper
  // Screener's list built in, docs/LEXICON.md; provenance role
  // "listed_phrases") and of unlisted ones. Null: a Restorer precomputes the
  // screen's tables itself and matches no listed phrase.
  struct Parts;
  std::shared_ptr<const Parts> parts;
  // `reports`, when given, receives one import report per user lexicon.
  static std::unique_ptr<Models> load(const ModelPaths& paths, std::vector<UserLexiconReport>* reports = nullptr);
  // Adds a learned table (the text `unspin learn` writes, docs/SCHEMA.md §9)
  // held in memory, as `--lexicon FILE` of it would. Throws Error(kBadData)
  // when it is not one or holds no usable pair.
  void add_learned_table(std::string_view text, const std::string& origin);
  // These models and a learned table (as add_learned_table), sharing what
  // is loaded: a site's cross-fitted tables (SiteLearner::restore, below) cost one
  // compiled table each, not a load of the models.
  std::unique_ptr<Models> with_learned_table(std::string_view text, const std::string& origin) const;
};

// The default verdict threshold: 0.5 for every model set. The score is
// P(spun | text) at the base rate (RestoreOptions::base_rate), so a document
// is "spun" when spinning is the likelier explanation (docs/SCHEMA.md §8).
double default_verdict_threshold();
double default_verdict_threshold(const Models& models);
// The default share of spun documents the score assumes.
inline constexpr double kDefaultBaseRate = 0.1;

struct RestoreOptions {
  std::size_t max_input_bytes = 64u << 20;  // larger input -> Error(kTooLarge)
  int max_phrase_words = 4;                 // longest spun span considered
  bool adapt = true;                        // re-score each span in its restored context
  double min_confidence = 0.5;              // edits below this posterior are not applied
  // Score at or above which a document is "spun"; negative = the default (0.5).
  double verdict_threshold = -1;
  // The prior share of spun documents the score assumes, in (0, 1).
  double base_rate = kDefaultBaseRate;
  // Suspicious spans at or above this confidence are listed in
  // DocumentResult::review (docs/SCHEMA.md §3b).
  double review_threshold = 0.2;
  // Run the cheap candidate-free screen first and call a document clean
  // without decoding when it can (DocumentResult::stage "screen"). restore
  // turns it off: a restoration always decodes.
  bool screen = true;
  // Words and phrases never flagged (case-insensitive, words joined by single spaces).
  std::vector<std::string> allow;
  // Fewer words than this: verdict "too short", score null.
  std::size_t min_words_for_verdict = 20;
  // Share of words the English LM knows below which the verdict is "not English".
  double min_english_share = 0.6;
  // Share of tokens that are words below which the text is not prose (code,
  // markup, data): verdict "not English" too.
  double min_word_share = 0.6;
  // A document of more words than this is decoded as windows of at most this
  // many words, each its own document, and the results merged (the windows'
  // log likelihood ratios add: decode/score.h): the longest documents the
  // detection calibration was fitted on (docs/ARCHITECTURE.md, "Long
  // documents"). 0: never cut.
  std::size_t window_words = 3000;
  // Match the listed tortured phrases (Models::listed): edits UNSPIN_LISTED.
  bool listed_phrases = true;
  // Paper screening: look for unlisted tortured phrases in every document,
  // also in those the screen calls clean (a few tortured words move no
  // document score). Off by default: the unlisted finder then runs only on
  // the documents the decoder sees, since on every document it costs about
  // twice the screen itself (bench/RESULTS.md, the screen's speed).
  bool papers = false;
  // Unlisted tortured phrases (src/listed/unlisted.h): spans built from the
  // list's recurring word substitutions are review spans at or above
  // review_threshold, and edits at or above min_confidence.
};

struct Edit {
  std::uint32_t byte_begin, byte_end;  // span of the spun text in the input
  std::uint32_t cp_begin, cp_end;      // the same span in code points
  std::string spun;                    // the input text of the span, as written
  std::string original;                // proposed original, cased to fit
  double confidence;                   // posterior probability the edit is right
  // "UNSPIN_SUBSTITUTION"; "UNSPIN_TABLE" when the pair came from a user's
  // spinner table; "UNSPIN_LEARNED" when it came from a learned table; "UNSPIN_ARTICLE": a/an fixed next to an edit
  // (docs/SCHEMA.md).
  std::string rule = "UNSPIN_SUBSTITUTION";
  // UNSPIN_LISTED: the papers the Paper Screener found the phrase in (0:
  // unknown). `original` is empty where the list does not know the correct
  // term: the text is then left as written.
  std::uint32_t papers = 0;
};

// A span a reviewer should look at (docs/SCHEMA.md §3b): every applied edit,
// and the suspects below the edit threshold.
struct ReviewSpan {
  std::uint32_t byte_begin, byte_end;
  std::uint32_t cp_begin, cp_end;
  std::string spun;       // as written
  std::string original;   // the likely original, cased to fit; empty: none known
  double confidence = 0;  // probability the span is spun
  bool applied = false;   // one of DocumentResult::edits
  std::string rule;       // the edit's rule when applied, else "UNSPIN_REVIEW"
  std::string reason;     // "candidate", "unusual", "listed", "edit"
};

enum class Verdict { kClean, kSpun, kTooShort, kNotEnglish };
// "clean", "spun", "too short", "not English" (docs/SCHEMA.md).
std::string_view verdict_name(Verdict verdict);

// One piece of evidence behind the document score (docs/SCHEMA.md §4).
struct Reason {
  std::string kind;  // "table_entry", "span", "rate", "too_short", "not_english", "allowed"
  std::string message;
  double weight = 0;  // log10 Bayes factor it contributes
  bool has_span = false;
  std::uint32_t byte_begin = 0, byte_end = 0, cp_begin = 0, cp_end = 0;
};

struct ParagraphResult {
  std::uint32_t byte_begin, byte_end, cp_begin, cp_end;
  std::size_t words = 0;
  bool has_score = false;
  double score = 0;
  // The detector's log likelihood ratio behind `score` (natural log; the
  // pieces of a paragraph cut by a window boundary add theirs).
  double log_lr = 0;
  Verdict verdict = Verdict::kClean;
};

struct DocumentResult {
  bool has_score = true;  // false for "too short" and "not English"
  double score = 0;       // calibrated probability the document is spun
  Verdict verdict = Verdict::kClean;
  double threshold = 0;           // the threshold the verdict used
  double log10_bayes_factor = 0;  // the spinner model's evidence, before calibration
  double spin_rate = 0;           // estimated fraction of eligible words substituted
  bool spun = false;              // verdict == kSpun
  std::size_t tokens = 0;         // word tokens in the document
  double english_share = 1;       // share of words the English LM knows
  std::vector<Edit> edits;        // in input order, non-overlapping
  std::string restored;           // input with the edits applied
  std::vector<Reason> reasons;    // strongest first
  std::vector<ParagraphResult> paragraphs;
  // Review spans (SCHEMA §3b), in input order, non-overlapping, applied edits included.
  std::vector<ReviewSpan> review;
  // Listed tortured phrases found (edits with rule UNSPIN_LISTED, those
  // without a known correction included): evidence for the document score.
  std::size_t listed = 0;
  double base_rate = kDefaultBaseRate;  // the prior the score assumes
  double review_threshold = 0.2;
  // The detector's log likelihood ratio of spun against clean (natural log):
  // score = sigmoid(log_lr + logit(base_rate)); windows add theirs.
  double log_lr = 0;
  std::string stage = "decoder";  // "screen", "decoder" or "source" (docs/SCHEMA.md §2)
  // False when the model bundle was fitted for other models and the run was
  // told to go on (ModelPaths::uncalibrated, --uncalibrated): the score and
  // the edits' confidences are then not calibrated probabilities
  // (docs/SCHEMA.md "calibrated").
  bool calibrated = true;
};

// One document of Restorer::run_many: its result, or the Error run() throws for it.
struct BatchResult {
  std::optional<DocumentResult> result;
  std::optional<Error> error;
};

// One entry of a spinner's table learned from documents (`unspin learn`).
struct LearnedPair {
  std::string original, spun;  // folded phrases
  double prior = 0;            // learned probability that the spinner's table holds the pair
  std::size_t count = 0;       // occurrences restored with it (posterior >= 1/2)
};

class Restorer {
 public:
  Restorer(const Models& models, RestoreOptions options);
  ~Restorer();
  Restorer(const Restorer&) = delete;
  Restorer& operator=(const Restorer&) = delete;

  // Throws unspin::Error for invalid UTF-8, binary or oversized input.
  DocumentResult run(std::string_view text) const;
  // run() on each text, on `threads` threads (0: every core). Results are in
  // input order and identical to calling run() on each text in turn, whatever
  // the number of threads; a text run() would refuse gets its Error instead
  // (other exceptions, i.e. bugs, propagate). The texts are decoded
  // independently: one site's pages are Engine::run_site's (engine.h).
  std::vector<BatchResult> run_many(const std::vector<std::string_view>& texts, unsigned threads = 0) const;

 private:
  // The listed tortured phrases and the review spans of a merged result.
  void finish_listed(std::string_view text, DocumentResult* result) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Validates untrusted input (UTF-8, binary, size, empty); throws unspin::Error.
void validate_input(std::string_view bytes, std::size_t max_bytes);

std::string_view version();

// ---------------------------------------------------------------------------
// Learning a site's spinner table from its pages (`unspin learn`,
// docs/ARCHITECTURE.md "The site learner").
//
//   unspin::SiteLearner learner(*models);
//   unspin::SiteCounts site;
//   for (page : pages) site.merge(learner.observe(page.text, page.url));  // any order, any thread
//   std::vector<unspin::LearnedPair> table = learner.table(site, 0.5);
//   std::string tsv = unspin::learned_table_text(table, site.pages(), "example.com");
//
// Each page is decoded alone (the spinner model over the lexicon stack's
// candidates) and adds sums (SiteCounts): for every candidate pair o -> s,
// what the decoder made of it, page by page and in one of kLearnFolds folds;
// the words and two-word phrases the page writes, and a bounded sample of the
// rarer ones' contexts (for LM fill-in: originals no lexicon lists). Sums
// merge, so partitions of a crawl are counted apart and added. From a site's
// sums each pair gets a prior, P(o -> s in the site's table), from boosted
// trees over features of the sums; the table is the pairs at or above a
// prior. The sums, the features and the model: src/decode/site_counts.h.

// The folds a site's pages fall in (SiteLearner::fold_of): each fold's pages
// are restored with what the other folds taught (SiteLearner::restore).
inline constexpr std::size_t kLearnFolds = 8;
// The prior a pair needs to be kept in a learned table by default (`learn --min-prior`, --same-source).
inline constexpr double kLearnMinPrior = 0.5;

// A site's evidence: sums over its pages, mergeable in any order.
class SiteCounts {
 public:
  SiteCounts();  // no page
  SiteCounts(const SiteCounts& other);
  SiteCounts(SiteCounts&& other) noexcept;
  SiteCounts& operator=(const SiteCounts& other);
  SiteCounts& operator=(SiteCounts&& other) noexcept;
  ~SiteCounts();

  std::size_t pages() const;
  std::size_t words() const;
  void merge(const SiteCounts& other);
  // A text form ("# unspin site-counts v2 pages=N words=W", then one line
  // per pair, "~f" lines of written words and "~c" lines of sampled
  // contexts; docs/SCHEMA.md §9b) for moving counts between processes;
  // parse() reads it back (v1 files, without words, too) and throws
  // Error(kBadData) on anything else.
  std::string serialize() const;
  static SiteCounts parse(std::string_view text);

  // The sums themselves, for the learner; opaque here (src/decode/site_counts.h).
  struct Sums;
  const Sums& sums() const;
  Sums& sums();

 private:
  std::unique_ptr<Sums> sums_;  // null: no page
};

class SiteLearner {
 public:
  explicit SiteLearner(const Models& models, RestoreOptions options = {});
  ~SiteLearner();
  SiteLearner(const SiteLearner&) = delete;
  SiteLearner& operator=(const SiteLearner&) = delete;

  // One page's counts (pages() == 1), its fold fixed by `page_key` (the
  // URL, an id; empty: the text). Thread-safe. Throws Error for input
  // Restorer::run() refuses.
  SiteCounts observe(std::string_view page, std::string_view page_key) const;
  // The learned table: pairs whose prior is at least `min_prior`, strongest first.
  std::vector<LearnedPair> table(const SiteCounts& site, double min_prior = kLearnMinPrior) const;
  // The fold observe() puts a page's counts in: a hash of `page_key`, or of
  // the text when the key is empty.
  static std::size_t fold_of(std::string_view page, std::string_view page_key);

  // One site's pages restored with what is learned from them (`restore
  // --same-source`), cross-fitted: the pages of each fold are restored with
  // the table (pairs at >= min_prior) learned from the other folds' pages,
  // so that no edit is judged by a prior its own page's evidence went into.
  // (One table learned from every page and used on those same pages makes
  // confident edits right less often than their confidence says, most at
  // small sites; bench/RESULTS.md.) A fold whose table is empty is restored
  // as each page alone. Restored with `options`; the learner's models.
  struct SiteRestoration {
    std::vector<BatchResult> results;  // page by page; an error for a page the restorer refuses
    // Each fold's models: the learner's and the table of the other folds (null: none was learned,
    // the fold's pages were restored alone).
    std::array<std::shared_ptr<const Models>, kLearnFolds> fold_models;
    bool learned() const {
      return std::any_of(fold_models.begin(), fold_models.end(), [](const auto& m) { return m != nullptr; });
    }
  };
  SiteRestoration restore(const std::vector<std::string_view>& pages, const std::vector<std::string_view>& keys,
                          const RestoreOptions& options, double min_prior, unsigned threads) const;
  // The same for pages already observed: counts[i] = observe(pages[i], key
  // of page i), folds[i] = fold_of(pages[i], key of page i).
  SiteRestoration restore(const std::vector<std::string_view>& pages, const std::vector<SiteCounts>& counts,
                          const std::vector<std::size_t>& folds, const RestoreOptions& options, double min_prior,
                          unsigned threads) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The file of docs/SCHEMA.md §9: "# unspin learned-table v1 pages=N[ site=HOST][
// method=aligned]", then original<TAB>spun<TAB>prior<TAB>count. `aligned`:
// every pair was proven by aligning a page with its source (`learn
// --archive`), and --lexicon trusts the table as a user's table, its priors
// the share of the original's occurrences the spinner replaced by the form.
std::string learned_table_text(const std::vector<LearnedPair>& pairs, std::size_t pages, const std::string& site = "",
                               bool aligned = false);

// The site of a URL: its host, lowercased, without port, user info or a
// leading "www."; empty when `url` has none.
std::string site_of_url(std::string_view url);

}  // namespace unspin
