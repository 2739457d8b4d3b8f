// unspin::AlignedCounts: the mergeable sums of `learn --archive`, and their
// JSON-lines form (docs/SCHEMA.md §9, "Aligned counts"). parse() reads files
// from other processes and machines: every field is checked, and anything
// malformed is Error(kBadData) naming the line, never a crash or a silent
// default.
#include <limits>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "unspin/error.h"
#include "unspin/trace.h"

namespace unspin {
namespace {

constexpr std::string_view kFormat = "unspin aligned-counts";
constexpr std::uint64_t kVersion = 1;

std::size_t checked_sum(std::size_t a, std::size_t b, std::string_view what) {
  if (a > std::numeric_limits<std::size_t>::max() - b) {
    throw Error(ErrorCode::kBadData, "aligned counts: the " + std::string(what) + " overflow when added");
  }
  return a + b;
}

[[noreturn]] void bad_line(std::size_t line, const std::string& why) {
  throw Error(ErrorCode::kBadData, "aligned counts line " + std::to_string(line) + ": " + why);
}

std::size_t count_field(const nlohmann::json& object, const char* name, std::size_t line, bool may_be_zero) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number_unsigned()) {
    bad_line(line, std::string("\"") + name + "\" must be a whole number");
  }
  const std::uint64_t value = it->get<std::uint64_t>();
  if (value == 0 && !may_be_zero) bad_line(line, std::string("\"") + name + "\" must be at least 1");
  if (value > std::numeric_limits<std::size_t>::max()) bad_line(line, std::string("\"") + name + "\" is too large");
  return static_cast<std::size_t>(value);
}

// A non-empty string without control characters: ids and table phrases end
// up in TSV lines and error messages, where a tab or a line break would forge
// a field or a line.
std::string text_field(const nlohmann::json& object, const char* name, std::size_t line) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) bad_line(line, std::string("\"") + name + "\" must be a string");
  std::string value = it->get<std::string>();
  if (value.empty()) bad_line(line, std::string("\"") + name + "\" is empty");
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) bad_line(line, std::string("\"") + name + "\" holds a control character");
  }
  return value;
}

std::string dump_line(const nlohmann::ordered_json& line) {
  try {
    return line.dump() + "\n";
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorCode::kBadData, "aligned counts: a source id or phrase is not UTF-8");
  }
}

}  // namespace

void AlignedCounts::merge(const AlignedCounts& other) {
  pages = checked_sum(pages, other.pages, "pages");
  for (const auto& [id, n] : other.sources) sources[id] = checked_sum(sources[id], n, "pages of a source");
  for (const auto& [pair, n] : other.substitutions) {
    substitutions[pair] = checked_sum(substitutions[pair], n, "counts of a pair");
  }
}

std::string AlignedCounts::serialize() const {
  std::string out = dump_line({{"format", kFormat}, {"version", kVersion}, {"pages", pages}});
  for (const auto& [id, n] : sources) out += dump_line({{"source", id}, {"pages", n}});
  for (const auto& [pair, n] : substitutions) {
    out += dump_line({{"original", pair.first}, {"spun", pair.second}, {"count", n}});
  }
  return out;
}

AlignedCounts AlignedCounts::parse(std::string_view text) {
  AlignedCounts counts;
  std::size_t traced = 0;  // pages of every source: at most `pages`
  std::size_t line_no = 0;
  bool header = false;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_no;
    nlohmann::json j;
    try {
      j = parse_untrusted_json(line, "aligned counts line " + std::to_string(line_no));
    } catch (const MalformedJson&) {
      if (!header) {
        throw Error(ErrorCode::kBadData,
                    "not unspin aligned counts (the first line is not the JSON header {\"format\":\"" +
                        std::string(kFormat) + "\", ...})");
      }
      bad_line(line_no, "not a JSON object");
    }
    if (!j.is_object()) bad_line(line_no, "not a JSON object");
    if (!header) {
      const auto format = j.find("format");
      if (format == j.end() || !format->is_string() || format->get<std::string>() != kFormat) {
        throw Error(ErrorCode::kBadData,
                    "not unspin aligned counts (the first line lacks \"format\":\"" + std::string(kFormat) + "\")");
      }
      const auto version = j.find("version");
      if (version == j.end() || !version->is_number_unsigned() || version->get<std::uint64_t>() != kVersion) {
        throw Error(ErrorCode::kBadData,
                    "aligned counts: unknown version (this unspin reads version " + std::to_string(kVersion) + ")");
      }
      if (j.size() != 3) bad_line(line_no, "the header holds format, version and pages only");
      counts.pages = count_field(j, "pages", line_no, true);
      header = true;
      continue;
    }
    if (j.contains("source")) {
      if (j.size() != 2) bad_line(line_no, "a source line holds \"source\" and \"pages\" only");
      std::string id = text_field(j, "source", line_no);
      const std::size_t n = count_field(j, "pages", line_no, false);
      if (!counts.sources.emplace(std::move(id), n).second) bad_line(line_no, "the source is listed twice");
      traced = checked_sum(traced, n, "pages of the sources");
    } else if (j.contains("original")) {
      if (j.size() != 3) bad_line(line_no, "a pair line holds \"original\", \"spun\" and \"count\" only");
      std::string original = text_field(j, "original", line_no);
      std::string spun = text_field(j, "spun", line_no);
      if (original == spun) bad_line(line_no, "the original and the spun form are the same");
      const std::size_t n = count_field(j, "count", line_no, false);
      if (!counts.substitutions.emplace(std::make_pair(std::move(original), std::move(spun)), n).second) {
        bad_line(line_no, "the pair is listed twice");
      }
    } else {
      bad_line(line_no, "expected a source ({\"source\", \"pages\"}) or a pair ({\"original\", \"spun\", \"count\"})");
    }
  }
  if (!header) throw Error(ErrorCode::kBadData, "not unspin aligned counts (empty)");
  if (traced > counts.pages) {
    throw Error(ErrorCode::kBadData, "aligned counts: " + std::to_string(traced) +
                                         " pages traced to sources but only " + std::to_string(counts.pages) +
                                         " pages counted");
  }
  if (!counts.substitutions.empty() && counts.sources.empty()) {
    throw Error(ErrorCode::kBadData, "aligned counts: pairs with no traced source");
  }
  return counts;
}

}  // namespace unspin
