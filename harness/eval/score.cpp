#include "eval/score.h"

#include <algorithm>
#include <map>
#include <set>

#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {

void QualityCounts::add(const QualityCounts& o) {
  docs += o.docs;
  tokens += o.tokens;
  gold += o.gold;
  restored += o.restored;
  changed += o.changed;
  missed += o.missed;
  edits += o.edits;
  correct_edits += o.correct_edits;
  wrong_edits += o.wrong_edits;
  false_edits += o.false_edits;
  covered += o.covered;
  covered_gold += o.covered_gold;
  covered_restored += o.covered_restored;
  covered_edits += o.covered_edits;
  covered_correct_edits += o.covered_correct_edits;
  repeated_forms += o.repeated_forms;
  inconsistent_forms += o.inconsistent_forms;
}

double QualityCounts::inconsistent_share() const {
  return repeated_forms == 0 ? 0.0 : double(inconsistent_forms) / repeated_forms;
}

double QualityCounts::precision() const { return edits == 0 ? 1.0 : double(correct_edits) / edits; }
double QualityCounts::recall() const { return gold == 0 ? 0.0 : double(restored) / gold; }
double QualityCounts::f1() const {
  const double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}
double QualityCounts::false_per_1k_tokens() const { return tokens == 0 ? 0.0 : 1000.0 * double(false_edits) / tokens; }
double QualityCounts::coverage() const { return gold == 0 ? 0.0 : double(covered) / gold; }
double QualityCounts::covered_recall() const {
  return covered_gold == 0 ? 0.0 : double(covered_restored) / covered_gold;
}
double QualityCounts::uncovered_recall() const {
  return gold == covered_gold ? 0.0 : double(restored - covered_restored) / double(gold - covered_gold);
}
double QualityCounts::covered_precision() const {
  return covered_edits == 0 ? 1.0 : double(covered_correct_edits) / covered_edits;
}

std::string comparable(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

namespace {

struct Span {
  std::uint32_t begin, end;
  bool gold;
  std::size_t index;
};

// The text of [lo, hi) with the given replacements (sorted, inside the range) applied.
template <typename Repl>
std::string rewrite(std::string_view text, std::uint32_t lo, std::uint32_t hi, const std::vector<Repl>& repl) {
  std::string out;
  std::uint32_t at = lo;
  for (const auto& [b, e, s] : repl) {
    out.append(text.substr(at, b - at));
    out.append(s);
    at = e;
  }
  out.append(text.substr(at, hi - at));
  return out;
}

bool word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' ||
         (static_cast<unsigned char>(c) & 0x80);
}

// Forms the system edited that occur more than once where the truth is the
// same at every occurrence (all spun from one original, or all natural), and
// those among them the system did not decide alike. (A spinner at a rate
// leaves some occurrences of a word natural; deciding those differently is
// right, so they are not counted.)
void count_consistency(std::string_view text, const std::vector<Edit>& edits, const std::vector<GoldEdit>& gold,
                       QualityCounts* q) {
  if (edits.empty()) return;
  const std::string lower = lower_ascii(text);
  // byte_begin -> (byte_end, original): the system's decisions and the truth.
  std::map<std::uint32_t, std::pair<std::uint32_t, std::string>> decided, truth;
  std::set<std::string> forms;
  for (const Edit& e : edits) {
    if (comparable(text.substr(e.byte_begin, e.byte_end - e.byte_begin)) == comparable(e.original)) continue;
    decided[e.byte_begin] = {e.byte_end, lower_ascii(e.original)};
    forms.insert(lower.substr(e.byte_begin, e.byte_end - e.byte_begin));
  }
  for (const GoldEdit& g : gold) truth[g.byte_begin] = {g.byte_end, lower_ascii(g.original)};
  const auto decision_at = [](const auto& map, std::size_t at, std::size_t end) {
    auto it = map.find(static_cast<std::uint32_t>(at));
    return it != map.end() && it->second.first == end ? it->second.second : std::string("\x01kept");
  };
  for (const std::string& form : forms) {
    if (form.empty()) continue;
    std::size_t occurrences = 0;
    std::set<std::string> system, gold_decisions;
    for (std::size_t at = lower.find(form); at != std::string::npos; at = lower.find(form, at + 1)) {
      const std::size_t end = at + form.size();
      if ((at > 0 && word_byte(lower[at - 1])) || (end < lower.size() && word_byte(lower[end]))) continue;
      ++occurrences;
      system.insert(decision_at(decided, at, end));
      gold_decisions.insert(decision_at(truth, at, end));
    }
    if (occurrences < 2 || gold_decisions.size() > 1) continue;
    ++q->repeated_forms;
    q->inconsistent_forms += system.size() > 1;
  }
}

}  // namespace

