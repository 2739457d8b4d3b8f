#include "eval/detect_eval.h"

#include <nlohmann/json.hpp>
#include "decode/fitted_params.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "common/checksum.h"
#include "common/parallel.h"
#include "decode/model_parts.h"
#include "decode/pipeline.h"
#include "eval/fit.h"
#include "eval/sites.h"
#include "unspin/text.h"

namespace unspin::eval {

std::string SpinSpec::name() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s@%g", std::string(style_name(style)).c_str(), rate);
  return buf;
}

std::vector<SpinSpec> default_detect_specs() {
  return {{SpinStyle::kThesaurus, 0.1}, {SpinStyle::kThesaurus, 0.3}, {SpinStyle::kPhrase, 0.3},
          {SpinStyle::kPhrase, 1.0},    {SpinStyle::kTable, 0.3},     {SpinStyle::kTable, 1.0},
          {SpinStyle::kTortured, 0.3}};
}

std::vector<DetectSample> make_detect_samples(const Models& models, const SpinnerData& spinner_data,
                                              const std::vector<CorpusDoc>& docs, const DetectConfig& config,
                                              const std::function<void(const std::string&)>& progress) {
  const detect::EvidenceModel& evidence = *models.parts->evidence;
  const decode::Pipeline pipeline(models, RestoreOptions{}, decode::fitted_of(models).decoder);
  // Each table style spins with its half (or quarter) of its own table.
  std::map<SpinStyle, GroupTable> halves;
  for (const SpinSpec& spec : config.specs) {
    if (!is_table_style(spec.style) || halves.count(spec.style)) continue;
    const GroupTable& whole = spinner_data.table_of(spec.style);
    halves[spec.style] = config.table_quarter >= 0 ? table_quarter(whole, config.table_half, config.table_quarter)
                                                   : table_half(whole, config.table_half);
  }
  std::set<std::string> sources(config.sources.begin(), config.sources.end());
  if (sources.empty()) {
    for (const CorpusDoc& d : docs) sources.insert(d.source);
  }
  struct Job {
    const Excerpt* excerpt;
    int spec;  // -1: clean
    std::size_t length;
  };
  std::vector<Excerpt> excerpts;
  std::vector<std::size_t> excerpt_length;
  for (const std::string& source : sources) {
    std::vector<CorpusDoc> mine;
    for (const CorpusDoc& d : docs) {
      if (d.source == source) mine.push_back(d);
    }
    for (std::size_t length : config.lengths) {
      std::vector<Excerpt> made = make_excerpts(mine, length, config.skip + config.docs);
      for (std::size_t k = config.skip; k < made.size(); ++k) {
        excerpts.push_back(std::move(made[k]));
        excerpt_length.push_back(length);
      }
    }
  }
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < excerpts.size(); ++i) {
    for (int s = -1; s < static_cast<int>(config.specs.size()); ++s)
      jobs.push_back({&excerpts[i], s, excerpt_length[i]});
  }
  std::vector<DetectSample> out(jobs.size());
  std::vector<char> keep(jobs.size(), 0);
  std::mutex progress_mutex;
  std::size_t done = 0;
  parallel_for(jobs.size(), config.threads, [&](unsigned, std::size_t j) {
    const Job& job = jobs[j];
    DetectSample& s = out[j];
    s.source = job.excerpt->source;
    s.length = job.length;
    std::string text = job.excerpt->text;
    std::vector<GoldEdit> gold;
    if (job.spec >= 0) {
      const SpinSpec& spec = config.specs[static_cast<std::size_t>(job.spec)];
      s.spec = spec.name();
      s.spun = true;
      const std::uint64_t seed = stable_hash(job.excerpt->id + "|" + s.spec, config.seed);
      const SpinOutput spun =
          is_table_style(spec.style)
              ? spin_table_style(spinner_data, spec.style, halves.at(spec.style), job.excerpt->text, spec.rate, seed)
              : Spinner(spinner_data, spec.style, spec.rate, seed).spin(job.excerpt->text);
      s.gold_edits = spun.edits.size();
      if (s.gold_edits == 0) return;  // nothing was spun: not a spun document
      text = spun.text;
      gold = spun.edits;
    } else {
      s.spec = "clean";
    }
    s.bytes = text.size();
    const TokenizedText tokens = tokenize(text);
    std::vector<detect::ScoredWord> positions;
    evidence.count(tokens, 0, tokens.tokens.size(), s.counts, nullptr, &positions);
    std::vector<std::uint8_t> word_gold(positions.size(), 0);
    if (!gold.empty()) {
      // A scored word is substituted (1) when it lies in a gold span, and
      // touched (2) when the scored word before it does (its context changed).
      std::size_t g = 0;
      bool previous_in = false;
      for (const detect::ScoredWord& w : positions) {
        const Token& t = tokens.tokens[w.token];
        while (g < gold.size() && gold[g].byte_end <= t.byte_begin) ++g;
        const bool in = g < gold.size() && gold[g].byte_begin < t.byte_end;
        word_gold[static_cast<std::size_t>(&w - positions.data())] = in ? 1 : previous_in ? 2 : 0;
        previous_in = in;
      }
    }
    if (config.word_rows) {
      char row[96];
      for (std::size_t k = 0; k < positions.size(); ++k) {
        const detect::ScoredWord& w = positions[k];
        std::string word = fold_case(tokens.tokens[w.token].text);
        for (char& ch : word) {
          if (ch == '\t' || ch == '\n') ch = ' ';
        }
        const bool lexical = models.lexicons.contains(word);
        // How much commoner the lexicon's likeliest one-word original is than the written word.
        float syn_gain = -99;
        int candidates = 0;
        if (lexical) {
          std::vector<Candidate> cands;
          models.lexicons.lookup(word, &cands);
          candidates = static_cast<int>(cands.size());
          for (const Candidate& c : cands) {
            if (c.original.find(' ') != std::string_view::npos) continue;
            const WordId oid = models.lm->vocab_id(c.original);
            if (oid == kUnknownWord) continue;
            syn_gain = std::max(syn_gain, evidence.unigram_log10(oid) - evidence.unigram_log10(w.id));
          }
        }
        std::snprintf(row, sizeof row, "\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%d\t%.3f\t%d\n", w.log10_p,
                      evidence.unigram_log10(w.id), w.matched, w.name ? 1 : 0, word_gold[k], lexical ? 1 : 0,
                      tokens.tokens[w.token].sentence_start ? 1 : 0, syn_gain, candidates);
        s.word_rows += word;
        s.word_rows += row;
      }
    }
    if (config.decoder) {
      decode::DocumentState doc = pipeline.prepare(text);
      pipeline.decode({&doc});
      s.null_z = decode::detection_evidence(doc.result, doc.words, pipeline.detection()).null_z;
    }
    keep[j] = 1;
    if (progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      if (++done % 2000 == 0) progress(std::to_string(done) + " of " + std::to_string(jobs.size()) + " samples");
    }
  });
  std::vector<DetectSample> kept;
  for (std::size_t j = 0; j < out.size(); ++j) {
    if (keep[j]) kept.push_back(std::move(out[j]));
  }
  return kept;
}

