// Problematic Paper Screener (PPS) tortured-phrase export.
//
// A row's fingerprint is a search query, not a phrase: "bosom peril",
// "irregular woodland" OR "arbitrary woodland", "surface region" AND "surface
// area", "profound learning" NOT "deep learning", "flag to clamor"~3. Only
// contiguous quoted phrases that must occur (not under NOT, not a proximity
// window over several words) are spun forms; a phrase equal to the expected
// text is a context clause. Rows whose spun form cannot be told apart (an AND
// of several candidate phrases) are skipped and reported, never guessed.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "lexicon/normalize.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

// RFC 4180 fields of one record starting at `pos`; advances `pos` past the
// record. Returns nullopt on an unterminated quote.
std::optional<std::vector<std::string>> next_record(std::string_view text, std::size_t* pos, char sep,
                                                    std::size_t* lineno) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  std::size_t i = *pos;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          fields.back().push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++*lineno;
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == sep) {
      fields.emplace_back();
    } else if (c == '\n') {
      ++i;
      break;
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  *pos = i;
  ++*lineno;
  if (quoted) return std::nullopt;
  return fields;
}

std::string trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

struct Term {
  enum Kind { kPhrase, kWord, kAnd, kOr, kNot, kOpen, kClose } kind;
  std::string text;
  int proximity = -1;  // ~N after a quoted phrase
};

// Returns an error message, or empty on success.
std::string tokenize_query(std::string_view q, std::vector<Term>* out) {
  std::size_t i = 0;
  while (i < q.size()) {
    const char c = q[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '"') {
      const std::size_t end = q.find('"', i + 1);
      if (end == std::string_view::npos) return "unbalanced quote in fingerprint";
      Term t{Term::kPhrase, std::string(q.substr(i + 1, end - i - 1))};
      i = end + 1;
      if (i < q.size() && q[i] == '~') {
        std::size_t j = i + 1;
        int n = 0;
        auto [ptr, ec] = std::from_chars(q.data() + j, q.data() + q.size(), n);
        if (ec != std::errc()) return "'~' not followed by a number";
        t.proximity = n;
        i = static_cast<std::size_t>(ptr - q.data());
      }
      out->push_back(std::move(t));
    } else if (c == '(' || c == ')') {
      out->push_back({c == '(' ? Term::kOpen : Term::kClose, {}});
      ++i;
    } else {
      std::size_t j = i;
      while (j < q.size() && q[j] != ' ' && q[j] != '\t' && q[j] != '"' && q[j] != '(' && q[j] != ')') ++j;
      std::string word(q.substr(i, j - i));
      i = j;
      if (word == "AND" || word == "&&")
        out->push_back({Term::kAnd, {}});
      else if (word == "OR" || word == "||")
        out->push_back({Term::kOr, {}});
      else if (word == "NOT" || word == "-")
        out->push_back({Term::kNot, {}});
      else
        out->push_back({Term::kWord, std::move(word)});
    }
  }
  return {};
}

// Splits "signal to noise, SNR; s/n" into normalized originals.
std::vector<std::string> split_expected(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  auto flush = [&] {
    std::string n = normalize_phrase(cur);
    if (!n.empty()) out.push_back(std::move(n));
    cur.clear();
  };
  for (char c : text) {
    if (c == '(')
      ++depth;
    else if (c == ')')
      depth = depth > 0 ? depth - 1 : 0;
    else if (depth > 0)
      continue;  // parenthetical remarks are not part of the phrase
    else if (c == ',' || c == ';' || c == '|' || c == '/')
      flush();
    else if (c == '"')
      continue;
    else
      cur.push_back(c);
  }
  flush();
  return out;
}

bool clean_phrase(std::string_view p) {
  for (char c : p) {
    if (c == '*' || c == '?' || c == '~' || c == '"' || c == '(' || c == ')') return false;
  }
  return true;
}

}  // namespace

