#include "eval/spinner.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kIo, std::string("cannot read ") + path + " (" + what +
                                    "); pass --spinner-data DIR or set UNSPIN_SPINNER_DATA");
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Splits into lines, dropping '\r', blank lines and '#' comments; keeps line numbers.
template <typename F>
void for_each_line(std::string_view content, F f) {
  int line_no = 0;
  while (!content.empty()) {
    std::size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    f(line, line_no);
  }
}

}  // namespace

bool is_phrase_text(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '-' || c == '\'' || (c == ' ' && s[i + 1] != ' ');
    if (!ok) return false;
  }
  return true;
}

int word_count(std::string_view phrase) {
  return phrase.empty() ? 0 : 1 + static_cast<int>(std::count(phrase.begin(), phrase.end(), ' '));
}

bool joinable_gap(std::string_view gap) {
  if (gap.empty()) return false;
  int newlines = 0;
  for (char c : gap) {
    if (c == '\n')
      ++newlines;
    else if (c != ' ' && c != '\t' && c != '\r')
      return false;
  }
  return newlines <= 1;
}

std::uint64_t stable_hash(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return splitmix(h ^ splitmix(seed));
}

std::string_view style_name(SpinStyle style) {
  switch (style) {
    case SpinStyle::kThesaurus: return "thesaurus";
    case SpinStyle::kPhrase: return "phrase";
    case SpinStyle::kTortured: return "tortured";
    case SpinStyle::kTable: return "table";
    case SpinStyle::kTableV1: return "table-v1";
    case SpinStyle::kTableV2: return "table-v2";
    case SpinStyle::kSymmetric: return "symmetric";
  }
  return "?";
}

SpinStyle parse_style(std::string_view name) {
  if (name == "thesaurus") return SpinStyle::kThesaurus;
  if (name == "phrase") return SpinStyle::kPhrase;
  if (name == "tortured") return SpinStyle::kTortured;
  if (name == "table") return SpinStyle::kTable;
  if (name == "table-v1") return SpinStyle::kTableV1;
  if (name == "table-v2") return SpinStyle::kTableV2;
  if (name == "symmetric") return SpinStyle::kSymmetric;
  throw Error(ErrorCode::kUsage, "unknown spin style \"" + std::string(name) +
                                     "\"; use thesaurus, phrase, tortured, table, table-v1, table-v2 or symmetric");
}

bool is_table_style(SpinStyle style) {
  return style == SpinStyle::kTable || style == SpinStyle::kTableV1 || style == SpinStyle::kTableV2 ||
         style == SpinStyle::kSymmetric;
}

const GroupTable& SpinnerData::table_of(SpinStyle style) const {
  switch (style) {
    case SpinStyle::kTableV1: return table_v1;
    case SpinStyle::kTableV2:
    case SpinStyle::kSymmetric: return table_v2;
    default: return table;
  }
}

SpinOutput spin_table_style(const SpinnerData& data, SpinStyle style, const GroupTable& table, std::string_view text,
                            double rate, std::uint64_t seed) {
  switch (style) {
    case SpinStyle::kTableV1: return spin_with_table(table, text, rate, seed);
    case SpinStyle::kTable:
    case SpinStyle::kTableV2: return spin_with_table_v2(table, text, rate, seed);
    case SpinStyle::kSymmetric: return spin_symmetric(table, data.number_lines, text, rate, seed);
    default: break;
  }
  throw Error(ErrorCode::kUsage, "style " + std::string(style_name(style)) + " does not spin with a table");
}

std::vector<std::vector<std::string>> rewriter_lines(const SpinnerData& data, const GroupTable& table) {
  std::vector<std::vector<std::string>> lines;
  for (const SpinGroup& g : table.groups()) {
    std::vector<std::string> members{g.original};
    members.insert(members.end(), g.alternatives.begin(), g.alternatives.end());
    lines.push_back(std::move(members));
  }
  lines.insert(lines.end(), data.number_lines.begin(), data.number_lines.end());
  return lines;
}

