#include "eval/screening.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

std::string normalise_phrase(std::string_view s) { return comparable(s); }

bool whitespace_only(std::string_view gap) {
  if (gap.empty()) return false;
  return std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

ScreeningList ScreeningList::parse(std::string_view content, const std::string& name) {
  ScreeningList list;
  int line_no = 0;
  std::string_view line;
  while (next_data_line(content, line_no, line)) {
    const std::size_t tab = line.find('\t');
    const std::string original = tab == std::string_view::npos ? "" : normalise_phrase(line.substr(0, tab));
    const std::string spun = tab == std::string_view::npos ? "" : normalise_phrase(line.substr(tab + 1));
    if (original.empty() || spun.empty() || spun.find('\t') != std::string::npos) {
      throw Error(ErrorCode::kBadData, name + ":" + std::to_string(line_no) + ": expected original<TAB>spun");
    }
    if (original == spun) continue;
    list.max_words_ = std::max(list.max_words_, 1 + static_cast<int>(std::count(spun.begin(), spun.end(), ' ')));
    list.spun_to_original_.emplace(spun, original);
  }
  if (list.spun_to_original_.empty()) {
    throw Error(ErrorCode::kBadData, name + ": no original<TAB>spun pairs in the screening list");
  }
  return list;
}

ScreeningList ScreeningList::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, "cannot read the screening list " + path);
  return parse(std::string(std::istreambuf_iterator<char>(in), {}), path);
}

SystemOutput ScreeningList::run(std::string_view text) const {
  SystemOutput out;
  const Scan scan = scan_text(text);
  std::string key;
  for (std::size_t i = 0; i < scan.words.size();) {
    bool matched = false;
    for (int n = std::min<int>(max_words_, static_cast<int>(scan.words.size() - i)); n >= 1 && !matched; --n) {
      key.clear();
      bool ok = true;
      for (std::size_t k = i; k < i + n && ok; ++k) {
        if (k > i) {
          ok = whitespace_only(scan.gap_before(k));
          key += ' ';
        }
        key += lower_ascii(scan.word(k));
      }
      if (!ok) continue;
      auto it = spun_to_original_.find(key);
      if (it == spun_to_original_.end()) continue;
      const ScanWord& first = scan.words[i];
      const ScanWord& last = scan.words[i + n - 1];
      WordShape shape = first.shape == WordShape::kUpper && n == 1 && last.byte_end - first.byte_begin == 1
                            ? WordShape::kCapitalized
                            : first.shape;
      Edit e;
      e.byte_begin = first.byte_begin;
      e.byte_end = last.byte_end;
      e.cp_begin = first.cp_begin;
      e.cp_end = last.cp_end;
      e.spun = std::string(text.substr(e.byte_begin, e.byte_end - e.byte_begin));
      e.original =
          apply_shape(it->second, shape == WordShape::kMixed || shape == WordShape::kOther ? WordShape::kLower : shape);
      e.confidence = 1.0;
      out.edits.push_back(std::move(e));
      i += n;
      matched = true;
    }
    if (!matched) ++i;
  }
  out.score = scan.words.empty() ? 0.0 : 100.0 * out.edits.size() / scan.words.size();
  out.spun = !out.edits.empty();
  return out;
}

}  // namespace unspin::eval
