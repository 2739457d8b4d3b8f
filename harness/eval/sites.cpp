#include "eval/sites.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "common/parallel.h"
#include "decode/fitted_params.h"
#include "decode/pipeline.h"
#include "decode/site_counts.h"
#include "eval/runner.h"
#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {

// The learner's sums and features (decode/site_counts.h), for the fit's samples.
using decode::kLearnFeatures, decode::PairCounts, decode::PairFeatures;

namespace {

constexpr std::uint64_t kHalfSeed = 0x51DE5;

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string rp(const QualityCounts& q) { return fmt("%.3f", q.recall()) + " / " + fmt("%.3f", q.precision()); }

}  // namespace

GroupTable table_half(const GroupTable& table, int half) {
  GroupTable out;
  for (const SpinGroup& g : table.groups()) {
    if (static_cast<int>(stable_hash(g.original, kHalfSeed) % 2) == half) out.add(g);
  }
  return out;
}

GroupTable table_quarter(const GroupTable& table, int half, int quarter) {
  GroupTable out;
  for (const SpinGroup& g : table.groups()) {
    if (static_cast<int>(stable_hash(g.original, kHalfSeed) % 4) == half + 2 * quarter) out.add(g);
  }
  return out;
}

namespace {

template <class PageVec, class InTable>
void dump_learned_decisions(const char* path, const Models& models, const RestoreOptions& options,
                            const SiteCounts& site, const PageVec& pages, std::size_t learning, std::size_t learn_max,
                            const InTable& in_table) {
  std::map<std::pair<std::string, std::string>, PairFeatures> feats;
  for (PairFeatures& f : decode::pair_features(*models.lm, site)) feats[{f.original, f.spun}] = f;
  const decode::Pipeline pipeline(models, options, decode::fitted_of(models).decoder);
  static std::ofstream dump(path);
  static bool header = false;
  if (!header)
    dump << "pages\tpage\tspun\toriginal\tprior\traw\tconfidence\tdelta\tmean_delta\tentry_post\tunspun\twritten_s\t"
            "occ_in_doc\tin_table\tcorrect\tgold_here\tlearned\tgold\tlearning";
  if (!header) {
    for (std::size_t k = 0; k < kLearnFeatures; ++k) dump << "\tx" << k;
    dump << "\n";
    header = true;
  }
  std::vector<std::size_t> todo;  // the learning pages, then the held-out ones
  for (std::size_t i = 0; i < learning; ++i) todo.push_back(i);
  for (std::size_t i = learn_max; i < pages.size(); ++i) todo.push_back(i);
  for (const std::size_t i : todo) {
    const auto& page = pages[i];
    decode::DocumentState doc = pipeline.prepare(page.spun.text);
    const std::vector<decode::Decision> decisions = pipeline.decode({&doc})[0];
    const auto& occ = doc.model.occurrences();
    std::vector<double> sum(doc.model.entries().size(), 0.0);
    std::vector<int> cnt(doc.model.entries().size(), 0);
    for (const auto& o : occ) {
      sum[o.entry] += o.delta;
      ++cnt[o.entry];
    }
    for (const decode::Decision& d : decisions) {
      if (d.raw < 0.01) continue;
      const auto& o = occ[d.occurrence];
      const auto& e = doc.model.entries()[o.entry];
      int correct = 0, gold_here = 0;
      std::string gold_text;
      for (const GoldEdit& g : page.spun.edits) {
        if (g.byte_begin < d.byte_end && d.byte_begin < g.byte_end) {
          gold_here = 1;
          gold_text = comparable(g.spun) + ">" + comparable(g.original);
          if (g.byte_begin == d.byte_begin && g.byte_end == d.byte_end && comparable(g.original) == d.arc->original)
            correct = 1;
        }
      }
      auto it = doc.written.find(e.spun);
      dump << site.pages() << '\t' << i << '\t' << e.spun << '\t' << e.original << '\t' << d.arc->prior << '\t' << d.raw
           << '\t' << d.confidence << '\t' << o.delta << '\t' << sum[o.entry] / cnt[o.entry] << '\t'
           << doc.result.entry_posterior[o.entry] << '\t' << e.unspun << '\t'
           << (it == doc.written.end() ? 0 : it->second) << '\t' << cnt[o.entry] << '\t' << in_table(e.original, e.spun)
           << '\t' << correct << '\t' << gold_here << '\t' << ((d.arc->sources & kSourceLearned) ? 1 : 0) << '\t'
           << (gold_text.empty() ? "-" : gold_text) << '\t' << (i < learning ? 1 : 0);
      auto f = feats.find({e.original, e.spun});
      for (std::size_t k = 0; k < kLearnFeatures; ++k) dump << '\t' << (f == feats.end() ? -99.0 : f->second.x[k]);
      dump << '\n';
    }
  }
}

// Development aid (build part only): each generic decision (a lexicon pair
// the learned table does not hold) of a page restored with a learned table,
// for harness/fit/fit_site_generic_edit.py: seed, site pages, the table's
// pages, the posterior, the confidence off a site and on it, right.
template <class Page>
void dump_generic_decisions(const char* path, const Models& models, const RestoreOptions& options, std::uint64_t seed,
                            std::size_t site_pages, const Page& page) {
  const decode::Pipeline pipeline(models, options, decode::fitted_of(models).decoder);
  decode::DocumentState doc = pipeline.prepare(page.spun.text);
  static std::ofstream dump(path);
  static bool header = false;
  if (!header) dump << "seed\tpages\ttable_pages\traw\tgeneric\tconfidence\tcorrect\n";
  header = true;
  const std::vector<decode::Decision> decisions = pipeline.decode({&doc})[0];
  for (const decode::Decision& d : decisions) {
    if (d.arc->sources & (kSourceLearned | kSourceUser)) continue;
    const double generic = pipeline.generic_edit_confidence(d.raw);
    if (generic < 0.5) continue;  // never applied, on a site or off it
    int correct = 0;
    for (const GoldEdit& g : page.spun.edits) {
      correct |= g.byte_begin == d.byte_begin && g.byte_end == d.byte_end && comparable(g.original) == d.arc->original;
    }
    dump << seed << '\t' << site_pages << '\t' << models.learned_pages << '\t' << d.raw << '\t' << generic << '\t'
         << d.confidence << '\t' << correct << '\n';
  }
}

}  // namespace

