#include "eval/runner.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <unordered_map>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/words.h"
#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

using Clock = std::chrono::steady_clock;

class DecoderSystem final : public System {
 public:
  DecoderSystem(const Restorer& r, std::string name) : restorer_(r), name_(std::move(name)) {}
  std::string name() const override { return name_; }
  SystemOutput run(std::string_view text) const override {
    DocumentResult r = restorer_.run(text);
    return {std::move(r.edits), r.score, r.spun, true};
  }

 private:
  const Restorer& restorer_;
  std::string name_;
};

class ScreeningSystem final : public System {
 public:
  explicit ScreeningSystem(ScreeningList list) : list_(std::move(list)) {}
  std::string name() const override { return "screening-list"; }
  SystemOutput run(std::string_view text) const override { return list_.run(text); }

 private:
  ScreeningList list_;
};

class UnigramSystem final : public System {
 public:
  UnigramSystem(const Models& m, double margin) : models_(m), margin_(margin) {}
  std::string name() const override { return "thesaurus+unigram"; }
  SystemOutput run(std::string_view text) const override {
    SystemOutput out;
    const LanguageModel& lm = *models_.lm;
    const Scan scan = scan_text(text);
    std::vector<Candidate> candidates;
    std::size_t words = 0;
    for (const ScanWord& w : scan.words) {
      if (w.number) continue;
      ++words;
      const bool eligible = w.shape == WordShape::kLower || (w.sentence_start && w.shape == WordShape::kCapitalized);
      if (!eligible) continue;
      const std::string_view surface = text.substr(w.byte_begin, w.byte_end - w.byte_begin);
      const std::string lower = lower_ascii(surface);
      candidates.clear();
      models_.lexicons.lookup(lower, &candidates);
      if (candidates.empty()) continue;
      const float own = unigram(lm, lower);
      float best = own;
      std::string_view best_word;
      for (const Candidate& c : candidates) {
        if (c.original.find(' ') != std::string_view::npos || c.original == lower) continue;
        const float p = unigram(lm, c.original);
        if (p > best) {
          best = p;
          best_word = c.original;
        }
      }
      if (best_word.empty() || best - own < margin_) continue;
      Edit e{};
      e.byte_begin = w.byte_begin;
      e.byte_end = w.byte_end;
      e.cp_begin = w.cp_begin;
      e.cp_end = w.cp_end;
      e.spun = std::string(surface);
      e.original = apply_shape(best_word, w.shape);
      e.confidence = 1.0 - std::pow(10.0, own - best);
      out.edits.push_back(std::move(e));
    }
    out.score = words == 0 ? 0.0 : double(out.edits.size()) / words;
    out.spun = out.score >= 0.03;
    return out;
  }

 private:
  static float unigram(const LanguageModel& lm, std::string_view word) {
    const WordId id = lm.vocab_id(word);
    if (id == kUnknownWord) return lm.unknown_log10();
    LmState out;
    return lm.score(lm.null_context(), id, &out);
  }
  const Models& models_;
  double margin_;
};

std::string spun_key(std::string_view span) { return comparable(span); }

}  // namespace

