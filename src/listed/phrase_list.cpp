#include "listed/phrase_list.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "common/checksum.h"
#include "listed/tokens.h"
#include "unspin/error.h"

namespace unspin::listed {

// Defined in the file CMake generates from data/pps/ (cmake/embed_text.cmake).
extern const char kPpsList[];
extern const std::size_t kPpsListSize;
extern const char kPpsCleanProse[];
extern const std::size_t kPpsCleanProseSize;

std::string_view status_name(Status status) {
  switch (status) {
    case Status::kActive: return "active";
    case Status::kNeedsContext: return "needs_context";
    case Status::kCorrectTerm: return "correct_term";
    case Status::kTooShort: return "too_short";
  }
  return "active";
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Backslashes and double quotes are export artefacts (\"information technology (it)\").
std::string strip_quotes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '\\' && c != '"') out.push_back(c);
  }
  return out;
}

std::size_t count_words(std::string_view key) {
  std::size_t n = 0;
  detail::scan(key, [&](detail::TokenKind k, std::size_t, std::size_t, bool) { n += k == detail::TokenKind::kWord; });
  return n;
}

// "x y/z": alternatives of one word when both sides are words of four or more
// letters ("fault analysis/diagnosis" -> "fault analysis"); "tcp/ip" stays.
std::string first_alternatives(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '/') {
      std::size_t b = i, e = i + 1;
      while (b > 0 && std::isalpha(static_cast<unsigned char>(s[b - 1]))) --b;
      while (e < s.size() && std::isalpha(static_cast<unsigned char>(s[e]))) ++e;
      if (i - b >= 4 && e - i - 1 >= 4) {
        // Drop "/alt" and any further "/alt".
        std::size_t j = e;
        while (j < s.size() && s[j] == '/') {
          std::size_t k = j + 1;
          while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
          j = k;
        }
        i = j;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

}  // namespace

std::string phrase_key(std::string_view text) {
  std::string out;
  bool broken = false;
  detail::scan(text, [&](detail::TokenKind k, std::size_t b, std::size_t e, bool) {
    if (k == detail::TokenKind::kBreak) {
      broken = true;
      return;
    }
    if (!out.empty()) out.push_back(' ');
    if (k == detail::TokenKind::kComma)
      out.push_back(',');
    else
      detail::fold_word(text.substr(b, e - b), out);
  });
  if (broken) return {};
  // A trailing or leading comma is punctuation around the phrase, not in it.
  while (out.size() >= 2 && out.compare(out.size() - 2, 2, " ,") == 0) out.resize(out.size() - 2);
  if (out == ",") out.clear();
  if (out.rfind(", ", 0) == 0) out.erase(0, 2);
  return out;
}

std::string clean_tortured(std::string_view raw) {
  std::string s = strip_quotes(raw);
  // Parenthesised parts are acronyms or alternatives ("data technology (it)",
  // "iot (web of things)"): the phrase is what is outside them.
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '(' || c == '[')
      ++depth;
    else if ((c == ')' || c == ']') && depth > 0)
      --depth;
    else if (depth == 0)
      out.push_back(c);
  }
  return phrase_key(out);
}