PhraseTable PhraseTable::parse(std::string_view content, const std::string& name) {
  PhraseTable t;
  for_each_line(content, [&](std::string_view line, int line_no) {
    const std::size_t tab = line.find('\t');
    const auto where = name + ":" + std::to_string(line_no) + ": ";
    if (tab == std::string_view::npos) {
      throw Error(ErrorCode::kBadData, where + "expected original<TAB>spun1|spun2|...");
    }
    std::string key = lower_ascii(line.substr(0, tab));
    if (!is_phrase_text(key)) {
      throw Error(ErrorCode::kBadData,
                  where + "original \"" + key + "\" must be words of a-z, ' or - joined by single spaces");
    }
    std::vector<std::string> subs;
    std::string_view rest = line.substr(tab + 1);
    while (true) {
      const std::size_t bar = rest.find('|');
      std::string sub = lower_ascii(rest.substr(0, bar));
      if (!is_phrase_text(sub) || sub == key) {
        throw Error(ErrorCode::kBadData, where + "substitute \"" + sub +
                                             "\" is empty, equals the "
                                             "original or has characters other than a-z ' - space");
      }
      subs.push_back(std::move(sub));
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
    t.add(std::move(key), std::move(subs));
  });
  return t;
}

PhraseTable PhraseTable::load(const std::string& path) {
  return parse(read_text_file(path, "the phrase spinner's table"), path);
}

void PhraseTable::add(std::string key, std::vector<std::string> substitutes) {
  max_words_ = std::max(max_words_, word_count(key));
  auto& slot = table_[std::move(key)];
  for (auto& s : substitutes) {
    if (std::find(slot.begin(), slot.end(), s) == slot.end()) slot.push_back(std::move(s));
  }
}

const std::vector<std::string>* PhraseTable::find(std::string_view key) const {
  auto it = table_.find(std::string(key));
  return it == table_.end() ? nullptr : &it->second;
}

std::string SpinnerData::default_data_dir() {
  const char* env = std::getenv("UNSPIN_SPINNER_DATA");
  return env && *env ? env : UNSPIN_SPINNER_DATA_DIR;
}
std::string SpinnerData::default_aiksaurus_dir() { return "/usr/share/aiksaurus"; }

SpinnerData SpinnerData::load(const std::string& data_dir, const std::string& aiksaurus_dir) {
  SpinnerData d;
  d.thesaurus = Thesaurus::load_aiksaurus(aiksaurus_dir);
  d.morphology = Morphology::load(data_dir + "/irregular_forms.tsv");
  d.phrases = PhraseTable::load(data_dir + "/phrase_table.tsv");
  const std::string terms_path = data_dir + "/tortured_terms.txt";
  for_each_line(
      read_text_file(terms_path, "the tortured spinner's term list"), [&](std::string_view line, int line_no) {
        std::string term = lower_ascii(line);
        if (!is_phrase_text(term) || word_count(term) < 2) {
          throw Error(ErrorCode::kBadData, terms_path + ":" + std::to_string(line_no) +
                                               ": a term is two or more lowercase words joined by single spaces");
        }
        d.tortured_terms.push_back(std::move(term));
      });
  // Frequent build-part collocations: more terms for the tortured spinner to take apart.
  for_each_line(read_text_file(data_dir + "/tortured_collocations.txt", "the tortured spinner's collocations"),
                [&](std::string_view line, int) {
                  std::string term = lower_ascii(line.substr(0, line.find('\t')));
                  if (is_phrase_text(term) && word_count(term) >= 2) d.tortured_terms.push_back(std::move(term));
                });
  for_each_line(read_text_file(data_dir + "/never_spin.txt", "the spinners' function words"),
                [&](std::string_view line, int) { d.never_spin.insert(lower_ascii(line)); });
  for_each_line(read_text_file(data_dir + "/spinner_vocab.txt", "the spinners' vocabulary"),
                [&](std::string_view line, int) {
                  std::string word = lower_ascii(line.substr(0, line.find('\t')));
                  if (d.vocabulary.insert(word).second) d.vocabulary_by_count.push_back(std::move(word));
                });
  d.table_v1 = GroupTable::generate(d, kTableSeed);
  // table-v2's sources: optional, so an older --spinner-data folder still loads.
  auto optional = [&](const char* file, const std::function<void(std::string_view, int)>& f) {
    const std::string path = data_dir + "/" + file;
    if (!std::filesystem::exists(path)) return;
    for_each_line(read_text_file(path, "the table simulator's sources"), f);
  };
  optional("function_words.txt", [&](std::string_view line, int) { d.function_words.insert(lower_ascii(line)); });
  optional("function_phrases.txt", [&](std::string_view line, int) {
    const std::size_t tab = line.find('\t');
    std::string phrase = lower_ascii(line.substr(0, tab));
    const std::size_t n =
        tab == std::string_view::npos ? 0 : std::strtoull(std::string(line.substr(tab + 1)).c_str(), nullptr, 10);
    if (is_phrase_text(phrase)) d.function_phrases.emplace_back(std::move(phrase), n);
  });
  optional("technical_vocab.txt", [&](std::string_view line, int) {
    std::string word = lower_ascii(line.substr(0, line.find('\t')));
    if (is_phrase_text(word)) d.technical_by_count.push_back(std::move(word));
  });
  {
    const std::string path = data_dir + "/periphrases.tsv";
    if (std::filesystem::exists(path))
      d.periphrases = parse_periphrases(read_text_file(path, "the table simulator's periphrases"), path);
  }
  optional("number_words.tsv", [&](std::string_view line, int line_no) {
    std::vector<std::string> members;
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t bar = line.find('|', start);
      if (bar == std::string_view::npos) bar = line.size();
      members.push_back(lower_ascii(line.substr(start, bar - start)));
      start = bar + 1;
    }
    if (members.size() < 2) {
      throw Error(ErrorCode::kBadData,
                  data_dir + "/number_words.tsv:" + std::to_string(line_no) + ": a line needs two members");
    }
    d.number_lines.push_back(std::move(members));
  });
  d.table_v2 = GroupTable::generate_v2(d, kTableSeed);
  d.table = d.table_v2;  // `table` is table-v2 (issue 32); table-v1 keeps the first table
  return d;
}