SiteResults run_site(const SiteConfig& config, const SpinnerData& data, const std::vector<CorpusDoc>& docs,
                     const Models& models, const SiteLearner& learner, const SiteProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  SiteResults results;
  results.config = config;
  const GroupTable table = table_half(data.table, config.part == Part::kBuild ? 0 : 1);
  results.table_groups = table.groups().size();
  std::set<std::pair<std::string, std::string>> truth;
  // The pairs the engine can write: the plugin engine replaces a group's
  // original by one of its alternatives; the rewriter (kSymmetric) replaces
  // any member of a line by any other member, numbers' lines included.
  if (config.style == SpinStyle::kSymmetric) {
    for (const std::vector<std::string>& line : rewriter_lines(data, table)) {
      for (const std::string& a : line) {
        for (const std::string& b : line) {
          if (a != b) truth.insert({comparable(a), comparable(b)});
        }
      }
    }
  } else {
    for (const SpinGroup& g : table.groups()) {
      for (const std::string& a : g.alternatives) truth.insert({comparable(g.original), comparable(a)});
    }
  }
  auto in_table = [&](const std::string& o, const std::string& s) {
    return truth.count({comparable(o), comparable(s)}) > 0;
  };
  if (const char* path = std::getenv("UNSPIN_SITES_TRUTH")) {
    // Development aid (build part only): the site's true table, a pair a line.
    std::ofstream t(path);
    for (const auto& [o, s] : truth) t << o << '\t' << s << '\n';
  }

  // The site's pages: the part's excerpts in an order drawn from the seed.
  std::vector<Excerpt> pool = make_excerpts(docs, config.page_words, 1u << 30);
  std::sort(pool.begin(), pool.end(), [&](const Excerpt& a, const Excerpt& b) {
    return stable_hash(a.id, config.seed) < stable_hash(b.id, config.seed);
  });
  std::vector<std::size_t> sizes = config.sizes;
  std::sort(sizes.begin(), sizes.end());
  if (sizes.empty()) throw Error(ErrorCode::kUsage, "eval sites: no site size given");
  const std::size_t heldout = std::min(config.heldout, pool.size() / 2);
  const std::size_t learn_max = std::min(sizes.back(), pool.size() - heldout);
  if (learn_max < sizes.back() && progress) {
    progress("only " + std::to_string(pool.size()) + " pages in the " + std::string(part_name(config.part)) +
             " part: the largest site has " + std::to_string(learn_max));
  }
  struct Page {
    std::string id;
    SpinOutput spun;
  };
  std::vector<Page> pages;
  for (std::size_t i = 0; i < learn_max + heldout; ++i) {
    pages.push_back({pool[i].id, spin_table_style(data, config.style, table, pool[i].text, config.intensity,
                                                  stable_hash(pool[i].id, config.seed ^ 0x5173))});
  }
  pool.clear();
  if (!config.write_pages.empty()) {
    std::ofstream out(config.write_pages, std::ios::binary);
    for (std::size_t i = 0; i < learn_max; ++i) {
      out << nlohmann::json{{"id", pages[i].id},
                            {"url", "https://site-" + std::to_string(config.seed) + ".example/" + pages[i].id},
                            {"text", pages[i].spun.text}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << '\n';
    }
    out.close();
    if (!out) throw Error(ErrorCode::kIo, "cannot write " + config.write_pages);
    return results;
  }

  // Each page alone (the baseline), and each learning page observed.
  // Restored at the lowest threshold of the curve; each threshold keeps its edits.
  RestoreOptions options;
  options.min_confidence = kSiteThresholds.front();
  const Restorer alone(models, options);
  auto graded = [&](const Page& p, const std::vector<Edit>& edits) {
    std::vector<QualityCounts> counts;
    for (double t : kSiteThresholds) {
      std::vector<Edit> kept;
      for (const Edit& e : edits) {
        if (e.confidence >= t) kept.push_back(e);
      }
      counts.push_back(score_document(p.spun.text, p.spun.edits, kept));
    }
    return counts;
  };
  std::vector<std::vector<QualityCounts>> alone_counts(pages.size());
  std::vector<SiteCounts> observed(learn_max);
  parallel_for(pages.size(), config.threads, [&](unsigned, std::size_t i) {
    const Page& p = pages[i];
    alone_counts[i] = graded(p, alone.run(p.spun.text).edits);
    if (i < learn_max) observed[i] = learner.observe(p.spun.text, p.id);
  });
  if (progress)
    progress("observed " + std::to_string(learn_max) + " pages, restored " + std::to_string(pages.size()) + " alone");

  // Learning pages [first, first + count) as one site, restored as `restore
  // --same-source` restores them (SiteLearner::restore: cross-fitted),
  // graded at each threshold.
  std::vector<std::size_t> folds(learn_max);
  for (std::size_t i = 0; i < learn_max; ++i) folds[i] = SiteLearner::fold_of(pages[i].spun.text, pages[i].id);
  // `with_table`, when given, receives the models with the table learned
  // from all of them (null when it is empty), for held-out pages.
  auto restore_learning = [&](std::size_t first, std::size_t count, std::unique_ptr<Models>* with_table = nullptr) {
    std::vector<std::string_view> texts;
    for (std::size_t i = first; i < first + count; ++i) texts.push_back(pages[i].spun.text);
    const std::vector<SiteCounts> counts(observed.begin() + first, observed.begin() + first + count);
    const std::vector<std::size_t> page_folds(folds.begin() + first, folds.begin() + first + count);
    SiteLearner::SiteRestoration restored =
        learner.restore(texts, counts, page_folds, options, config.table_prior, config.threads);
    if (with_table) {
      SiteCounts site;
      for (const SiteCounts& c : counts) site.merge(c);
      const std::vector<LearnedPair> pairs = learner.table(site, config.table_prior);
      if (!pairs.empty()) *with_table = models.with_learned_table(learned_table_text(pairs, count), "learned");
    }
    std::vector<std::vector<QualityCounts>> out(count);
    for (std::size_t k = 0; k < count; ++k) {
      if (restored.results[k].error) throw *restored.results[k].error;
      out[k] = graded(pages[first + k], restored.results[k].result->edits);
      if (const char* path = std::getenv("UNSPIN_SITES_GENERIC")) {
        const auto& fold = restored.fold_models[page_folds[k]];
        if (fold) dump_generic_decisions(path, *fold, options, config.seed, count, pages[first + k]);
      }
    }
    return out;
  };

  SiteCounts site;
  std::size_t merged = 0;
  std::unique_ptr<std::ofstream> samples;
  if (!config.samples.empty()) {
    if (config.part != Part::kBuild) throw Error(ErrorCode::kUsage, "eval sites --samples: build part only");
    samples = std::make_unique<std::ofstream>(config.samples, std::ios::app);
    if (!*samples) throw Error(ErrorCode::kIo, "cannot write " + config.samples);
  }
  for (std::size_t n : sizes) {
    if (n > learn_max) n = learn_max;
    if (!results.points.empty() && results.points.back().pages == n) continue;
    for (; merged < n; ++merged) site.merge(observed[merged]);
    SitePoint point;
    point.pages = n;
    std::vector<LearnedPair> learned, written;
    for (const PairFeatures& f : decode::pair_features(*models.lm, site)) {
      const double prior = decode::pair_prior(*decode::fitted_of(models).site_prior, f);
      const bool label = in_table(f.original, f.spun);
      ++point.candidates;
      results.priors.emplace_back(prior, label);
      if (samples) {
        // Fitting (build part only): every scored pair of every size with its
        // features, its raw sums and its label (harness/fit/fit_site_learner.py).
        std::ofstream& dump = *samples;
        // A pair only LM fill-in proposed has no decoder sums: its contexts' votes stand for its restorations.
        PairCounts fill_only;
        fill_only.restored = f.restored;
        const auto found = site.sums().pairs.find(f.original + '\t' + f.spun);
        const PairCounts& c = found != site.sums().pairs.end() ? found->second : fill_only;
        dump << config.seed << '\t' << n << '\t' << f.original << '\t' << f.spun << '\t' << label;
        for (double v : f.x) dump << '\t' << v;
        for (double v : {c.pages, c.words, c.spun, c.unspun, c.restored, c.posterior, c.consistent}) dump << '\t' << v;
        for (const auto* a : {&c.fold_restored, &c.fold_posterior, &c.fold_pages}) {
          for (double v : *a) dump << '\t' << v;
        }
        dump << '\n';
      }
      if (std::getenv("UNSPIN_SITES_DUMP") && n == learn_max) {
        // Development aid (build part only: nothing is tuned on the eval part):
        // every scored pair of the largest site with its features and label.
        static std::ofstream dump(std::getenv("UNSPIN_SITES_DUMP"));
        dump << f.original << '\t' << f.spun << '\t' << prior << '\t' << label;
        for (double v : f.x) dump << '\t' << v;
        dump << '\n';
      }
      if (prior >= config.table_prior)
        written.push_back({f.original, f.spun, prior, static_cast<std::size_t>(f.restored)});
      if (prior >= config.min_prior) {
        learned.push_back({f.original, f.spun, prior, static_cast<std::size_t>(f.restored)});
        ++point.learned;
        point.learned_true += label;
      }
    }
    std::set<std::pair<std::string, std::string>> learned_set;
    for (const LearnedPair& p : learned) learned_set.insert({p.original, p.spun});
    for (std::size_t i = learn_max; i < pages.size(); ++i) {
      for (const GoldEdit& g : pages[i].spun.edits) {
        ++point.heldout_gold;
        point.heldout_covered += learned_set.count({comparable(g.original), comparable(g.spun)}) > 0;
      }
    }
    // Restoration with the learned table; without pairs the learner falls back to each page alone.
    std::unique_ptr<Models> with_table;
    std::unique_ptr<Restorer> restorer;
    if (!written.empty()) {
      with_table = models.with_learned_table(learned_table_text(written, n), "learned");
      restorer = std::make_unique<Restorer>(*with_table, options);
    }
    if (restorer && std::getenv("UNSPIN_SITES_DECISIONS")) {
      // Development aid (build part only): every decision on a learned pair
      // in the learning (with this one table, not cross-fitted) and the held-out pages, with the model's evidence,
      // whether it is right and the gold substitution on its span
      // (spun>original, "-": none).
      dump_learned_decisions(std::getenv("UNSPIN_SITES_DECISIONS"), *with_table, options, site, pages, n, learn_max,
                             in_table);
    }
    std::vector<std::vector<QualityCounts>> learned_counts(pages.size());
    // The learning pages as `restore --same-source` restores them: cross-fitted.
    const std::vector<std::vector<QualityCounts>> learning_counts = restore_learning(0, n);
    for (std::size_t i = 0; i < n; ++i) learned_counts[i] = learning_counts[i];
    // The held-out pages with the table learned from every learning page (what `learn` writes).
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if (i < n || i >= learn_max) todo.push_back(i);
    }
    parallel_for(todo.size(), config.threads, [&](unsigned, std::size_t k) {
      const std::size_t i = todo[k];
      if (i < n) return;  // cross-fitted above
      if (!restorer) {
        learned_counts[i] = alone_counts[i];
        return;
      }
      const std::vector<Edit> edits = restorer->run(pages[i].spun.text).edits;
      learned_counts[i] = graded(pages[i], edits);
      if (std::getenv("UNSPIN_SITES_GOLD") && n == learn_max && i >= learn_max) {
        // Development aid (build part only): each held-out substitution of the
        // largest site, its pair's learned prior (-1: not in the table), the
        // site's count of its spun form and the LM's expectation of it, and the
        // edit on its span (confidence, right).
        static std::mutex mutex;
        static std::ofstream dump(std::getenv("UNSPIN_SITES_GOLD"));
        std::lock_guard<std::mutex> lock(mutex);
        for (const GoldEdit& g : pages[i].spun.edits) {
          const std::string o = comparable(g.original), s = comparable(g.spun);
          double prior = -1;
          for (const LearnedPair& p : written) {
            if (p.original == o && p.spun == s) prior = p.prior;
          }
          double conf = -1, right = 0;
          std::string got;
          for (const Edit& e : edits) {
            if (e.byte_begin < g.byte_end && g.byte_begin < e.byte_end) {
              conf = e.confidence;
              got = comparable(e.original);
              right = e.byte_begin == g.byte_begin && e.byte_end == g.byte_end && got == o;
            }
          }
          const auto f = site.sums().forms.find(s);
          const LanguageModel& lm = *models.lm;
          LmState st;
          const WordId id = lm.vocab_id(s);
          const double expected =
              static_cast<double>(site.words()) *
              std::pow(10.0, id == kUnknownWord ? lm.unknown_log10() : lm.score(lm.null_context(), id, &st));
          dump << i << '\t' << o << '\t' << s << '\t' << prior << '\t'
               << (f == site.sums().forms.end() ? 0 : f->second.count) << '\t' << expected << '\t' << conf << '\t'
               << right << '\t' << got << '\n';
        }
      }
      if (std::getenv("UNSPIN_SITES_EDITS") && n == learn_max && i >= learn_max) {
        // Development aid (build part only): each held-out edit of the largest site and whether it is right.
        std::vector<int> correct;
        score_document(pages[i].spun.text, pages[i].spun.edits, edits, nullptr, &correct);
        static std::mutex mutex;
        static std::ofstream dump(std::getenv("UNSPIN_SITES_EDITS"));
        std::lock_guard<std::mutex> lock(mutex);
        for (std::size_t e = 0; e < edits.size(); ++e) {
          dump << edits[e].spun << '\t' << edits[e].original << '\t' << edits[e].confidence << '\t' << edits[e].rule
               << '\t' << correct[e] << '\n';
        }
      }
    });
    for (std::size_t i : todo) {
      (i < n ? point.learning_learned : point.heldout_learned).add(learned_counts[i][0]);
      (i < n ? point.learning_alone : point.heldout_alone).add(alone_counts[i][0]);
      if (i >= learn_max) {
        for (std::size_t t = 0; t < kSiteThresholds.size(); ++t) {
          point.heldout_curve_learned[kSiteThresholds[t]].add(learned_counts[i][t]);
          point.heldout_curve_alone[kSiteThresholds[t]].add(alone_counts[i][t]);
        }
      }
    }
    // The same site size again on the other disjoint runs of learning pages.
    point.sites = learn_max / n;
    std::vector<std::unique_ptr<Models>> site_models(point.sites);
    for (std::size_t k = 0; k < point.sites; ++k) {
      const std::vector<std::vector<QualityCounts>> counts =
          k == 0 ? learning_counts : restore_learning(k * n, n, &site_models[k]);
      for (std::size_t i = 0; i < n; ++i) {
        point.sites_learning_learned.add(counts[i][0]);
        point.sites_learning_alone.add(alone_counts[k * n + i][0]);
      }
    }
    std::vector<QualityCounts> heldout_counts(pages.size() - learn_max);
    parallel_for(heldout_counts.size(), config.threads, [&](unsigned, std::size_t j) {
      const std::size_t i = learn_max + j;
      const std::size_t k = j % point.sites;
      if (k == 0) {
        heldout_counts[j] = learned_counts[i][0];
      } else if (site_models[k]) {
        heldout_counts[j] = graded(pages[i], Restorer(*site_models[k], options).run(pages[i].spun.text).edits)[0];
      } else {
        heldout_counts[j] = alone_counts[i][0];
      }
    });
    for (std::size_t j = 0; j < heldout_counts.size(); ++j) {
      point.sites_heldout_learned.add(heldout_counts[j]);
      point.sites_heldout_alone.add(alone_counts[learn_max + j][0]);
    }
    if (progress) {
      progress(std::to_string(n) + " pages: " + std::to_string(point.learned) + " pairs, precision " +
               fmt("%.3f", point.pair_precision()) + ", held-out recall " +
               fmt("%.3f", point.heldout_learned.recall()) + " at " + fmt("%.3f", point.heldout_learned.precision()) +
               " (alone " + fmt("%.3f", point.heldout_alone.recall()) + " at " +
               fmt("%.3f", point.heldout_alone.precision()) + "); recall at precision >= 0.95: " +
               fmt("%.3f", recall_at_precision(point.heldout_curve_learned, 0.95).first) + " (alone " +
               fmt("%.3f", recall_at_precision(point.heldout_curve_alone, 0.95).first) + "); over " +
               std::to_string(point.sites) + " sites of this size: learning pages " + rp(point.sites_learning_learned) +
               " (alone " + rp(point.sites_learning_alone) + "), held-out " + rp(point.sites_heldout_learned) +
               " (alone " + rp(point.sites_heldout_alone) + ")");
    }
    results.points.push_back(std::move(point));
  }
  results.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  results.peak_rss_kb = peak_rss_kb();
  return results;
}