namespace {

// Weights giving spun samples a `spun_share` of the total within each length
// (clean the rest), and the total equal to the number of samples.
std::vector<double> length_weights(const std::vector<DetectSample>& samples, double spun_share) {
  std::map<std::pair<std::size_t, bool>, double> n;
  for (const DetectSample& s : samples) n[{s.length, s.spun}] += 1;
  std::vector<double> w;
  for (const DetectSample& s : samples) {
    const double of_length = n[{s.length, false}] + n[{s.length, true}];
    const double share = s.spun ? spun_share : 1 - spun_share;
    w.push_back(of_length * share / n[{s.length, s.spun}]);
  }
  return w;
}

}  // namespace

double rank_auc(const std::vector<double>& pos, const std::vector<double>& neg) {
  if (pos.empty() || neg.empty()) return 0.5;
  std::vector<std::pair<double, int>> all;
  for (double p : pos) all.push_back({p, 1});
  for (double q : neg) all.push_back({q, 0});
  std::sort(all.begin(), all.end());
  double rank_sum = 0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double mid = (i + j + 1) / 2.0;  // 1-based average rank of the tie block
    for (std::size_t k = i; k < j; ++k) {
      if (all[k].second) rank_sum += mid;
    }
    i = j;
  }
  const double np = static_cast<double>(pos.size()), nn = static_cast<double>(neg.size());
  return (rank_sum - np * (np + 1) / 2) / (np * nn);
}

