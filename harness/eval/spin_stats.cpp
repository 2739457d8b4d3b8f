#include "eval/spin_stats.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "eval/scan.h"
#include "unspin/lm.h"
#include "unspin/text.h"

namespace unspin::eval {
namespace {

bool holds_function_word(std::string_view phrase, const std::unordered_set<std::string>& function_words) {
  std::size_t start = 0;
  while (start <= phrase.size()) {
    std::size_t space = phrase.find(' ', start);
    if (space == std::string_view::npos) space = phrase.size();
    if (function_words.count(std::string(phrase.substr(start, space - start)))) return true;
    start = space + 1;
  }
  return false;
}

// log10 P(</s> and every word and number token of `sentence` | <s>), case-folded.
double sentence_log10(const LanguageModel& lm, std::string_view sentence) {
  const TokenizedText tokens = tokenize(sentence);
  LmState state = lm.begin_sentence(), next;
  double total = 0;
  for (const Token& t : tokens.tokens) {
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kNumber) continue;
    const WordId id = lm.vocab_id(lm.folds_case() ? fold_case(t.text) : std::string(t.text));
    total += lm.score(state, id, &next);
    state = next;
  }
  return total + lm.score(state, lm.end_sentence_id(), &next);
}

bool joins(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

double share(std::size_t part, std::size_t whole) { return whole ? 100.0 * static_cast<double>(part) / whole : 0.0; }

}  // namespace

TableStats table_stats(const GroupTable& table, const SpinnerData& data) {
  TableStats s;
  std::unordered_set<std::string> commonest;
  for (std::size_t i = 0; i < data.vocabulary_by_count.size() && i < 1000; ++i)
    commonest.insert(data.vocabulary_by_count[i]);
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::string, std::size_t> spun_groups;  // spun form -> groups listing it
  for (const SpinGroup& g : table.groups()) {
    ++s.groups;
    const int words = word_count(g.original);
    if (words >= 2) {
      ++s.multiword;
      if (holds_function_word(g.original, data.function_words)) ++s.multiword_function;
    } else {
      ++s.one_word;
      if (commonest.count(g.original)) ++s.common_keys;
    }
    const std::size_t n = g.alternatives.size();
    (n == 1 ? s.alt1 : n == 2 ? s.alt2 : s.alt3) += 1;
    for (const std::string& a : g.alternatives) {
      ++s.pairs;
      const int aw = word_count(a);
      if (aw != words) ++s.words_differ;
      if (words >= 2 && aw == 1) ++s.multi_to_one;
      pairs.emplace(g.original, a);
      ++spun_groups[a];
    }
  }
  for (const auto& [o, a] : pairs) {
    if (pairs.count({a, o})) ++s.reverse;
  }
  for (const auto& [form, n] : spun_groups) {
    ++s.spun_forms;
    if (n >= 2) ++s.spun_many_originals;
    const int g = table.find(form);
    if (g >= 0) ++s.spun_is_key;  // another group's: a group never lists its own original
  }
  return s;
}

void PageStats::add(const PageStats& o) {
  pages += o.pages;
  words += o.words;
  replaced += o.replaced;
  edits += o.edits;
  multi_spun += o.multi_spun;
  multi_original += o.multi_original;
  in_hyphenated += o.in_hyphenated;
  lm_scored += o.lm_scored;
  lm_prefers_spun += o.lm_prefers_spun;
}

PageStats page_stats(const SpinnerData& data, SpinStyle style, double rate, std::uint64_t seed,
                     const std::vector<Excerpt>& excerpts, const LanguageModel* lm) {
  PageStats s;
  for (const Excerpt& ex : excerpts) {
    const SpinOutput out = Spinner(data, style, rate, stable_hash(ex.id, seed)).spin(ex.text);
    ++s.pages;
    s.words += count_words(ex.text);
    const std::string_view spun = out.text;
    TokenizedText tokens;
    if (lm) tokens = tokenize(spun);
    std::size_t t = 0;  // first token of the current edit's sentence search
    for (const GoldEdit& e : out.edits) {
      ++s.edits;
      s.replaced += count_words(e.original);
      if (count_words(e.spun) >= 2) ++s.multi_spun;
      if (count_words(e.original) >= 2) ++s.multi_original;
      const bool before = e.byte_begin >= 2 && spun[e.byte_begin - 1] == '-' && joins(spun[e.byte_begin - 2]);
      const bool after = e.byte_end + 1 < spun.size() && spun[e.byte_end] == '-' && joins(spun[e.byte_end + 1]);
      if (before || after) ++s.in_hyphenated;
      if (!lm) continue;
      // The sentence holding the edit: from the last sentence start at or
      // before its first token to the token before the next sentence start
      // after its last.
      const auto& tk = tokens.tokens;
      if (tk.empty()) continue;
      while (t + 1 < tk.size() && tk[t + 1].byte_begin <= e.byte_begin) ++t;
      std::size_t first = t;
      while (first > 0 && !tk[first].sentence_start) --first;
      std::size_t last = t;
      while (last + 1 < tk.size() && !(tk[last + 1].sentence_start && tk[last + 1].byte_begin >= e.byte_end)) ++last;
      const std::size_t b = std::min<std::size_t>(tk[first].byte_begin, e.byte_begin);
      const std::size_t end = std::max<std::size_t>(tk[last].byte_end, e.byte_end);
      const std::string as_spun(spun.substr(b, end - b));
      const std::string undone = std::string(spun.substr(b, e.byte_begin - b)) + e.original +
                                 std::string(spun.substr(e.byte_end, end - e.byte_end));
      ++s.lm_scored;
      if (sentence_log10(*lm, as_spun) > sentence_log10(*lm, undone)) ++s.lm_prefers_spun;
    }
  }
  return s;
}

bool StatRow::within() const {
  const double margin = percent ? 5.0 : 0.2;
  return value >= low - margin - 1e-9 && value <= high + margin + 1e-9;
}

std::vector<StatRow> stat_rows(const TableStats& t, const PageStats& technical, const PageStats& news) {
  PageStats pages = technical;
  pages.add(news);
  const double mean_alts = t.groups ? static_cast<double>(t.pairs) / t.groups : 0.0;
  std::vector<StatRow> rows = {
      {"looked-for entries that are multiword", "72%", share(t.multiword, t.groups), 72, 72},
      {"of those, holding a function word", "87%", share(t.multiword_function, t.multiword), 87, 87},
      {"alternatives per group", "1.7", mean_alts, 1.7, 1.7, false},
      {"groups with 1 alternative", "49%", share(t.alt1, t.groups), 49, 49},
      {"groups with 2 alternatives", "40%", share(t.alt2, t.groups), 40, 40},
      {"groups with 3 or more alternatives", "11%", share(t.alt3, t.groups), 11, 11},
      {"pairs whose two sides differ in word count", "29%", share(t.words_differ, t.pairs), 29, 29},
      {"pairs multiword -> one word", "9%", share(t.multi_to_one, t.pairs), 9, 9},
      {"spun forms that are another group's looked-for entry", "51%", share(t.spun_is_key, t.spun_forms), 51, 51},
      {"pairs whose reverse pair is also in the table", "29%", share(t.reverse, t.pairs), 29, 29},
      {"spun forms with more than one original", "25%", share(t.spun_many_originals, t.spun_forms), 25, 25},
      {"one-word looked-for entries among the 1,000 commonest words", "15%", share(t.common_keys, t.one_word), 15, 15},
      {"on pages: original words replaced, technical", "44%", share(technical.replaced, technical.words), 44, 44},
      {"on pages: original words replaced, news", "32%", share(news.replaced, news.words), 32, 32},
      {"on pages: multiword spun forms", "30-40%", share(pages.multi_spun, pages.edits), 30, 40},
      {"on pages: multiword originals", "20-32%", share(pages.multi_original, pages.edits), 20, 32},
      {"on pages: the LM prefers the spun form", "15-20%", share(pages.lm_prefers_spun, pages.lm_scored), 15, 20},
      {"on pages: inside a hyphenated word", "1-4%", share(pages.in_hyphenated, pages.edits), 1, 4},
  };
  return rows;
}

std::string stats_markdown(const std::vector<std::string>& styles, const std::vector<std::vector<StatRow>>& rows) {
  std::string out = "| statistic | real tables |";
  for (const std::string& s : styles) out += " `" + s + "` |";
  out += "\n|---|---|";
  for (std::size_t i = 0; i < styles.size(); ++i) out += "---|";
  out += "\n";
  if (rows.empty()) return out;
  for (std::size_t r = 0; r < rows[0].size(); ++r) {
    out += "| " + rows[0][r].name + " | " + rows[0][r].real + " |";
    for (const auto& style_rows : rows) {
      const StatRow& row = style_rows[r];
      char buf[32];
      if (row.percent)
        std::snprintf(buf, sizeof buf, "%.1f%%", row.value);
      else
        std::snprintf(buf, sizeof buf, "%.2f", row.value);
      out += std::string(" ") + buf + (row.within() ? "" : " ✗") + " |";
    }
    out += "\n";
  }
  return out;
}

}  // namespace unspin::eval
