#include "lexicon/user_lexicon.h"

#include <charconv>
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/checksum.h"
#include "lexicon/candidate_table.h"
#include "lexicon/normalize.h"
#include "lexicon/sources.h"
#include "lexicon/ulex_format.h"
#include "lexicon/ulex_reader.h"
#include "lexicon/ulex_writer.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

constexpr std::uint32_t kUserMaxCandidates = 64;

std::string_view strip_bom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

}  // namespace

void warn(UserLexiconReport* report, std::string message) {
  if (report && report->warnings.size() < kMaxWarnings) report->warnings.push_back(std::move(message));
}

std::vector<UserPair> parse_user_tsv(std::string_view text, const std::string& origin, UserLexiconReport* report) {
  std::vector<UserPair> pairs;
  text = strip_bom(text);
  std::size_t lineno = 0;
  auto skip = [&](const std::string& why) {
    if (report) ++report->skipped;
    warn(report, origin + ":" + std::to_string(lineno) + ": " + why);
  };
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    // A trailing comment after whitespace ("... 0.9  # count 12", as `unspin learn` writes).
    for (std::size_t hash = line.find('#'); hash != std::string_view::npos; hash = line.find('#', hash + 1)) {
      if (hash > 0 && (line[hash - 1] == ' ' || line[hash - 1] == '\t')) {
        line = line.substr(0, hash);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        break;
      }
    }
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      skip("no TAB: expected original<TAB>spun");
      continue;
    }
    std::string_view rest = line.substr(tab + 1);
    const std::size_t tab2 = rest.find('\t');
    float prior = 0.0f;  // 0: not given, filled in below
    if (tab2 != std::string_view::npos) {
      std::string_view p = rest.substr(tab2 + 1);
      while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prior);
      if (ec != std::errc() || ptr != p.data() + p.size() || !(prior > 0 && prior <= 1)) {
        skip("third column must be a prior in (0,1]");
        continue;
      }
      rest = rest.substr(0, tab2);
    }
    std::string original = normalize_phrase(line.substr(0, tab));
    std::string spun = normalize_phrase(rest);
    if (original.empty() || spun.empty()) {
      skip("empty original or spun phrase");
    } else if (original == spun) {
      skip("original and spun are the same");
    } else if (word_count(original) > 8 || word_count(spun) > 8) {
      skip("phrases longer than 8 words are not used");
    } else {
      pairs.push_back({std::move(original), std::move(spun), prior});
    }
  }
  std::unordered_map<std::string, int> spun_forms;
  for (const UserPair& p : pairs) ++spun_forms[p.original];
  for (UserPair& p : pairs) {
    if (p.prior == 0.0f) p.prior = 1.0f / static_cast<float>(spun_forms[p.original]);
  }
  return pairs;
}

namespace {

// The value of field `key` on a learned table's header line (" key=value",
// separated by spaces); std::nullopt when `text` has no such header or field.
std::optional<std::string_view> learned_header_field(std::string_view text, std::string_view key) {
  text = strip_bom(text);
  const std::string_view head = text.substr(0, text.find('\n'));
  if (head.substr(0, kLearnedTableHeader.size()) != kLearnedTableHeader) return std::nullopt;
  const std::string needle = " " + std::string(key) + "=";
  const std::size_t at = head.find(needle, kLearnedTableHeader.size());
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view value = head.substr(at + needle.size());
  return value.substr(0, value.find_first_of(" \t\r"));
}

}  // namespace

std::size_t learned_table_pages(std::string_view text) {
  const std::optional<std::string_view> value = learned_header_field(text, "pages");
  if (!value) return 0;
  std::size_t pages = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), pages);
  return ec == std::errc() && ptr == value->data() + value->size() ? pages : 0;
}

bool learned_table_aligned(std::string_view text) { return learned_header_field(text, "method") == "aligned"; }

std::vector<UserPair> parse_learned_table(std::string_view text, const std::string& origin, UserLexiconReport* report) {
  std::vector<UserPair> pairs;
  text = strip_bom(text);
  std::size_t lineno = 0;
  auto skip = [&](const std::string& why) {
    if (report) ++report->skipped;
    warn(report, origin + ":" + std::to_string(lineno) + ": " + why);
  };
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    std::string_view field[4];
    std::size_t n = 0, start = 0;
    while (n < 4) {
      const std::size_t tab = line.find('\t', start);
      field[n++] = line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (n != 4 || line.find('\t', start) != std::string_view::npos) {
      skip("expected original<TAB>spun<TAB>prior<TAB>count");
      continue;
    }
    float prior = 0;
    auto [ptr, ec] = std::from_chars(field[2].data(), field[2].data() + field[2].size(), prior);
    if (ec != std::errc() || ptr != field[2].data() + field[2].size() || !(prior > 0 && prior <= 1)) {
      skip("third column must be a prior in (0,1]");
      continue;
    }
    std::size_t count = 0;
    auto [cptr, cec] = std::from_chars(field[3].data(), field[3].data() + field[3].size(), count);
    if (cec != std::errc() || cptr != field[3].data() + field[3].size()) {
      skip("fourth column must be a count");
      continue;
    }
    std::string original = normalize_phrase(field[0]);
    std::string spun = normalize_phrase(field[1]);
    if (original.empty() || spun.empty()) {
      skip("empty original or spun phrase");
    } else if (original == spun) {
      skip("original and spun are the same");
    } else if (word_count(original) > 8 || word_count(spun) > 8) {
      skip("phrases longer than 8 words are not used");
    } else {
      pairs.push_back({std::move(original), std::move(spun), prior});
    }
  }
  return pairs;
}