std::string clean_correct(std::string_view raw, std::string_view cleaned_tortured) {
  std::string s = strip_quotes(raw);
  if (s.find("???") != std::string::npos) return {};
  // Descriptions, not terms: "the word 'are' as in ...", "paraphrased
  // versions of ..."; a link after ", see" is cut ("social influence, see https://...").
  for (std::string_view mark : {"\xE2\x80\x98", "\xE2\x80\x99", "the word ", "paraphrased"}) {
    if (s.find(mark) != std::string::npos) return {};
  }
  for (std::string_view see : {", see ", " (see "}) {
    const std::size_t at = s.find(see);
    if (at != std::string::npos) s.resize(at);
  }
  if (s.find("http") != std::string::npos) return {};
  // [context] is where the term is used, not part of it.
  std::string no_context;
  int depth = 0;
  for (char c : s) {
    if (c == '[')
      ++depth;
    else if (c == ']' && depth > 0)
      --depth;
    else if (depth == 0)
      no_context.push_back(c);
  }
  s = first_alternatives(no_context);
  // A comma list where the tortured form has none: its first item.
  if (cleaned_tortured.find(',') == std::string_view::npos) {
    const std::size_t comma = s.find(',');
    if (comma != std::string::npos) s = s.substr(0, comma);
  }
  // Parenthesised parts: optional words ("(mean) squared error"), acronyms
  // ("(roi)"), notes ("(in svm)", "(?)"). Each is kept when that brings the
  // term's word count closer to the tortured form's, else dropped.
  const std::size_t target = count_words(cleaned_tortured);
  std::string current;
  std::vector<std::pair<std::size_t, std::string>> parts;  // position in current, content
  depth = 0;
  std::string inner;
  for (char c : s) {
    if (c == '(') {
      if (depth++ == 0) inner.clear();
      continue;
    }
    if (c == ')' && depth > 0) {
      if (--depth == 0) parts.push_back({current.size(), inner});
      continue;
    }
    (depth > 0 ? inner : current).push_back(c);
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (it->second.find('?') != std::string::npos) continue;
    const std::string with = current.substr(0, it->first) + " " + it->second + " " + current.substr(it->first);
    const std::size_t nw = count_words(phrase_key(with)), no = count_words(phrase_key(current));
    const auto dist = [&](std::size_t n) { return n > target ? n - target : target - n; };
    if (dist(nw) < dist(no)) current = with;
  }
  return phrase_key(current);
}

std::string number_stem(std::string_view w) {
  const auto ends = [&](std::string_view suf) {
    return w.size() > suf.size() + 1 && w.substr(w.size() - suf.size()) == suf;
  };
  if (ends("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (ends("sses") || ends("ches") || ends("shes") || ends("xes") || ends("zes")) {
    return std::string(w.substr(0, w.size() - 2));
  }
  if (w.size() > 3 && w.back() == 's' && !ends("ss") && !ends("us") && !ends("is") && !ends("'s")) {
    return std::string(w.substr(0, w.size() - 1));
  }
  return std::string(w);
}

std::string pluralize(std::string_view w) {
  if (w.empty()) return {};
  const auto ends = [&](std::string_view suf) {
    return w.size() >= suf.size() && w.substr(w.size() - suf.size()) == suf;
  };
  if (w == "data" || w == "media" || w == "criteria" || w == "phenomena" || w == "people") return std::string(w);
  if (w.size() > 3 && ends("is")) return std::string(w.substr(0, w.size() - 2)) + "es";  // analysis -> analyses
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return std::string(w) + "es";
  if (w.size() > 1 && w.back() == 'y' && std::string_view("aeiou").find(w[w.size() - 2]) == std::string_view::npos) {
    return std::string(w.substr(0, w.size() - 1)) + "ies";
  }
  if (!std::isalpha(static_cast<unsigned char>(w.back()))) return std::string(w);
  return std::string(w) + "s";
}

namespace {

// The phrase as stems: what two forms must share to be the same pattern.
std::string stem_key(std::string_view key) {
  std::string out;
  std::size_t i = 0;
  while (i <= key.size()) {
    const std::size_t sp = std::min(key.find(' ', i), key.size());
    if (!out.empty()) out.push_back(' ');
    out += number_stem(key.substr(i, sp - i));
    i = sp + 1;
  }
  return out;
}

std::uint32_t parse_papers(std::string_view s, std::string_view name, std::size_t line) {
  s = trim(s);
  if (s.empty()) return 0;
  std::uint32_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw Error(ErrorCode::kBadData, std::string(name) + ":" + std::to_string(line) +
                                         ": the papers column is not a count: \"" + std::string(s) + "\"");
  }
  return v;
}

}  // namespace