std::pair<double, double> recall_at_precision(const std::map<double, QualityCounts>& curve, double precision) {
  std::pair<double, double> best{0.0, -1.0};
  for (const auto& [t, q] : curve) {
    if (q.edits > 0 && q.precision() >= precision && q.recall() > best.first) best = {q.recall(), t};
  }
  return best;
}

std::vector<PriorBin> prior_bins(const std::vector<std::pair<double, bool>>& priors) {
  std::vector<PriorBin> bins;
  for (int b = 0; b < 10; ++b) bins.push_back({b / 10.0, (b + 1) / 10.0});
  for (const auto& [p, label] : priors) {
    PriorBin& bin = bins[std::min(9, static_cast<int>(p * 10))];
    ++bin.n;
    bin.mean_prior += p;
    bin.share_true += label;
  }
  for (PriorBin& bin : bins) {
    if (bin.n) {
      bin.mean_prior /= bin.n;
      bin.share_true /= bin.n;
    }
  }
  return bins;
}

std::string sites_markdown(const std::vector<SiteResults>& results) {
  std::string md;
  for (const SiteResults& r : results) {
    md += "Site: seed " + std::to_string(r.config.seed) + ", " + std::string(part_name(r.config.part)) + " part, " +
          std::string(style_name(r.config.style)) + " style at intensity " + fmt("%.2g", r.config.intensity) + ", " +
          std::to_string(r.table_groups) + " groups (half " + (r.config.part == Part::kBuild ? "0" : "1") +
          " of the table), pages of ~" + std::to_string(r.config.page_words) + " words, " +
          std::to_string(r.config.heldout) + " held-out pages; " + fmt("%.0f", r.seconds) + " s, peak RSS " +
          fmt("%.0f", r.peak_rss_kb / 1024.0) + " MiB.\n\n";
    md += "| pages | pairs scored | pairs learned (prior >= " + fmt("%.2g", r.config.min_prior) +
          ") | pair precision | held-out token coverage | learning pages R / P, cross-fitted | each alone | "
          "held-out R / P, learned | each alone |\n|---|---|---|---|---|---|---|---|---|\n";
    for (const SitePoint& p : r.points) {
      md += "| " + std::to_string(p.pages) + " | " + std::to_string(p.candidates) + " | " + std::to_string(p.learned) +
            " | " + fmt("%.3f", p.pair_precision()) + " | " + fmt("%.3f", p.coverage()) + " | " +
            rp(p.learning_learned) + " | " + rp(p.learning_alone) + " | " + rp(p.heldout_learned) + " | " +
            rp(p.heldout_alone) + " |\n";
    }
    md +=
        "\nLearning never hurts, over every site of each size: the learning pages cut into disjoint sites of that "
        "many pages (the first is the site above), each site's pages restored as `restore --same-source` restores "
        "them (cross-fitted), and each held-out page restored with the table of one of the sites (R / P):\n\n"
        "| pages | sites | learning pages, learned | each alone | held-out pages, learned | each alone |\n"
        "|---|---|---|---|---|---|\n";
    for (const SitePoint& p : r.points) {
      md += "| " + std::to_string(p.pages) + " | " + std::to_string(p.sites) + " | " + rp(p.sites_learning_learned) +
            " | " + rp(p.sites_learning_alone) + " | " + rp(p.sites_heldout_learned) + " | " +
            rp(p.sites_heldout_alone) + " |\n";
    }
    md +=
        "\nHeld-out restoration by edit threshold (`--min-confidence`), learned table / each page alone, "
        "recall / precision; last column: the highest recall at precision >= 0.95:\n\n| pages |";
    for (double t : kSiteThresholds) md += " " + fmt("%.2f", t) + " |";
    md += " R at P >= 0.95, learned | each alone |\n|---|";
    for (std::size_t t = 0; t <= kSiteThresholds.size() + 1; ++t) md += "---|";
    md += "\n";
    for (const SitePoint& p : r.points) {
      md += "| " + std::to_string(p.pages) + " |";
      for (double t : kSiteThresholds) {
        md += " " + rp(p.heldout_curve_learned.at(t)) + "; " + rp(p.heldout_curve_alone.at(t)) + " |";
      }
      const auto l = recall_at_precision(p.heldout_curve_learned, 0.95);
      const auto a = recall_at_precision(p.heldout_curve_alone, 0.95);
      md += " " + fmt("%.3f", l.first) + (l.second > 0 ? " (at " + fmt("%.2f", l.second) + ")" : "") + " | " +
            fmt("%.3f", a.first) + (a.second > 0 ? " (at " + fmt("%.2f", a.second) + ")" : "") + " |\n";
    }
    md += "\n";
  }
  std::vector<std::pair<double, bool>> all;
  for (const SiteResults& r : results) all.insert(all.end(), r.priors.begin(), r.priors.end());
  md +=
      "Reliability of the learned priors (every scored pair of every site size above, against the true table):\n\n"
      "| prior bin | pairs | mean prior | share in the table | within 0.1 |\n|---|---|---|---|---|\n";
  for (const PriorBin& b : prior_bins(all)) {
    if (!b.n) continue;
    md += "| " + fmt("%.1f", b.lo) + "-" + fmt("%.1f", b.hi) + " | " + std::to_string(b.n) + " | " +
          fmt("%.3f", b.mean_prior) + " | " + fmt("%.3f", b.share_true) + " | " +
          (b.n < 30                                        ? "(< 30 pairs)"
           : std::fabs(b.mean_prior - b.share_true) <= 0.1 ? "yes"
                                                           : "**no**") +
          " |\n";
  }
  return md;
}