std::vector<UserPair> parse_group_table(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                        bool symmetric_lines) {
  std::vector<UserPair> pairs;
  text = strip_bom(text);
  std::size_t lineno = 0;
  auto skip = [&](const std::string& why) {
    if (report) ++report->skipped;
    warn(report, origin + ":" + std::to_string(lineno) + ": " + why);
  };
  auto add_group = [&](std::string_view group) {
    std::vector<std::string> members;
    std::size_t start = 0;
    while (start <= group.size()) {
      std::size_t bar = group.find('|', start);
      if (bar == std::string_view::npos) bar = group.size();
      std::string phrase = normalize_phrase(group.substr(start, bar - start));
      if (word_count(phrase) > 8) {
        // The rest of the group is still used: a warning, not a skipped line.
        warn(report, origin + ":" + std::to_string(lineno) + ": '" + phrase.substr(0, 40) +
                         "...' is longer than 8 words: not used");
      } else if (!phrase.empty() && std::find(members.begin(), members.end(), phrase) == members.end()) {
        members.push_back(std::move(phrase));
      }
      start = bar + 1;
    }
    if (members.size() < 2) {
      skip("a group needs an original and at least one different alternative");
      return;
    }
    const float prior = 1.0f / static_cast<float>(members.size() - 1);
    for (std::size_t i = 1; i < members.size(); ++i) pairs.push_back({members[0], members[i], prior});
    if (!symmetric_lines) return;
    for (std::size_t i = 1; i < members.size(); ++i) {
      for (std::size_t j = 0; j < members.size(); ++j) {
        if (j != i) pairs.push_back({members[i], members[j], prior});
      }
    }
  };
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    if (line[first] != '{') {
      add_group(line.substr(first));
      continue;
    }
    // Spintax: every top-level {...} on the line is a group.
    for (std::size_t open = line.find('{'); open != std::string_view::npos; open = line.find('{', open)) {
      const std::size_t close = line.find('}', open);
      const std::size_t nested = line.find('{', open + 1);
      if (close == std::string_view::npos) {
        skip("unclosed '{'");
        break;
      }
      if (nested != std::string_view::npos && nested < close) {
        skip("nested spintax is not supported");
        break;
      }
      add_group(line.substr(open + 1, close - open - 1));
      open = close + 1;
    }
  }
  return pairs;
}

UserFormat detect_user_format(std::string_view head) {
  if (head.size() >= sizeof(kMagic) && std::memcmp(head.data(), kMagic, sizeof kMagic) == 0) {
    return UserFormat::kUlex;
  }
  head = strip_bom(head);
  const std::string_view first_line = head.substr(0, head.find('\n'));
  if (first_line.substr(0, kLearnedTableHeader.size()) == kLearnedTableHeader &&
      (first_line.size() == kLearnedTableHeader.size() || first_line[kLearnedTableHeader.size()] == ' ' ||
       first_line[kLearnedTableHeader.size()] == '\r')) {
    return UserFormat::kLearned;
  }
  if (first_line.find("Fingerprint - Tortured Phrase") != std::string_view::npos) {
    return UserFormat::kPpsCsv;
  }
  // The first content line decides: a TAB means TSV, else '|' or '{' a group table.
  std::string_view rest = head;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    if (line.find('\t') != std::string_view::npos) return UserFormat::kTsv;
    if (line.find('|') != std::string_view::npos || line[first] == '{') return UserFormat::kGroups;
    return UserFormat::kTsv;
  }
  return UserFormat::kTsv;
}

std::vector<UserPair> parse_user_pairs(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                       bool symmetric_lines) {
  const UserFormat format = detect_user_format(text);
  return format == UserFormat::kLearned  ? parse_learned_table(text, origin, report)
         : format == UserFormat::kPpsCsv ? parse_pps_csv(text, origin, report)
         : format == UserFormat::kGroups ? parse_group_table(text, origin, report, symmetric_lines)
         : format == UserFormat::kTsv    ? parse_user_tsv(text, origin, report)
                                         : std::vector<UserPair>{};
}

std::string compile_user_lexicon(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                 bool symmetric_lines) {
  UserLexiconReport local;
  UserLexiconReport* r = report ? report : &local;
  if (text.find('\0') != std::string_view::npos) {
    throw Error(ErrorCode::kBadData, origin + ": binary data, not a TSV or CSV lexicon");
  }
  const UserFormat format = detect_user_format(text);
  if (format == UserFormat::kUlex) {
    throw Error(ErrorCode::kBadData, origin + ": already a compiled .ulex lexicon");
  }
  std::vector<UserPair> pairs = parse_user_pairs(text, origin, r, symmetric_lines);
  if (pairs.empty()) {
    std::string why = r->warnings.empty() ? "it is empty" : "first problem: " + r->warnings.front();
    throw Error(ErrorCode::kBadData, origin + ": no usable original<TAB>spun pair (or Paper Screener row); " + why);
  }
  PairTable table;
  const std::uint16_t source =
      format == UserFormat::kLearned && !learned_table_aligned(text) ? kSourceLearned : kSourceUser;
  for (const UserPair& p : pairs) table.add(p.spun, p.original, p.prior, source);
  r->pairs = pairs.size();
  BuildParams params;
  params.max_candidates = kUserMaxCandidates;
  params.two_hop_fanout = 0;
  params.input_hash = fnv1a64(text);
  return write_ulex(table.finish(kUserMaxCandidates), params);
}

}  // namespace unspin::lexicon