std::unique_ptr<System> make_decoder_system(const Restorer& restorer, std::string name) {
  return std::make_unique<DecoderSystem>(restorer, std::move(name));
}
std::unique_ptr<System> make_screening_system(ScreeningList list) {
  return std::make_unique<ScreeningSystem>(std::move(list));
}
class TableOracleSystem final : public System {
 public:
  TableOracleSystem(const Models& m, const SpinnerData& data, SpinStyle style, const GroupTable& table) : models_(m) {
    auto add = [&](const std::string& spun, const std::string& original) {
      auto& list = originals_[spun];
      if (spun != original && std::find(list.begin(), list.end(), original) == list.end()) list.push_back(original);
    };
    if (style == SpinStyle::kSymmetric) {
      for (const std::vector<std::string>& line : rewriter_lines(data, table)) {
        for (const std::string& a : line) {
          for (const std::string& b : line) add(a, b);
        }
      }
    } else {
      for (const SpinGroup& g : table.groups()) {
        for (const std::string& alt : g.alternatives) add(alt, g.original);
      }
    }
  }
  std::string name() const override { return "oracle+table"; }
  SystemOutput run(std::string_view) const override { return {}; }
  SystemOutput run_with_gold(std::string_view text, const std::vector<GoldEdit>& gold) const override {
    SystemOutput out;
    const LanguageModel& lm = *models_.lm;
    const Scan scan = scan_text(text);
    auto ids_of = [&](const std::string& lower_phrase) {
      std::vector<WordId> ids;
      for (std::string_view w : words_of(lower_phrase)) ids.push_back(lm.vocab_id(w));
      return ids;
    };
    for (const GoldEdit& g : gold) {
      auto it = originals_.find(comparable(g.spun));
      if (it == originals_.end()) continue;
      // Two scanned words each side of the span.
      auto id_at = [&](std::size_t i) {
        return lm.vocab_id(
            lower_ascii(text.substr(scan.words[i].byte_begin, scan.words[i].byte_end - scan.words[i].byte_begin)));
      };
      std::vector<std::size_t> before;
      std::vector<WordId> left, right;
      for (std::size_t i = 0; i < scan.words.size(); ++i) {
        if (scan.words[i].byte_end <= g.byte_begin) {
          before.push_back(i);
        } else if (scan.words[i].byte_begin >= g.byte_end && right.size() < 2) {
          right.push_back(id_at(i));
        }
      }
      for (std::size_t k = before.size() >= 2 ? before.size() - 2 : 0; k < before.size(); ++k) {
        left.push_back(id_at(before[k]));
      }
      double best = -INFINITY, mass = -INFINITY;
      const std::string* pick = nullptr;
      for (const std::string& candidate : it->second) {
        LmState state = lm.null_context(), next;
        for (WordId id : left) {
          lm.score(state, id, &next);
          state = next;
        }
        double total = 0;
        for (WordId id : ids_of(candidate)) {
          total += lm.score(state, id, &next);
          state = next;
        }
        for (WordId id : right) {
          total += lm.score(state, id, &next);
          state = next;
        }
        mass = mass == -INFINITY ? total
                                 : std::max(mass, total) + std::log10(1.0 + std::pow(10.0, -std::abs(mass - total)));
        if (total > best) {
          best = total;
          pick = &candidate;
        }
      }
      if (!pick) continue;
      Edit e{};
      e.byte_begin = g.byte_begin;
      e.byte_end = g.byte_end;
      e.cp_begin = g.cp_begin;
      e.cp_end = g.cp_end;
      e.spun = g.spun;
      e.original = *pick;
      // The LM's posterior of its pick among the candidates (uniform prior):
      // how sure the choice is, so the oracle has a precision-recall curve.
      e.confidence = std::pow(10.0, best - mass);
      out.edits.push_back(std::move(e));
    }
    out.score = gold.empty() ? 0.0 : 1.0;
    out.spun = !gold.empty();
    return out;
  }

 private:
  const Models& models_;
  std::unordered_map<std::string, std::vector<std::string>> originals_;  // spun form -> what it can come from
};

std::unique_ptr<System> make_unigram_system(const Models& models, double margin_log10) {
  if (!models.lm) throw Error(ErrorCode::kBadModel, "the unigram baseline needs a language model");
  return std::make_unique<UnigramSystem>(models, margin_log10);
}

std::unique_ptr<System> make_table_oracle_system(const Models& models, const SpinnerData& data, SpinStyle style,
                                                 const GroupTable& table) {
  if (!models.lm) throw Error(ErrorCode::kBadModel, "the table oracle needs a language model");
  return std::make_unique<TableOracleSystem>(models, data, style, table);
}

CoverageFn lexicon_coverage(const LexiconStack& lexicons) {
  return [&lexicons](const std::string& spun, const std::string& original) {
    std::vector<Candidate> candidates;
    auto reachable = [&](std::string_view from, std::string_view to) {
      candidates.clear();
      lexicons.lookup(from, &candidates);
      for (const Candidate& c : candidates) {
        if (comparable(c.original) == to) return true;
      }
      return false;
    };
    if (reachable(spun, original)) return true;
    const auto spun_words = words_of(spun), original_words = words_of(original);
    if (spun_words.size() < 2 || spun_words.size() != original_words.size()) return false;
    for (std::size_t i = 0; i < spun_words.size(); ++i) {
      if (spun_words[i] != original_words[i] && !reachable(spun_words[i], original_words[i])) return false;
    }
    return true;
  };
}