std::string sites_json(const std::vector<SiteResults>& results) {
  using nlohmann::json;
  json out = json::array();
  auto q = [](const QualityCounts& c) {
    return json{{"recall", c.recall()},        {"precision", c.precision()}, {"gold", c.gold},
                {"restored", c.restored},      {"edits", c.edits},           {"correct_edits", c.correct_edits},
                {"false_edits", c.false_edits}};
  };
  std::vector<std::pair<double, bool>> all;
  for (const SiteResults& r : results) {
    json site{{"seed", r.config.seed},
              {"part", part_name(r.config.part)},
              {"intensity", r.config.intensity},
              {"groups", r.table_groups},
              {"seconds", r.seconds},
              {"peak_rss_kb", r.peak_rss_kb}};
    for (const SitePoint& p : r.points) {
      site["points"].push_back({{"pages", p.pages},
                                {"candidates", p.candidates},
                                {"learned", p.learned},
                                {"learned_true", p.learned_true},
                                {"pair_precision", p.pair_precision()},
                                {"coverage", p.coverage()},
                                {"learning_learned", q(p.learning_learned)},
                                {"learning_alone", q(p.learning_alone)},
                                {"heldout_learned", q(p.heldout_learned)},
                                {"heldout_alone", q(p.heldout_alone)},
                                {"heldout_recall_at_p95", recall_at_precision(p.heldout_curve_learned, 0.95).first},
                                {"heldout_alone_recall_at_p95", recall_at_precision(p.heldout_curve_alone, 0.95).first},
                                {"sites", p.sites},
                                {"sites_learning_learned", q(p.sites_learning_learned)},
                                {"sites_learning_alone", q(p.sites_learning_alone)},
                                {"sites_heldout_learned", q(p.sites_heldout_learned)},
                                {"sites_heldout_alone", q(p.sites_heldout_alone)}});
    }
    out.push_back(site);
    all.insert(all.end(), r.priors.begin(), r.priors.end());
  }
  json bins = json::array();
  for (const PriorBin& b : prior_bins(all)) {
    bins.push_back(
        {{"lo", b.lo}, {"hi", b.hi}, {"n", b.n}, {"mean_prior", b.mean_prior}, {"share_true", b.share_true}});
  }
  return json{{"sites", out}, {"reliability", bins}}.dump(2) + "\n";
}

