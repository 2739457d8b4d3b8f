#include "eval/tortured.h"
#include "decode/fitted_params.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "common/checksum.h"
#include "decode/model_parts.h"
#include "eval/corpus.h"
#include "listed/matcher.h"
#include "listed/phrase_list.h"
#include "listed/unlisted.h"

namespace unspin::eval {

namespace {

using listed::ListedPhrase;
using listed::Matcher;
using listed::PhraseList;

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

double ratio(std::size_t a, std::size_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

// Folded, hyphens as spaces, each word's number stem: two spellings of one
// term in any number compare equal.
std::string compare_key(std::string_view s) {
  const std::string key = listed::phrase_key(s);
  std::string out;
  std::size_t i = 0;
  while (i < key.size()) {
    const std::size_t sp = std::min(key.find(' ', i), key.size());
    if (!out.empty()) out.push_back(' ');
    out += listed::number_stem(key.substr(i, sp - i));
    i = sp + 1;
  }
  return out;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> w;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t sp = std::min(s.find(' ', i), s.size());
    w.push_back(s.substr(i, sp - i));
    i = sp + 1;
  }
  return w;
}

std::string join(const std::vector<std::string>& w, std::string_view sep = " ") {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) out += sep;
    out += w[i];
  }
  return out;
}

std::string capitalise(std::string w) {
  if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 32);
  return w;
}

// The phrase as written in the list's tortured form: words joined by single
// spaces, commas attached to the word before ("exactness, review").
std::string surface(const std::vector<std::string>& words, std::string_view sep = " ") {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == ",") {
      out += ",";
      continue;
    }
    if (i) out += (i > 0 && words[i - 1] == ",") ? std::string(" ") : std::string(sep);
    out += words[i];
  }
  return out;
}

struct Planted {
  std::string written;   // as inserted
  std::string expected;  // the correct term inflected as written (folded); empty: unknown
  bool sentence_initial = false;
};

// An inflection "as in papers", drawn from `rng`.
Planted inflect(const ListedPhrase& p, std::mt19937_64& rng) {
  std::vector<std::string> w = split_words(p.tortured);
  std::string expected = p.correct;
  Planted out;
  const int kind = static_cast<int>(rng() % 20);
  // 0-7 as listed, 8-12 plural, 13-15 sentence-initial, 16-17 title case, 18-19 hyphenated.
  if (kind >= 8 && kind <= 12) {
    std::string& last = w.back();
    if (last != "," && listed::number_stem(last) == last && std::isalpha(static_cast<unsigned char>(last.back()))) {
      last = listed::pluralize(last);
      if (!expected.empty()) {
        std::vector<std::string> c = split_words(expected);
        if (listed::number_stem(c.back()) == c.back()) c.back() = listed::pluralize(c.back());
        expected = join(c);
      }
    }
  }
  std::string written;
  if (kind >= 16 && kind <= 17) {
    for (std::string& x : w) x = capitalise(x);
    written = surface(w);
  } else if (kind >= 18 && w.size() >= 2 && w[0] != "," && w[1] != ",") {
    written = w[0] + "-" + surface(std::vector<std::string>(w.begin() + 1, w.end()));
  } else {
    written = surface(w);
  }
  if (kind >= 13 && kind <= 15) {
    written = capitalise(written);
    out.sentence_initial = true;
  }
  out.written = written;
  out.expected = expected;
  return out;
}

const char* const kFrames[] = {
    "This approach relies on the %s.",
    "The results obtained with the %s are reported below.",
    "We compare the %s with earlier methods.",
    "Earlier work has examined the %s in some detail.",
    "The role of the %s is discussed in the next section.",
};
const char* const kInitialFrames[] = {
    "%s was considered in this study.",
    "%s is described in the next section.",
};

struct SpunDoc {
  std::string text;
  struct Span {
    std::uint32_t begin, end;
    std::string expected;
  };
  std::vector<Span> planted;
};