void dump_document(std::ostream& out, const std::string& system, const CellKey& key, std::string_view text,
                   const std::vector<GoldEdit>& gold, const std::vector<Edit>& edits, const std::vector<int>& correct) {
  nlohmann::json line;
  line["system"] = system;
  line["style"] = key.style;
  line["rate"] = key.rate;
  line["text"] = std::string(text);
  for (const GoldEdit& g : gold) {
    line["gold"].push_back({{"b", g.byte_begin}, {"e", g.byte_end}, {"spun", g.spun}, {"orig", g.original}});
  }
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const Edit& e = edits[i];
    line["edits"].push_back({{"b", e.byte_begin},
                             {"e", e.byte_end},
                             {"spun", e.spun},
                             {"orig", e.original},
                             {"conf", e.confidence},
                             {"rule", e.rule},
                             {"ok", correct[i]}});
  }
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::size_t peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss);
}

EvalResults run_evaluation(const EvalConfig& config, const SpinnerData& spinner_data,
                           const std::map<std::size_t, std::vector<Excerpt>>& excerpts,
                           const std::vector<const System*>& systems, const CoverageFn& coverage,
                           const ProgressFn& progress) {
  const auto start = Clock::now();
  EvalResults results;
  results.config = config;
  results.coverage_measured = static_cast<bool>(coverage);
  for (const System* s : systems) {
    results.system_names.push_back(s->name());
    results.systems[s->name()];
  }
  std::size_t total = 0, done = 0;
  for (const auto& [length, list] : excerpts) {
    total += list.size() * (1 + config.styles.size() * config.rates.size());
    results.excerpts[length] = list.size();
  }

  // Development aid: UNSPIN_EVAL_DUMP=FILE writes one JSON line per
  // document (gold edits, system edits with confidence and correctness).
  std::unique_ptr<std::ofstream> dump;
  if (const char* path = std::getenv("UNSPIN_EVAL_DUMP")) dump = std::make_unique<std::ofstream>(path);
  auto run_one = [&](const CellKey& key, std::string_view text, const std::vector<GoldEdit>& gold,
                     const std::vector<bool>& covered) {
    for (const System* s : systems) {
      SystemResults& r = results.systems[s->name()];
      const auto t0 = Clock::now();
      SystemOutput out = s->run_with_gold(text, gold);
      r.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      r.bytes += text.size();
      if (out.graded) {
        std::vector<int> correct;
        score_document(text, gold, out.edits, &covered, &correct);
        for (std::size_t i = 0; i < out.edits.size(); ++i) {
          if (correct[i] >= 0) r.edit_confidences.emplace_back(out.edits[i].confidence, correct[i] == 1);
        }
        auto at_least = [&](double t) {
          std::vector<Edit> kept;
          for (const Edit& e : out.edits) {
            if (e.confidence >= t) kept.push_back(e);
          }
          return kept;
        };
        for (double t : config.curve_thresholds) {
          r.curve[{key.style, t}].add(score_document(text, gold, at_least(t), &covered));
        }
        if (dump) dump_document(*dump, s->name(), key, text, gold, out.edits, correct);
        out.edits = at_least(config.min_confidence);
      } else if (dump) {
        // An ungraded system (the oracle) keeps every edit; its dump still
        // carries each edit's confidence and whether it is right.
        std::vector<int> correct;
        score_document(text, gold, out.edits, &covered, &correct);
        dump_document(*dump, s->name(), key, text, gold, out.edits, correct);
      }
      r.quality[key].add(score_document(text, gold, out.edits, &covered));
      const bool is_spun = key.style != "clean";
      if (!is_spun || !gold.empty()) r.detection[key].push_back({out.score, is_spun, out.spun});
    }
    if (progress) progress(++done, total);
  };

  for (const auto& [length, list] : excerpts) {
    for (const Excerpt& ex : list) run_one({"clean", 0.0, length}, ex.text, {}, {});
    for (SpinStyle style : config.styles) {
      for (double rate : config.rates) {
        const CellKey key{std::string(style_name(style)), rate, length};
        for (const Excerpt& ex : list) {
          const std::uint64_t seed =
              stable_hash(ex.id + "|" + std::string(style_name(style)) + "|" + std::to_string(rate), config.seed);
          const SpinOutput spun = Spinner(spinner_data, style, rate, seed).spin(ex.text);
          std::vector<bool> covered(spun.edits.size(), false);
          if (coverage) {
            QualityCounts& c = results.coverage[key];
            c.docs += 1;
            c.gold += spun.edits.size();
            for (std::size_t g = 0; g < spun.edits.size(); ++g) {
              covered[g] = coverage(spun_key(spun.edits[g].spun), comparable(spun.edits[g].original));
              c.covered += covered[g];
            }
          }
          run_one(key, spun.text, spun.edits, covered);
        }
      }
    }
  }
  results.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  results.peak_rss_kb = peak_rss_kb();
  return results;
}

}  // namespace unspin::eval