struct Spinner::Item {
  std::size_t first_word, last_word;  // inclusive word indices
  std::string replacement;            // lowercase
};

Spinner::Spinner(const SpinnerData& data, SpinStyle style, double rate, std::uint64_t seed)
    : data_(data), style_(style), rate_(rate), seed_(seed) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    throw Error(ErrorCode::kUsage, "spin rate must be between 0 and 1, got " + std::to_string(rate));
  }
  if (style == SpinStyle::kTortured) {
    for (const std::string& term : data.tortured_terms) {
      term_forms_.emplace(term, std::make_pair(term, Form::kBase));
      term_forms_.emplace(data.morphology.inflect(term, Form::kS), std::make_pair(term, Form::kS));
      max_term_words_ = std::max(max_term_words_, word_count(term));
    }
  }
}

// True when every word of the phrase is in the spinners' vocabulary (or there is none).
bool SpinnerData::in_vocabulary(std::string_view phrase) const {
  if (vocabulary.empty()) return true;
  std::size_t start = 0;
  while (start <= phrase.size()) {
    std::size_t space = phrase.find(' ', start);
    if (space == std::string_view::npos) space = phrase.size();
    if (!vocabulary.count(std::string(phrase.substr(start, space - start)))) return false;
    start = space + 1;
  }
  return true;
}