std::string sites_svg(const std::vector<SiteResults>& results) {
  constexpr double W = 360, H = 300, M = 50;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fmt("%.0f", W + 2 * M + 190) + "\" height=\"" +
                  fmt("%.0f", H + 2 * M) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + fmt("%.0f", M) +
       "\" y=\"20\" font-size=\"13\">unspin-eval eval sites: held-out pages of one site, by pages learned</text>\n";
  s += "<rect x=\"" + fmt("%.0f", M) + "\" y=\"" + fmt("%.0f", M) + "\" width=\"" + fmt("%.0f", W) + "\" height=\"" +
       fmt("%.0f", H) + "\" fill=\"none\" stroke=\"#444\"/>\n";
  auto x_of = [&](double pages) { return M + (std::log10(std::max(pages, 10.0)) - 1.0) / 2.0 * W; };
  auto y_of = [&](double v) { return M + (1 - v) * H; };
  for (double p : {10.0, 50.0, 200.0, 1000.0}) {
    s += "<text x=\"" + fmt("%.1f", x_of(p) - 8) + "\" y=\"" + fmt("%.1f", y_of(0) + 15) + "\">" + fmt("%.0f", p) +
         "</text>\n";
    s += "<line x1=\"" + fmt("%.1f", x_of(p)) + "\" y1=\"" + fmt("%.1f", y_of(0)) + "\" x2=\"" + fmt("%.1f", x_of(p)) +
         "\" y2=\"" + fmt("%.1f", y_of(1)) + "\" stroke=\"#eee\"/>\n";
  }
  for (int i = 0; i <= 10; i += 2) {
    s += "<text x=\"" + fmt("%.1f", M - 28) + "\" y=\"" + fmt("%.1f", y_of(i / 10.0) + 4) + "\">" +
         fmt("%.1f", i / 10.0) + "</text>\n";
  }
  s += "<text x=\"" + fmt("%.1f", x_of(80)) + "\" y=\"" + fmt("%.1f", y_of(0) + 32) +
       "\">pages learned from (log scale)</text>\n";
  struct Line {
    const char* label;
    const char* color;
    const char* dash;
    std::function<double(const SitePoint&)> value;
  };
  const std::vector<Line> lines = {
      {"recall, learned table", "#1f77b4", "", [](const SitePoint& p) { return p.heldout_learned.recall(); }},
      {"recall, each page alone", "#1f77b4", "4,3", [](const SitePoint& p) { return p.heldout_alone.recall(); }},
      {"precision, learned table", "#d62728", "", [](const SitePoint& p) { return p.heldout_learned.precision(); }},
      {"precision, each page alone", "#d62728", "4,3", [](const SitePoint& p) { return p.heldout_alone.precision(); }},
      {"pair precision", "#2ca02c", "", [](const SitePoint& p) { return p.pair_precision(); }},
      {"held-out token coverage", "#9467bd", "", [](const SitePoint& p) { return p.coverage(); }},
  };
  int index = 0;
  for (const Line& line : lines) {
    for (const SiteResults& r : results) {
      s += std::string("<polyline fill=\"none\" stroke=\"") + line.color + "\" stroke-width=\"2\"" +
           (*line.dash ? std::string(" stroke-dasharray=\"") + line.dash + "\"" : "") + " points=\"";
      for (const SitePoint& p : r.points)
        s += fmt("%.1f", x_of(p.pages)) + "," + fmt("%.1f", y_of(line.value(p))) + " ";
      s += "\"/>\n";
    }
    const double y = M + 14 + 16 * index++;
    s += std::string("<line x1=\"") + fmt("%.0f", M + W + 12) + "\" y1=\"" + fmt("%.0f", y - 4) + "\" x2=\"" +
         fmt("%.0f", M + W + 30) + "\" y2=\"" + fmt("%.0f", y - 4) + "\" stroke=\"" + line.color +
         "\" stroke-width=\"2\"" + (*line.dash ? std::string(" stroke-dasharray=\"") + line.dash + "\"" : "") + "/>";
    s += "<text x=\"" + fmt("%.0f", M + W + 35) + "\" y=\"" + fmt("%.0f", y) + "\">" + line.label + "</text>\n";
  }
  return s + "</svg>\n";
}

}  // namespace unspin::eval