detect::DetectorParams fit_detector(const detect::EvidenceModel& evidence, const std::vector<DetectSample>& samples,
                                    double base_rate, const detect::DetectorParams& start, std::string* summary) {
  detect::DetectorParams p = start;
  // Clean rates of unseen pairs by frequency-class cell (add-one smoothed).
  std::vector<double> pairs(detect::kClasses * detect::kClasses, 0), unseen(pairs.size(), 0);
  for (const DetectSample& s : samples) {
    if (s.spun) continue;
    for (std::size_t c = 0; c < pairs.size(); ++c) {
      pairs[c] += s.counts.pairs_by_class[c];
      unseen[c] += s.counts.unseen_by_class[c];
    }
  }
  p.clean_unseen_rate.resize(pairs.size());
  for (std::size_t c = 0; c < pairs.size(); ++c) p.clean_unseen_rate[c] = (unseen[c] + 0.5) / (pairs[c] + 1);
  // The clean expectation of the missing-top-words mass: least squares on log10 words.
  {
    p.missing_a = p.missing_b = 0;
    const detect::Detector raw(evidence, p);
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const DetectSample& s : samples) {
      if (s.spun) continue;
      const double x = std::log10(std::max<double>(s.counts.words, 1));
      const double y = raw.features(s.counts)[detect::kMissingTop];
      n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    const double den = n * sxx - sx * sx;
    if (n > 2 && std::abs(den) > 1e-12) {
      p.missing_b = (n * sxy - sx * sy) / den;
      p.missing_a = (sy - p.missing_b * sx) / n;
    }
  }
  const detect::Detector detector(evidence, p);
  std::vector<std::vector<double>> screen_rows, full_rows;
  std::vector<int> labels;
  for (const DetectSample& s : samples) {
    screen_rows.push_back(detector.features(s.counts));
    full_rows.push_back(detector.full_features(s.counts, s.null_z));
    labels.push_back(s.spun ? 1 : 0);
  }
  // Fitted at the base rate the score states (spun samples a `base_rate`
  // share of each length), so that the fit spends its errors where the score
  // is read: at that base rate clean documents outnumber spun ones, and a
  // model that cannot be right everywhere is made right on their tail. The
  // bias then loses the base rate's prior log odds, so that the linear
  // predictor stays a log likelihood ratio (detect::probability adds them back).
  const std::vector<double> weights = length_weights(samples, base_rate);
  double screen_loss = 0, full_loss = 0;
  p.screen = fit_logistic(screen_rows, labels, weights, 1.0, &screen_loss);
  p.full = fit_logistic(full_rows, labels, weights, 1.0, &full_loss);
  p.screen[detect::kBias] -= detect::logit(base_rate);
  p.full[detect::kBias] -= detect::logit(base_rate);
  // The screen's pass threshold: it may call clean at most 0.4% of the
  // documents the full model calls spun (issue 19: <= 0.5%).
  const detect::Detector fitted(evidence, p);
  std::vector<double> screen_of_flagged;
  for (const DetectSample& s : samples) {
    if (detect::probability(fitted.full_log_lr(s.counts, s.null_z), base_rate) >= 0.5) {
      screen_of_flagged.push_back(detect::probability(fitted.screen_log_lr(s.counts), base_rate));
    }
  }
  std::sort(screen_of_flagged.begin(), screen_of_flagged.end());
  if (!screen_of_flagged.empty()) {
    const std::size_t at = static_cast<std::size_t>(0.004 * screen_of_flagged.size());
    p.screen_pass = std::min(0.5, screen_of_flagged[at]);
  }
  if (summary) {
    std::ostringstream o;
    o << "detector fit: " << samples.size() << " samples; weighted log loss screen " << screen_loss << ", full "
      << full_loss << "; screen pass threshold " << p.screen_pass << " (" << screen_of_flagged.size()
      << " documents the full model calls spun at base rate " << base_rate << ")\n";
    *summary = o.str();
  }
  return p;
}