// The spinner's fixed choice for a word: a synonym of any sense of any reading,
// inflected like the word. Empty when the word has no usable synonym.
std::string Spinner::thesaurus_substitute(std::string_view word, bool allow_phrase) const {
  // Headline senses of any reading first ("said" -> say: state, declare), then
  // every sense of the first reading the thesaurus knows.
  const std::vector<Analysis> readings = data_.morphology.analyses(word);
  for (int pass = 0; pass < 2; ++pass) {
    for (const Analysis& a : readings) {
      const std::vector<std::string>* syn =
          pass == 0 ? data_.thesaurus.core_synonyms(a.lemma) : data_.thesaurus.synonyms(a.lemma);
      if (!syn) continue;
      std::vector<const std::string*> usable;
      for (const std::string& s : *syn) {
        const int words = word_count(s);
        if (words > (allow_phrase && a.form == Form::kBase ? 2 : 1)) continue;
        if (!is_phrase_text(s) || s.find(a.lemma) != std::string::npos) continue;
        if (!data_.in_vocabulary(s)) continue;
        usable.push_back(&s);
      }
      if (usable.empty()) continue;
      // Spinner dictionaries list a handful of substitutes per word: the closest
      // few by shared senses, which still mixes senses for polysemous words.
      constexpr std::size_t kChoices = 6;
      const std::string& pick = *usable[stable_hash(a.lemma, seed_) % std::min(kChoices, usable.size())];
      std::string inflected = data_.morphology.inflect(pick, a.form);
      // An inflected form no one writes ("breakthroughed") marks a noun picked for a verb.
      if (inflected != word && (a.form == Form::kBase || data_.in_vocabulary(inflected))) return inflected;
    }
  }
  return {};
}

std::string Spinner::tortured_substitute(std::string_view term, Form last_form) const {
  std::string out;
  bool changed = false;
  std::size_t start = 0;
  while (start <= term.size()) {
    std::size_t space = term.find(' ', start);
    if (space == std::string_view::npos) space = term.size();
    const std::string_view w = term.substr(start, space - start);
    const bool last = space == term.size();
    std::string sub;
    if (!data_.never_spin.count(std::string(w))) sub = thesaurus_substitute(w, false);
    std::string piece = sub.empty() ? std::string(w) : sub;
    if (last && last_form != Form::kBase) piece = data_.morphology.inflect(piece, last_form);
    changed |= !sub.empty();
    if (!out.empty()) out += ' ';
    out += piece;
    start = space + 1;
  }
  return changed ? out : std::string{};
}

std::vector<Spinner::Item> Spinner::eligible_items(std::string_view text) const {
  const Scan scan = scan_text(text);
  const auto& words = scan.words;
  auto spinnable = [&](std::size_t i, bool first) {
    const ScanWord& w = words[i];
    if (w.quoted || w.number) return false;
    if (w.shape == WordShape::kLower) return true;
    return first && w.sentence_start &&
           (w.shape == WordShape::kCapitalized || (w.shape == WordShape::kUpper && w.byte_end - w.byte_begin == 1));
  };
  std::vector<Item> items;
  if (style_ == SpinStyle::kThesaurus) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (!spinnable(i, true)) continue;
      const std::string lower = lower_ascii(scan.word(i));
      if (data_.never_spin.count(lower)) continue;
      std::string sub = thesaurus_substitute(lower, true);
      if (!sub.empty()) items.push_back({i, i, std::move(sub)});
    }
    return items;
  }
  const int max_words = style_ == SpinStyle::kPhrase ? data_.phrases.max_words() : max_term_words_;
  for (std::size_t i = 0; i < words.size();) {
    bool matched = false;
    std::string key;
    for (int n = max_words; n >= 1 && !matched; --n) {
      if (i + n > words.size()) continue;
      key.clear();
      bool ok = true;
      for (std::size_t k = i; k < i + n && ok; ++k) {
        ok = spinnable(k, k == i) && (k == i || joinable_gap(scan.gap_before(k)));
        if (k > i) key += ' ';
        key += lower_ascii(scan.word(k));
      }
      if (!ok) continue;
      std::string sub;
      if (style_ == SpinStyle::kPhrase) {
        if (const auto* subs = data_.phrases.find(key)) sub = (*subs)[stable_hash(key, seed_) % subs->size()];
      } else if (n >= 2) {
        auto it = term_forms_.find(key);
        if (it != term_forms_.end()) sub = tortured_substitute(it->second.first, it->second.second);
      }
      if (sub.empty()) continue;
      items.push_back({i, i + n - 1, std::move(sub)});
      i += n;
      matched = true;
    }
    if (!matched) ++i;
  }
  return items;
}