// Inserts each phrase in a frame sentence after an evenly spaced sentence of `excerpt`.
SpunDoc plant(const std::string& excerpt, const std::vector<Planted>& phrases, std::mt19937_64& rng) {
  std::vector<Sentence> sentences = split_sentences(excerpt);
  SpunDoc doc;
  std::vector<std::size_t> after;
  for (std::size_t k = 0; k < phrases.size(); ++k) after.push_back((k + 1) * sentences.size() / (phrases.size() + 1));
  std::size_t next = 0;
  for (std::size_t i = 0; i <= sentences.size(); ++i) {
    while (next < phrases.size() && after[next] == i) {
      const Planted& p = phrases[next++];
      const char* frame = p.sentence_initial ? kInitialFrames[rng() % 2] : kFrames[rng() % 5];
      const std::string_view f(frame);
      const std::size_t at = f.find("%s");
      if (!doc.text.empty()) doc.text += ' ';
      doc.text += f.substr(0, at);
      const auto begin = static_cast<std::uint32_t>(doc.text.size());
      doc.text += p.written;
      doc.planted.push_back({begin, static_cast<std::uint32_t>(doc.text.size()), p.expected});
      doc.text += f.substr(at + 2);
    }
    if (i < sentences.size()) {
      if (!doc.text.empty()) doc.text += ' ';
      doc.text += sentences[i].text;
    }
  }
  return doc;
}

bool overlaps(std::uint32_t b1, std::uint32_t e1, std::uint32_t b2, std::uint32_t e2) { return b1 < e2 && b2 < e1; }

// Decoder edits are the spinner model's (or its a/an fixes); the others are
// the tortured-phrase spans this harness is about.
bool tortured_rule(const std::string& rule) { return rule == "UNSPIN_LISTED"; }

// `unlisted`: the unlisted finder's suspects in the document; an applied
// edit on one of them is a tortured-phrase span (the finder's restoration).
void score_doc(const SpunDoc& doc, const DocumentResult& r, const std::vector<listed::Suspect>& unlisted,
               TorturedSet& s) {
  const auto is_suspect = [&](std::uint32_t b, std::uint32_t e) {
    return std::any_of(unlisted.begin(), unlisted.end(),
                       [&](const listed::Suspect& x) { return x.byte_begin == b && x.byte_end == e; });
  };
  s.words += r.tokens;
  std::vector<bool> found(doc.planted.size(), false), right(doc.planted.size(), false),
      proposed_right(doc.planted.size(), false);
  for (const ReviewSpan& span : r.review) {
    const bool tortured = !span.applied || tortured_rule(span.rule) || is_suspect(span.byte_begin, span.byte_end);
    bool hit = false;
    for (std::size_t k = 0; k < doc.planted.size(); ++k) {
      if (overlaps(span.byte_begin, span.byte_end, doc.planted[k].begin, doc.planted[k].end)) {
        hit = true;
        found[k] = true;
      }
    }
    ++s.all_spans;
    s.all_true_spans += hit;
    if (!span.applied && span.rule != "UNSPIN_LISTED" && is_suspect(span.byte_begin, span.byte_end)) {
      ++s.suspect_spans;
      s.suspect_true += hit;
    }
    if (tortured) {
      ++s.spans;
      s.true_spans += hit;
      if (!span.original.empty()) {
        ++s.proposals;
        bool ok = false;
        for (std::size_t k = 0; k < doc.planted.size(); ++k) {
          if (overlaps(span.byte_begin, span.byte_end, doc.planted[k].begin, doc.planted[k].end) &&
              !doc.planted[k].expected.empty() && compare_key(span.original) == compare_key(doc.planted[k].expected)) {
            proposed_right[k] = true;
            ok = true;
          }
        }
        s.proposals_right += ok;
      }
    }
  }
  for (const Edit& e : r.edits) {
    if (e.original.empty()) continue;  // a listed hit without a known term changes nothing
    bool edit_right = false;
    for (std::size_t k = 0; k < doc.planted.size(); ++k) {
      if (!overlaps(e.byte_begin, e.byte_end, doc.planted[k].begin, doc.planted[k].end)) continue;
      if (!doc.planted[k].expected.empty() && compare_key(e.original) == compare_key(doc.planted[k].expected) &&
          e.byte_begin <= doc.planted[k].begin && e.byte_end >= doc.planted[k].end) {
        right[k] = true;
        edit_right = true;
      }
    }
    if (e.rule == "UNSPIN_ARTICLE") continue;
    // Edits overlapping a planted phrase, and the tortured-phrase edits anywhere.
    bool on_phrase = false;
    for (const auto& p : doc.planted) on_phrase |= overlaps(e.byte_begin, e.byte_end, p.begin, p.end);
    if (!on_phrase && !tortured_rule(e.rule) && !is_suspect(e.byte_begin, e.byte_end)) continue;
    ++s.edits;
    s.edits_right += edit_right;
  }
  for (std::size_t k = 0; k < doc.planted.size(); ++k) {
    ++s.phrases;
    s.with_correct += !doc.planted[k].expected.empty();
    s.detected += found[k];
    s.restored += right[k];
    s.proposed += proposed_right[k];
  }
}