std::string detect_report(const detect::Detector& detector, const std::vector<DetectSample>& samples, double base_rate,
                          std::map<std::string, double>* figures) {
  struct Scored {
    const DetectSample* s;
    double screen, full, final;
    bool by_screen;
  };
  std::vector<Scored> scored;
  const double pass = detector.params().screen_pass;
  for (const DetectSample& s : samples) {
    Scored x{&s, detect::probability(detector.screen_log_lr(s.counts), base_rate),
             detect::probability(detector.full_log_lr(s.counts, s.null_z), base_rate), 0, false};
    x.by_screen = x.screen < pass;
    x.final = x.by_screen ? x.screen : x.full;
    scored.push_back(x);
  }
  std::ostringstream out;
  char buf[512];
  std::set<std::size_t> lengths;
  std::set<std::string> specs, sources;
  for (const DetectSample& s : samples) {
    lengths.insert(s.length);
    if (s.spun) specs.insert(s.spec);
    sources.insert(s.source);
  }
  // AUC and F1 by spec x length (all genres pooled), final score and screen alone.
  out << "| spinner | words | spun docs | clean docs | AUC | AUC screen | F1 at 0.5 (1:1 mix) | recall at 0.5 |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const std::string& spec : specs) {
    for (std::size_t length : lengths) {
      std::vector<double> pos, neg, pos_s, neg_s;
      double tp = 0, fn = 0, fp_rate = 0, nclean = 0;
      for (const Scored& x : scored) {
        if (x.s->length != length) continue;
        if (x.s->spun && x.s->spec == spec) {
          pos.push_back(x.final);
          pos_s.push_back(x.screen);
          (x.final >= 0.5 ? tp : fn) += 1;
        } else if (!x.s->spun) {
          neg.push_back(x.final);
          neg_s.push_back(x.screen);
          fp_rate += x.final >= 0.5;
          nclean += 1;
        }
      }
      if (pos.empty()) continue;
      fp_rate = nclean ? fp_rate / nclean : 0;
      const double fp = fp_rate * (tp + fn);  // a 1:1 mix
      const double f1 = tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0;
      const double a = rank_auc(pos, neg);
      std::snprintf(buf, sizeof buf, "| %s | ~%zu | %zu | %zu | %.4f | %.4f | %.3f | %.3f |\n", spec.c_str(), length,
                    pos.size(), neg.size(), a, rank_auc(pos_s, neg_s), f1, (tp + fn) ? tp / (tp + fn) : 0);
      out << buf;
      if (figures) {
        (*figures)["auc/" + spec + "/" + std::to_string(length)] = a;
        (*figures)["f1/" + spec + "/" + std::to_string(length)] = f1;
      }
    }
  }
  // Clean false positives by genre and length.
  out << "\n| genre | words | clean docs | verdict spun (score >= 0.5) | mean score | highest score | decided by the "
         "screen |\n"
         "|---|---|---|---|---|---|---|\n";
  double worst = 0;
  for (const std::string& source : sources) {
    for (std::size_t length : lengths) {
      double n = 0, flagged = 0, sum = 0, high = 0, screen = 0;
      for (const Scored& x : scored) {
        if (x.s->spun || x.s->source != source || x.s->length != length) continue;
        n += 1;
        flagged += x.final >= 0.5;
        sum += x.final;
        high = std::max(high, x.final);
        screen += x.by_screen;
      }
      if (n == 0) continue;
      worst = std::max(worst, flagged / n);
      std::snprintf(buf, sizeof buf, "| %s | ~%zu | %.0f | %.2f%% | %.3f | %.3f | %.1f%% |\n", source.c_str(), length,
                    n, 100 * flagged / n, sum / n, high, 100 * screen / n);
      out << buf;
      if (figures) (*figures)["clean_flagged/" + source + "/" + std::to_string(length)] = flagged / n;
    }
  }
  if (figures) (*figures)["clean_flagged_worst"] = worst;
  // Reliability at the base rate: the spun samples weighted to a base_rate share.
  double clean_total = 0, spun_total = 0;
  for (const Scored& x : scored) (x.s->spun ? spun_total : clean_total) += 1;
  const double spun_weight = spun_total > 0 ? base_rate / (1 - base_rate) * clean_total / spun_total : 0;
  out << "\n| score bin (base rate " << base_rate
      << ") | documents | mean score | observed share spun | gap |\n|---|---|---|---|---|\n";
  double worst_gap = 0;
  for (int b = 0; b < 10; ++b) {
    double n = 0, w = 0, sum = 0, pos = 0;
    for (const Scored& x : scored) {
      const int bin = std::min(9, static_cast<int>(x.final * 10));
      if (bin != b) continue;
      const double weight = x.s->spun ? spun_weight : 1.0;
      n += 1;
      w += weight;
      sum += weight * x.final;
      pos += x.s->spun ? weight : 0;
    }
    if (n == 0) continue;
    const double gap = pos / w - sum / w;
    if (n >= 100) worst_gap = std::max(worst_gap, std::abs(gap));
    std::snprintf(buf, sizeof buf, "| %.1f-%.1f | %.0f | %.3f | %.3f | %+.3f |\n", b / 10.0, (b + 1) / 10.0, n, sum / w,
                  pos / w, gap);
    out << buf;
  }
  if (figures) (*figures)["reliability_worst_gap"] = worst_gap;
  // The screen's cost.
  double flagged_full = 0, passed = 0, screened = 0;
  for (const Scored& x : scored) {
    screened += x.by_screen;
    if (x.full >= 0.5) {
      flagged_full += 1;
      passed += x.by_screen;
    }
  }
  std::snprintf(buf, sizeof buf,
                "\nThe screen (pass threshold %.4f) decided %.1f%% of all documents alone; of the %.0f documents "
                "the full model calls spun it passed %.0f (%.2f%%) as clean.\n",
                pass, 100 * screened / std::max<double>(1, scored.size()), flagged_full, passed,
                100 * passed / std::max(1.0, flagged_full));
  out << buf;
  if (figures) (*figures)["screen_passes_spun"] = passed / std::max(1.0, flagged_full);
  return out.str();
}

std::string params_section(const detect::DetectorParams& p, const std::string& fit_command) {
  // Nine significant digits, as the parameters were always shipped; one list
  // per line (harness/fit/sections.py's layout).
  std::ostringstream o;
  o.precision(9);
  const auto vec = [&](const char* name, const std::vector<double>& v, bool last = false) {
    o << "  \"" << name << "\": [";
    for (std::size_t i = 0; i < v.size(); ++i) o << (i ? ", " : "") << v[i];
    o << "]" << (last ? "\n" : ",\n");
  };
  o << "{\n \"unspin_fitted_section\": 1,\n \"fit_command\": " << nlohmann::json(fit_command).dump()
    << ",\n \"corpora\": \"build part of kFitSources (harness/eval/corpus.h)\",\n"
    << " \"comment\": \"the document detector's parameters (detect/detector.h)\",\n \"values\": {\n";
  vec("detector.screen", p.screen);
  vec("detector.full", p.full);
  vec("detector.clean_unseen_rate", p.clean_unseen_rate);
  vec("detector.missing", {p.missing_a, p.missing_b});
  vec("detector.screen_pass", {p.screen_pass}, true);
  o << " }\n}\n";
  return o.str();
}

}  // namespace unspin::eval