SpinOutput Spinner::spin(std::string_view text) const {
  if (is_table_style(style_)) return spin_table_style(data_, style_, data_.table_of(style_), text, rate_, seed_);
  SpinOutput out;
  std::vector<Item> items = eligible_items(text);
  out.eligible = items.size();
  const auto chosen_count = static_cast<std::size_t>(std::llround(rate_ * items.size()));
  // Fisher-Yates with a stream drawn from the seed and the style.
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::uint64_t state = splitmix(seed_ ^ (0x5851F42D4C957F2Dull * (1 + static_cast<int>(style_))));
  for (std::size_t i = order.size(); i > 1; --i) {
    state = splitmix(state);
    std::swap(order[i - 1], order[state % i]);
  }
  order.resize(chosen_count);
  std::sort(order.begin(), order.end());

  std::vector<Replacement> chosen;
  chosen.reserve(order.size());
  for (std::size_t idx : order) chosen.push_back({items[idx].first_word, items[idx].last_word, items[idx].replacement});
  SpinOutput applied = apply_replacements(text, scan_text(text), chosen);
  applied.eligible = out.eligible;
  return applied;
}

SpinOutput apply_replacements(std::string_view text, const Scan& scan, const std::vector<Replacement>& replacements) {
  SpinOutput out;
  std::size_t copied = 0;     // bytes of `text` already emitted
  std::int64_t cp_shift = 0;  // code points gained so far by replacements
  for (const Replacement& item : replacements) {
    const ScanWord& first = scan.words[item.first_word];
    const ScanWord& last = scan.words[item.last_word];
    out.text.append(text.substr(copied, first.byte_begin - copied));
    WordShape shape = first.shape;
    if (shape == WordShape::kUpper) shape = WordShape::kCapitalized;  // "A" or "I" opening a sentence
    std::string spun = apply_shape(item.replacement, shape);
    GoldEdit e;
    e.byte_begin = static_cast<std::uint32_t>(out.text.size());
    e.byte_end = static_cast<std::uint32_t>(out.text.size() + spun.size());
    e.cp_begin = static_cast<std::uint32_t>(first.cp_begin + cp_shift);
    e.cp_end = static_cast<std::uint32_t>(e.cp_begin + count_code_points(spun));
    e.original = std::string(text.substr(first.byte_begin, last.byte_end - first.byte_begin));
    cp_shift +=
        static_cast<std::int64_t>(e.cp_end - e.cp_begin) - static_cast<std::int64_t>(last.cp_end - first.cp_begin);
    out.text += spun;
    e.spun = std::move(spun);
    out.edits.push_back(std::move(e));
    copied = last.byte_end;
  }
  out.text.append(text.substr(copied));
  return out;
}

std::string undo_spin(std::string_view spun, const std::vector<GoldEdit>& edits) {
  std::string out(spun);
  std::uint32_t limit = static_cast<std::uint32_t>(spun.size());
  for (auto it = edits.rbegin(); it != edits.rend(); ++it) {
    if (it->byte_begin > it->byte_end || it->byte_end > limit ||
        spun.substr(it->byte_begin, it->byte_end - it->byte_begin) != it->spun) {
      throw Error(ErrorCode::kBadData, "gold edit at bytes " + std::to_string(it->byte_begin) + "-" +
                                           std::to_string(it->byte_end) +
                                           " does not match the spun text or overlaps the next edit");
    }
    out.replace(it->byte_begin, it->byte_end - it->byte_begin, it->original);
    limit = it->byte_begin;
  }
  return out;
}

}  // namespace unspin::eval