QualityCounts score_document(std::string_view spun, const std::vector<GoldEdit>& gold, const std::vector<Edit>& edits,
                             const std::vector<bool>* gold_covered, std::vector<int>* edit_correct) {
  QualityCounts q;
  q.docs = 1;
  q.tokens = count_words(spun);
  q.gold = gold.size();
  if (edit_correct) edit_correct->assign(edits.size(), -1);
  auto covered = [&](std::size_t g) { return gold_covered && g < gold_covered->size() && (*gold_covered)[g]; };
  for (std::size_t g = 0; g < gold.size(); ++g) q.covered_gold += covered(g);
  std::vector<Span> spans;
  for (std::size_t i = 0; i < gold.size(); ++i) spans.push_back({gold[i].byte_begin, gold[i].byte_end, true, i});
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const Edit& e = edits[i];
    if (e.byte_begin > e.byte_end || e.byte_end > spun.size()) {
      throw Error(ErrorCode::kInternal, "a system edit at bytes " + std::to_string(e.byte_begin) + "-" +
                                            std::to_string(e.byte_end) + " lies outside the " +
                                            std::to_string(spun.size()) + "-byte document");
    }
    if (comparable(spun.substr(e.byte_begin, e.byte_end - e.byte_begin)) == comparable(e.original)) continue;
    ++q.edits;
    spans.push_back({e.byte_begin, e.byte_end, false, i});
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  using Repl = std::tuple<std::uint32_t, std::uint32_t, std::string>;
  for (std::size_t i = 0; i < spans.size();) {
    // A region: spans chained by overlap (an empty span touching a word counts as inside it).
    std::size_t j = i;
    std::uint32_t lo = spans[i].begin, hi = spans[i].end;
    std::size_t n_gold = 0, n_sys = 0;
    while (j < spans.size() &&
           (j == i || spans[j].begin < hi || (spans[j].begin == hi && spans[j].begin == spans[j].end))) {
      hi = std::max(hi, spans[j].end);
      (spans[j].gold ? n_gold : n_sys)++;
      ++j;
    }
    auto mark = [&](int value) {
      for (std::size_t k = i; k < j; ++k) {
        if (!spans[k].gold && edit_correct) (*edit_correct)[spans[k].index] = value;
      }
    };
    std::size_t n_covered = 0;
    for (std::size_t k = i; k < j; ++k) n_covered += spans[k].gold && covered(spans[k].index);
    const bool all_covered = n_gold > 0 && n_covered == n_gold;
    if (n_sys == 0) {
      q.missed += n_gold;
    } else if (n_gold == 0) {
      q.false_edits += n_sys;
      mark(0);
    } else {
      std::vector<Repl> sys_repl, gold_repl;
      bool overlapping_system_edits = false;
      std::uint32_t last_end = lo;
      for (std::size_t k = i; k < j; ++k) {
        if (spans[k].gold) {
          const GoldEdit& g = gold[spans[k].index];
          gold_repl.emplace_back(g.byte_begin, g.byte_end, g.original);
        } else {
          const Edit& e = edits[spans[k].index];
          overlapping_system_edits |= e.byte_begin < last_end && !sys_repl.empty();
          last_end = std::max(last_end, e.byte_end);
          sys_repl.emplace_back(e.byte_begin, e.byte_end, e.original);
        }
      }
      const bool right = !overlapping_system_edits &&
                         comparable(rewrite(spun, lo, hi, sys_repl)) == comparable(rewrite(spun, lo, hi, gold_repl));
      if (right) {
        q.restored += n_gold;
        q.correct_edits += n_sys;
        q.covered_restored += n_covered;
      } else {
        q.changed += n_gold;
        q.wrong_edits += n_sys;
      }
      mark(right ? 1 : 0);
      if (all_covered) {
        q.covered_edits += n_sys;
        if (right) q.covered_correct_edits += n_sys;
      }
    }
    i = j;
  }
  count_consistency(spun, edits, gold, &q);
  return q;
}

DetectionFigures detection_figures(const std::vector<DetectionSample>& samples) {
  DetectionFigures f;
  std::size_t tp = 0, fp = 0, fn = 0;
  std::vector<std::pair<double, bool>> ranked;
  for (const DetectionSample& s : samples) {
    (s.spun_truth ? f.positives : f.negatives)++;
    if (s.spun_truth && s.spun_predicted) ++tp;
    if (!s.spun_truth && s.spun_predicted) ++fp;
    if (s.spun_truth && !s.spun_predicted) ++fn;
    ranked.emplace_back(s.score, s.spun_truth);
  }
  f.f1 = tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
  f.false_positive_rate = f.negatives == 0 ? 0.0 : double(fp) / f.negatives;
  f.recall = f.positives == 0 ? 0.0 : double(tp) / f.positives;
  if (f.positives == 0 || f.negatives == 0) {
    f.auc = 0.5;
    return f;
  }
  // Mann-Whitney U with average ranks for ties.
  std::sort(ranked.begin(), ranked.end());
  double rank_sum = 0;
  for (std::size_t i = 0; i < ranked.size();) {
    std::size_t j = i;
    while (j < ranked.size() && ranked[j].first == ranked[i].first) ++j;
    const double avg_rank = (i + 1 + j) / 2.0;  // ranks i+1..j
    for (std::size_t k = i; k < j; ++k) {
      if (ranked[k].second) rank_sum += avg_rank;
    }
    i = j;
  }
  const double p = static_cast<double>(f.positives), n = static_cast<double>(f.negatives);
  f.auc = (rank_sum - p * (p + 1) / 2) / (p * n);
  return f;
}

}  // namespace unspin::eval