PhraseList PhraseList::parse(std::string_view tsv, std::string_view clean_prose, std::string_view name,
                             const PairFilter& keep) {
  PhraseList list;
  list.info_.name = "Problematic Paper Screener tortured phrases";
  list.info_.licence = "CC BY 4.0";
  list.info_.path = std::string(name);
  char hex[32];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(tsv)));
  list.info_.checksum = hex;

  std::unordered_set<std::string> clean;
  for (std::size_t i = 0; i < clean_prose.size();) {
    const std::size_t nl = std::min(clean_prose.find('\n', i), clean_prose.size());
    std::string_view line = clean_prose.substr(i, nl - i);
    i = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    line = trim(line.substr(0, line.find('\t')));
    if (!line.empty()) clean.insert(phrase_key(line));
  }

  std::vector<ListedPhrase> all;
  std::size_t line_no = 0;
  for (std::size_t i = 0; i < tsv.size();) {
    const std::size_t nl = std::min(tsv.find('\n', i), tsv.size());
    std::string_view line = tsv.substr(i, nl - i);
    i = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::string_view text = trim(line.substr(1));
      if (text.rfind("Columns:", 0) == 0) continue;
      if (!list.info_.attribution.empty()) list.info_.attribution += ' ';
      list.info_.attribution += std::string(text);
      const std::size_t paren = text.find("list (");
      if (paren != std::string_view::npos) {
        const std::size_t close = text.find(')', paren);
        if (close != std::string_view::npos)
          list.info_.version = std::string(text.substr(paren + 6, close - paren - 6));
      }
      continue;
    }
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t1 == std::string_view::npos) {
      throw Error(ErrorCode::kBadData,
                  std::string(name) + ":" + std::to_string(line_no) + ": expected correct<TAB>tortured<TAB>papers");
    }
    ListedPhrase p;
    p.raw_correct = std::string(trim(line.substr(0, t1)));
    p.raw_tortured =
        std::string(trim(line.substr(t1 + 1, t2 == std::string_view::npos ? std::string_view::npos : t2 - t1 - 1)));
    p.papers = t2 == std::string_view::npos ? 0 : parse_papers(line.substr(t2 + 1), name, line_no);
    ++list.raw_pairs_;
    if (p.raw_tortured.empty()) continue;
    if (keep && !keep(p.raw_correct, p.raw_tortured)) continue;
    p.tortured = clean_tortured(p.raw_tortured);
    p.correct = clean_correct(p.raw_correct, p.tortured);
    all.push_back(std::move(p));
  }

  // Tortured forms that are correct terms of the list (of the pairs kept).
  std::unordered_set<std::string> correct_stems;
  for (const ListedPhrase& p : all) {
    if (!p.correct.empty()) correct_stems.insert(stem_key(p.correct));
    // The context of "[neural network] layer outputs" is a correct term too.
    const std::size_t open = p.raw_correct.find('['), close = p.raw_correct.find(']');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      correct_stems.insert(stem_key(phrase_key(std::string_view(p.raw_correct).substr(open + 1, close - open - 1))));
    }
  }
  // One entry per pattern (stems): the one with most papers, active first.
  std::unordered_map<std::string, std::size_t> by_pattern;
  for (ListedPhrase& p : all) {
    if (p.tortured.empty() || count_words(p.tortured) < 2)
      p.status = Status::kTooShort;
    else if (correct_stems.count(stem_key(p.tortured)))
      p.status = Status::kCorrectTerm;
    else if (clean.count(p.tortured))
      p.status = Status::kNeedsContext;
    if (p.tortured == p.correct) p.status = Status::kCorrectTerm;
    const std::string key = p.tortured.empty() ? "\x01" + p.raw_tortured : stem_key(p.tortured);
    auto [it, fresh] = by_pattern.emplace(key, list.phrases_.size());
    if (fresh) {
      list.phrases_.push_back(std::move(p));
      continue;
    }
    ListedPhrase& kept = list.phrases_[it->second];
    const bool better =
        (p.status < kept.status) ||
        (p.status == kept.status && (p.papers > kept.papers || (kept.correct.empty() && !p.correct.empty())));
    if (better) kept = std::move(p);
  }
  return list;
}

const PhraseList& PhraseList::builtin() {
  static const PhraseList list = builtin_filtered({});
  return list;
}

PhraseList PhraseList::builtin_filtered(const PairFilter& keep, bool use_clean_prose) {
  return parse(std::string_view(kPpsList, kPpsListSize),
               use_clean_prose ? std::string_view(kPpsCleanProse, kPpsCleanProseSize) : std::string_view(),
               "data/pps/tortured-phrases.tsv", keep);
}

}  // namespace unspin::listed