std::string set_key(const char* name, const char* metric) { return std::string("tortured/") + name + "/" + metric; }

}  // namespace

unsigned tortured_split_bucket(std::string_view raw_correct, std::string_view raw_tortured) {
  const std::string tortured = listed::clean_tortured(raw_tortured);
  const std::string correct = listed::clean_correct(raw_correct, tortured);
  const std::string key = correct.empty() ? tortured : correct;
  return static_cast<unsigned>(fnv1a64(key) % 10);
}

bool tortured_eval_part(std::string_view raw_correct, std::string_view raw_tortured) {
  return tortured_split_bucket(raw_correct, raw_tortured) < 3;
}

TorturedReport run_tortured(const TorturedConfig& config, const std::function<void(const std::string&)>& log) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& m) {
    if (log) log(m);
  };
  TorturedReport report;
  const PhraseList& full = PhraseList::builtin();
  const bool inner = config.fit_part;
  // held_out: the pairs playing "unlisted"; fitting: the list the product gets.
  const auto held_out = [inner](std::string_view c, std::string_view t) {
    const unsigned b = tortured_split_bucket(c, t);
    return inner ? (b >= 3 && b < 6) : b < 3;
  };
  const auto fitting = [inner](std::string_view c, std::string_view t) {
    const unsigned b = tortured_split_bucket(c, t);
    return inner ? b >= 6 : b >= 3;
  };
  const Part text_part = inner ? Part::kBuild : Part::kEval;
  const PhraseList fit = PhraseList::builtin_filtered(fitting);
  const Matcher fit_matcher(fit);
  report.fit_patterns = fit_matcher.patterns();
  for (const ListedPhrase& p : full.phrases()) {
    if (held_out(p.raw_correct, p.raw_tortured))
      ++report.eval_pairs;
    else if (fitting(p.raw_correct, p.raw_tortured))
      ++report.fit_pairs;
  }
  std::mt19937_64 rng(config.seed);
  // The sets.
  std::vector<const ListedPhrase*> listed_pool, unlisted_pool;
  for (const ListedPhrase& p : fit.phrases()) {
    if (p.status == listed::Status::kActive) listed_pool.push_back(&p);
  }
  for (const ListedPhrase& p : full.phrases()) {
    if (p.status != listed::Status::kActive || p.correct.empty()) continue;
    if (!held_out(p.raw_correct, p.raw_tortured)) continue;
    if (!fit_matcher.find(p.tortured).empty()) continue;  // the fitting list matches it: not unlisted
    unlisted_pool.push_back(&p);
  }
  std::shuffle(listed_pool.begin(), listed_pool.end(), rng);
  std::shuffle(unlisted_pool.begin(), unlisted_pool.end(), rng);
  if (listed_pool.size() > config.phrases) listed_pool.resize(config.phrases);
  if (unlisted_pool.size() > config.phrases) unlisted_pool.resize(config.phrases);
  say("listed pool " + std::to_string(listed_pool.size()) + ", unlisted pool " + std::to_string(unlisted_pool.size()));

  // Scientific prose: Brown J, eval part.
  std::vector<CorpusDoc> nonfiction = select_part(load_corpus(config.corpora_dir, {"brown-nonfiction"}), text_part);
  std::vector<CorpusDoc> learned;
  for (CorpusDoc& d : nonfiction) {
    if (d.id.rfind("brown/cj", 0) == 0) learned.push_back(std::move(d));
  }
  const std::vector<Excerpt> excerpts = make_excerpts(learned, config.words, 1000);
  if (excerpts.empty()) throw Error(ErrorCode::kIo, "no Brown category J text in " + config.corpora_dir);

  ModelPaths paths = config.models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(config.models_dir);
  std::unique_ptr<Models> models = Models::load(paths);
  RestoreOptions options;
  options.review_threshold = config.review_threshold;
  options.papers = true;  // the screening a research-integrity user runs (unspin check --papers)
  const auto run_set = [&](const std::vector<const ListedPhrase*>& pool, TorturedSet& set, const char* name) {
    std::vector<SpunDoc> docs;
    for (std::size_t i = 0, e = 0; i < pool.size(); i += config.per_doc, ++e) {
      std::vector<Planted> planted;
      for (std::size_t k = i; k < std::min(pool.size(), i + config.per_doc); ++k)
        planted.push_back(inflect(*pool[k], rng));
      docs.push_back(plant(excerpts[e % excerpts.size()].text, planted, rng));
    }
    const Restorer restorer(*models, options);
    std::vector<std::string_view> texts;
    for (const SpunDoc& d : docs) texts.push_back(d.text);
    const std::vector<BatchResult> results = restorer.run_many(texts, 2);
    std::ofstream dump;
    if (!config.dump_candidates.empty() && &set == &report.unlisted) {
      dump.open(config.dump_candidates);
      if (!dump) throw Error(ErrorCode::kIo, "cannot write " + config.dump_candidates);
      dump << "excerpt\tlabel\twords\tllr\tllr_min\twritten_known\tcorrect_vocab\tlm_"
              "gain\trecurrence\tsubstituted\tassociation\tunseen_pairs\tsubstitutable\toutput_recurrence\trestored_"
              "known\tllr_max\tfunction_edges\tright\n";
      for (std::size_t i = 0; i < docs.size(); ++i) {
        for (const listed::Suspect& c : decode::unlisted_of(*models)->candidates(docs[i].text)) {
          int label = 0, right = 0;
          for (const auto& p : docs[i].planted) {
            if (overlaps(c.byte_begin, c.byte_end, p.begin, p.end)) {
              // 2: the window lies inside the phrase; 1: it overlaps it
              label = std::max(label, c.byte_begin >= p.begin && c.byte_end <= p.end ? 2 : 1);
              right |= !c.original.empty() && !p.expected.empty() &&
                       compare_key(c.original) == compare_key(p.expected) && c.byte_begin <= p.begin &&
                       c.byte_end >= p.end;
            }
          }
          dump << i % excerpts.size() << '\t' << label << '\t' << c.words << '\t' << c.tortured_llr << '\t'
               << c.tortured_llr_min << '\t' << c.written_known << '\t' << c.correct_vocab << '\t' << c.lm_gain << '\t'
               << c.recurrence << '\t' << c.substituted << '\t' << c.association << '\t' << c.unseen_pairs << '\t'
               << c.substitutable << '\t' << c.output_recurrence << '\t' << c.restored_known << '\t' << c.llr_max
               << '\t' << c.function_edges << '\t' << right << '\n';
        }
      }
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (!results[i].result) continue;
      const std::vector<listed::Suspect> suspects = decode::unlisted_of(*models)
                                                        ? decode::unlisted_of(*models)->find(docs[i].text)
                                                        : std::vector<listed::Suspect>();
      score_doc(docs[i], *results[i].result, suspects, set);
    }
    say(std::string(name) + ": " + std::to_string(set.phrases) + " phrases in " + std::to_string(docs.size()) +
        " documents");
  };
  // Listed and unlisted sets: the product as it would be had the list been
  // only its fitting part.
  const std::shared_ptr<const Models::Parts> builtin = models->parts;
  auto fitted = std::make_shared<Models::Parts>(builtin ? *builtin : Models::Parts{});
  fitted->listed = std::shared_ptr<const Matcher>(std::shared_ptr<void>(), &fit_matcher);
  fitted->unlisted =
      std::make_shared<const listed::UnlistedFinder>(fit, models->lm.get(), decode::fitted_of(*models).unlisted);
  models->parts = std::move(fitted);
  run_set(listed_pool, report.listed, "listed");
  run_set(unlisted_pool, report.unlisted, "unlisted");
  // Clean prose: the product as shipped (the full list).
  models->parts = builtin;
  {
    const Restorer restorer(*models, options);
    std::vector<std::pair<std::string, std::vector<Excerpt>>> sources;
    // Brown J (the planted phrases' host prose, clean here) is kGenreSources'
    // brown-j-learned: each source once, so the totals weigh none twice.
    for (const std::string& src : kGenreSources) {
      const std::vector<CorpusDoc> docs = select_part(load_corpus(config.corpora_dir, {src}), text_part);
      sources.push_back({src, make_excerpts(docs, config.words, config.clean_docs)});
    }
    for (const auto& [name, ex] : sources) {
      TorturedCleanCell cell;
      cell.source = name;
      std::vector<std::string_view> texts;
      for (const Excerpt& e : ex) texts.push_back(e.text);
      const std::vector<BatchResult> results = restorer.run_many(texts, 2);
      for (std::size_t d = 0; d < results.size(); ++d) {
        if (!results[d].result) continue;
        const DocumentResult& r = *results[d].result;
        const std::vector<listed::Suspect> suspects = decode::unlisted_of(*models)
                                                          ? decode::unlisted_of(*models)->find(texts[d])
                                                          : std::vector<listed::Suspect>();
        ++cell.docs;
        cell.words += r.tokens;
        for (const Edit& e : r.edits) cell.listed += e.rule == "UNSPIN_LISTED";
        for (const ReviewSpan& s : r.review) {
          const bool suspect = std::any_of(suspects.begin(), suspects.end(), [&](const listed::Suspect& x) {
            return x.byte_begin == s.byte_begin && x.byte_end == s.byte_end;
          });
          cell.unlisted += s.rule != "UNSPIN_LISTED" && suspect;
          cell.all += 1;
          cell.edits += s.applied && s.rule != "UNSPIN_LISTED";
          cell.candidates += s.reason == "candidate" && !suspect;
          cell.unusual_pairs += s.reason == "unusual";
        }
      }
      say("clean " + name + ": " + std::to_string(cell.docs) + " excerpts, " + std::to_string(cell.words) +
          " words; spans: " + std::to_string(cell.listed) + " listed, " + std::to_string(cell.unlisted) +
          " unlisted, " + std::to_string(cell.edits) + " decoder edits, " + std::to_string(cell.candidates) +
          " decoder candidates, " + std::to_string(cell.unusual_pairs) + " unusual pairs");
      report.clean.push_back(cell);
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

nlohmann::json TorturedReport::summary() const {
  nlohmann::json s;
  const auto set = [&](const char* name, const TorturedSet& t) {
    s[set_key(name, "detection_recall")] = ratio(t.detected, t.phrases);
    s[set_key(name, "detection_precision")] = ratio(t.true_spans, t.spans);
    s[set_key(name, "detection_precision_all_spans")] = ratio(t.all_true_spans, t.all_spans);
    s[set_key(name, "suspect_precision")] = ratio(t.suspect_true, t.suspect_spans);
    s[set_key(name, "suspect_spans")] = t.suspect_spans;
    s[set_key(name, "restoration_recall")] = ratio(t.restored, t.with_correct);
    s[set_key(name, "restoration_precision")] = ratio(t.edits_right, t.edits);
    s[set_key(name, "proposal_recall")] = ratio(t.proposed, t.with_correct);
    s[set_key(name, "proposal_precision")] = ratio(t.proposals_right, t.proposals);
    s[set_key(name, "phrases")] = t.phrases;
  };
  set("listed", listed);
  set("unlisted", unlisted);
  std::size_t words = 0, tortured = 0, all = 0;
  for (const TorturedCleanCell& c : clean) {
    words += c.words;
    tortured += c.listed + c.unlisted;
    all += c.all;
    const std::string key = "tortured/clean/" + c.source.substr(0, c.source.find(' '));
    s[key + "/tortured_per_2000_words"] = c.per_2000(c.listed + c.unlisted);
    s[key + "/spans_per_2000_words"] = c.per_2000(c.all);
  }
  s["tortured/clean/tortured_per_2000_words"] = words ? 2000.0 * tortured / words : 0.0;
  s["tortured/clean/spans_per_2000_words"] = words ? 2000.0 * all / words : 0.0;
  return s;
}

std::string TorturedReport::markdown() const {
  std::string md;
  md += "List split by correct term: " + std::to_string(fit_pairs) + " fitting pairs (" + std::to_string(fit_patterns) +
        " patterns matched), " + std::to_string(eval_pairs) + " eval pairs.\n\n";
  md +=
      "| set | phrases | span recall | span precision (tortured spans) | span precision (all spans) | restoration "
      "recall | restoration precision | proposed term right: recall | proposed term right: precision |\n";
  md += "|---|---|---|---|---|---|---|---|---|\n";
  const auto row = [&](const char* name, const TorturedSet& t) {
    md += std::string("| ") + name + " | " + std::to_string(t.phrases) + " | " +
          fmt("%.3f", ratio(t.detected, t.phrases)) + " | " + fmt("%.3f", ratio(t.true_spans, t.spans)) + " (" +
          std::to_string(t.true_spans) + "/" + std::to_string(t.spans) + ") | " +
          fmt("%.3f", ratio(t.all_true_spans, t.all_spans)) + " | " + fmt("%.3f", ratio(t.restored, t.with_correct)) +
          " (" + std::to_string(t.restored) + "/" + std::to_string(t.with_correct) + ") | " +
          fmt("%.3f", ratio(t.edits_right, t.edits)) + " (" + std::to_string(t.edits_right) + "/" +
          std::to_string(t.edits) + ") | " + fmt("%.3f", ratio(t.proposed, t.with_correct)) + " | " +
          fmt("%.3f", ratio(t.proposals_right, t.proposals)) + " (" + std::to_string(t.proposals_right) + "/" +
          std::to_string(t.proposals) + ") |\n";
  };
  row("listed (fitting part, inflected)", listed);
  row("unlisted (eval part)", unlisted);
  md += "\nOf the unlisted set's tortured-phrase spans, the unlisted finder's own: " +
        std::to_string(unlisted.suspect_spans) + ", " + std::to_string(unlisted.suspect_true) +
        " on a planted phrase (precision " + fmt("%.3f", ratio(unlisted.suspect_true, unlisted.suspect_spans)) +
        "); the others are the decoder's candidate and unusual-wording review spans.\n";
  md += "\nClean eval-part excerpts (~300 words), the full built-in list:\n\n";
  md +=
      "| source | excerpts | words | listed matches | unlisted suspects | tortured spans per 2,000 words | all matches "
      "and review spans per 2,000 words |\n";
  md += "|---|---|---|---|---|---|---|\n";
  for (const TorturedCleanCell& c : clean) {
    md += "| " + c.source + " | " + std::to_string(c.docs) + " | " + std::to_string(c.words) + " | " +
          std::to_string(c.listed) + " | " + std::to_string(c.unlisted) + " | " +
          fmt("%.2f", c.per_2000(c.listed + c.unlisted)) + " | " + fmt("%.2f", c.per_2000(c.all)) + " |\n";
  }
  md += "\n(" + fmt("%.0f", seconds) + " s)\n";
  return md;
}

}  // namespace unspin::eval