std::vector<UserPair> parse_pps_csv(std::string_view text, const std::string& origin, UserLexiconReport* report) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string_view first_line = text.substr(0, text.find('\n'));
  // The separator is the commonest of , ; TAB outside quotes in the header.
  char sep = ',';
  {
    std::size_t counts[3] = {0, 0, 0};
    bool quoted = false;
    for (char c : first_line) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      counts[0] += c == ',';
      counts[1] += c == ';';
      counts[2] += c == '\t';
    }
    if (counts[1] > counts[0] && counts[1] >= counts[2])
      sep = ';';
    else if (counts[2] > counts[0] && counts[2] > counts[1])
      sep = '\t';
  }
  std::size_t pos = 0, lineno = 0;
  auto header = next_record(text, &pos, sep, &lineno);
  int col_fp = -1, col_expected = -1, col_count = -1;
  if (header) {
    for (std::size_t k = 0; k < header->size(); ++k) {
      const std::string name = trim((*header)[k]);
      if (name == "Fingerprint - Tortured Phrase")
        col_fp = static_cast<int>(k);
      else if (name == "Expected Text")
        col_expected = static_cast<int>(k);
      else if (name == "Nb Retrieved Papers")
        col_count = static_cast<int>(k);
    }
  }
  if (col_fp < 0 || col_expected < 0) {
    throw Error(ErrorCode::kBadData, origin +
                                         ":1: Paper Screener CSV header needs the columns \"Fingerprint - "
                                         "Tortured Phrase\" and \"Expected Text\"");
  }
  std::vector<UserPair> pairs;
  while (pos < text.size()) {
    const std::size_t row_line = lineno + 1;
    auto skip = [&](const std::string& why) {
      if (report) ++report->skipped;
      warn(report, origin + ":" + std::to_string(row_line) + ": " + why);
    };
    auto record = next_record(text, &pos, sep, &lineno);
    if (!record) {
      skip("unterminated quoted field; rest of file ignored");
      break;
    }
    if (record->size() == 1 && trim((*record)[0]).empty()) continue;
    if (static_cast<int>(record->size()) <= std::max(col_fp, col_expected)) {
      skip("too few columns");
      continue;
    }
    const std::string query = trim((*record)[static_cast<std::size_t>(col_fp)]);
    const std::vector<std::string> expected = split_expected((*record)[static_cast<std::size_t>(col_expected)]);
    if (query.empty() || expected.empty()) {
      skip("empty fingerprint or expected text");
      continue;
    }
    float prior = 0.6f;
    if (col_count >= 0 && static_cast<std::size_t>(col_count) < record->size()) {
      const std::string n = trim((*record)[static_cast<std::size_t>(col_count)]);
      long papers = 0;
      if (std::from_chars(n.data(), n.data() + n.size(), papers).ec == std::errc() && papers > 0) {
        // More papers retrieved = better attested: 1 paper 0.64, 10 0.73, 1000+ 1.0.
        prior = 0.6f + 0.4f * std::min(1.0f, static_cast<float>(std::log10(1.0 + papers) / 3.0));
      }
    }
    std::vector<Term> terms;
    if (std::string err = tokenize_query(query, &terms); !err.empty()) {
      skip(err);
      continue;
    }
    const bool any_quote = query.find('"') != std::string::npos;
    std::vector<std::string> spun;
    std::string problem;
    bool negate_next = false, has_and = false, has_or = false;
    int negated_depth = -1, depth = 0;
    std::size_t dropped = 0;
    std::vector<std::string> bare;
    for (const Term& t : terms) {
      switch (t.kind) {
        case Term::kNot: negate_next = true; break;
        case Term::kAnd: has_and = true; break;
        case Term::kOr: has_or = true; break;
        case Term::kOpen:
          if (negate_next && negated_depth < 0) negated_depth = depth;
          negate_next = false;
          ++depth;
          break;
        case Term::kClose:
          depth = depth > 0 ? depth - 1 : 0;
          if (negated_depth == depth) negated_depth = -1;
          break;
        case Term::kWord:
          if (negate_next || negated_depth >= 0)
            ++dropped;
          else
            bare.push_back(t.text);
          negate_next = false;
          break;
        case Term::kPhrase: {
          const bool negated = negate_next || negated_depth >= 0;
          negate_next = false;
          if (negated) {
            ++dropped;
            break;
          }
          const std::string p = normalize_phrase(t.text);
          if (p.empty() || !clean_phrase(p)) {
            problem = "wildcard or empty phrase";
            break;
          }
          if (t.proximity > 0 && word_count(p) > 1) {
            problem = "proximity query \"" + p + "\"~" + std::to_string(t.proximity) + " is not a contiguous phrase";
            break;
          }
          if (std::find(expected.begin(), expected.end(), p) != expected.end()) break;  // context
          spun.push_back(p);
          break;
        }
      }
    }
    if (!any_quote && problem.empty()) {
      // An unquoted fingerprint without operators is itself the phrase.
      std::string p = normalize_phrase(query);
      if (has_and || has_or || dropped)
        problem = "unquoted query with operators";
      else if (p.empty() || !clean_phrase(p))
        problem = "unquoted query with search syntax";
      else
        spun.push_back(std::move(p));
      bare.clear();
    }
    if (problem.empty() && !bare.empty()) problem = "bare words outside quotes (" + bare.front() + ")";
    if (problem.empty() && spun.size() > 1 && (has_and || !has_or)) {
      problem = "several phrases joined by AND: cannot tell which is the tortured phrase";
    }
    if (problem.empty() && spun.empty()) problem = "no usable phrase (only NOT or context clauses)";
    if (!problem.empty()) {
      skip(problem);
      continue;
    }
    if (dropped > 0) warn(report, origin + ":" + std::to_string(row_line) + ": NOT clause ignored");
    for (const std::string& s : spun) {
      for (const std::string& o : expected) {
        if (s != o) pairs.push_back({o, s, prior});
      }
    }
  }
  return pairs;
}

}  // namespace unspin::lexicon
