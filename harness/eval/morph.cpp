#include "eval/morph.h"

#include <fstream>

#include "unspin/error.h"

namespace unspin::eval {
namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One-syllable consonant-vowel-consonant words double their final consonant
// before -ed/-ing/-er/-est ("stop" -> "stopped"; "visit" -> "visited").
bool doubles_final(std::string_view w) {
  if (w.size() < 3) return false;
  const char a = w[w.size() - 3], b = w[w.size() - 2], c = w[w.size() - 1];
  if (is_vowel(a) || !is_vowel(b) || is_vowel(c) || c == 'w' || c == 'x' || c == 'y') return false;
  int groups = 0;
  bool in_vowel = false;
  for (char ch : w) {
    const bool v = is_vowel(ch) || ch == 'y';
    if (v && !in_vowel) ++groups;
    in_vowel = v;
  }
  return groups == 1;
}

const char* kind_name(Form f) {
  switch (f) {
    case Form::kS: return "s";
    case Form::kEd: return "ed";
    case Form::kEn: return "en";
    case Form::kIng: return "ing";
    case Form::kEr: return "er";
    case Form::kEst: return "est";
    case Form::kBase: break;
  }
  return "base";
}

std::string add_suffix(std::string_view w, std::string_view suffix) {
  std::string s(w);
  const bool y_after_consonant = s.size() >= 2 && s.back() == 'y' && !is_vowel(s[s.size() - 2]);
  if (suffix == "s") {
    if (ends_with(s, "s") || ends_with(s, "x") || ends_with(s, "z") || ends_with(s, "ch") || ends_with(s, "sh")) {
      return s + "es";
    }
    if (y_after_consonant) return s.substr(0, s.size() - 1) + "ies";
    return s + "s";
  }
  if (suffix == "ing") {
    if (ends_with(s, "ie")) return s.substr(0, s.size() - 2) + "ying";
    if (ends_with(s, "e") && !ends_with(s, "ee") && !ends_with(s, "ye") && !ends_with(s, "oe") && s.size() > 2) {
      return s.substr(0, s.size() - 1) + "ing";
    }
    if (doubles_final(s)) return s + s.back() + "ing";
    return s + "ing";
  }
  // ed, er, est
  if (ends_with(s, "e")) return s + std::string(suffix.substr(1));
  if (y_after_consonant) return s.substr(0, s.size() - 1) + "i" + std::string(suffix);
  if (doubles_final(s)) return s + s.back() + std::string(suffix);
  return s + std::string(suffix);
}

}  // namespace

Morphology Morphology::load(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw Error(
        ErrorCode::kIo,
        "cannot read " + path + " (the spinner's irregular forms); pass --spinner-data DIR or set UNSPIN_SPINNER_DATA");
  Morphology m;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos || t2 + 1 >= line.size()) {
      throw Error(ErrorCode::kBadData, path + ":" + std::to_string(line_no) + ": expected lemma<TAB>kind<TAB>form");
    }
    const std::string kind = line.substr(t1 + 1, t2 - t1 - 1);
    Form f;
    if (kind == "s")
      f = Form::kS;
    else if (kind == "ed")
      f = Form::kEd;
    else if (kind == "en")
      f = Form::kEn;
    else if (kind == "ing")
      f = Form::kIng;
    else if (kind == "er")
      f = Form::kEr;
    else if (kind == "est")
      f = Form::kEst;
    else {
      throw Error(ErrorCode::kBadData, path + ":" + std::to_string(line_no) + ": unknown kind \"" + kind +
                                           "\" (use s, ed, en, ing, er or est)");
    }
    m.add_irregular(line.substr(0, t1), f, line.substr(t2 + 1));
  }
  return m;
}

void Morphology::add_irregular(std::string_view lemma, Form form, std::string_view inflected) {
  irregular_.emplace(std::string(lemma) + "\t" + kind_name(form), std::string(inflected));
  irregular_reverse_.emplace(std::string(inflected), Analysis{std::string(lemma), form});
}

std::string Morphology::inflect_word(std::string_view lemma, Form form) const {
  if (form == Form::kBase) return std::string(lemma);
  auto it = irregular_.find(std::string(lemma) + "\t" + kind_name(form));
  if (it != irregular_.end()) return it->second;
  if (form == Form::kEn) {  // regular participle = past; irregular past stands in
    auto past = irregular_.find(std::string(lemma) + "\ted");
    if (past != irregular_.end()) return past->second;
  }
  switch (form) {
    case Form::kS: return add_suffix(lemma, "s");
    case Form::kEd:
    case Form::kEn: return add_suffix(lemma, "ed");
    case Form::kIng: return add_suffix(lemma, "ing");
    case Form::kEr: return add_suffix(lemma, "er");
    case Form::kEst: return add_suffix(lemma, "est");
    case Form::kBase: break;
  }
  return std::string(lemma);
}

std::string Morphology::inflect(std::string_view lemma, Form form) const {
  const std::size_t space = lemma.find(' ');
  if (space == std::string_view::npos || form == Form::kBase) return inflect_word(lemma, form);
  if (form == Form::kS || form == Form::kEr || form == Form::kEst) {
    const std::size_t last = lemma.rfind(' ');
    return std::string(lemma.substr(0, last + 1)) + inflect_word(lemma.substr(last + 1), form);
  }
  return inflect_word(lemma.substr(0, space), form) + std::string(lemma.substr(space));
}

std::vector<Analysis> Morphology::analyses(std::string_view word) const {
  std::vector<Analysis> out;
  out.push_back({std::string(word), Form::kBase});
  auto range = irregular_reverse_.equal_range(std::string(word));
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  auto try_lemma = [&](std::string lemma, Form f) {
    if (lemma.size() < 2) return;
    for (const Analysis& a : out) {
      if (a.lemma == lemma && a.form == f) return;
    }
    if (inflect_word(lemma, f) == word) out.push_back({std::move(lemma), f});
  };
  const std::string w(word);
  struct Rule {
    std::string_view suffix;
    Form form;
  };
  for (Rule r : {Rule{"s", Form::kS}, Rule{"ed", Form::kEd}, Rule{"ed", Form::kEn}, Rule{"ing", Form::kIng},
                 Rule{"er", Form::kEr}, Rule{"est", Form::kEst}}) {
    if (!ends_with(w, r.suffix) || w.size() <= r.suffix.size() + 1) continue;
    const std::string stem = w.substr(0, w.size() - r.suffix.size());
    try_lemma(stem, r.form);        // walk-ed, cat-s
    try_lemma(stem + "e", r.form);  // hop-ed -> hope, mak-ing -> make
    if (stem.size() >= 2 && stem.back() == stem[stem.size() - 2]) {
      try_lemma(stem.substr(0, stem.size() - 1), r.form);  // stopp-ed -> stop
    }
    if (stem.back() == 'i') try_lemma(stem.substr(0, stem.size() - 1) + "y", r.form);  // carri-ed
    if (r.suffix == "s" && ends_with(stem, "e")) try_lemma(stem.substr(0, stem.size() - 1), r.form);
    if (r.suffix == "s" && ends_with(stem, "ie")) try_lemma(stem.substr(0, stem.size() - 2) + "y", r.form);
    if (r.suffix == "ing" && ends_with(stem, "y")) try_lemma(stem.substr(0, stem.size() - 1) + "ie", r.form);
  }
  return out;
}

}  // namespace unspin::eval
