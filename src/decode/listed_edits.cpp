#include "decode/listed_edits.h"

#include <algorithm>
#include <cctype>

namespace unspin::decode {

namespace {

bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

bool overlaps(std::uint32_t b1, std::uint32_t e1, std::uint32_t b2, std::uint32_t e2) { return b1 < e2 && b2 < e1; }

}  // namespace

std::string case_like(std::string_view written, std::string_view correction) {
  std::size_t upper = 0, lower = 0, words = 0, capitalised = 0;
  bool at_word = true;
  for (unsigned char c : written) {
    const bool letter = is_upper(c) || is_lower(c);
    if (letter && at_word) {
      ++words;
      capitalised += is_upper(c);
    }
    upper += is_upper(c);
    lower += is_lower(c);
    at_word = !letter && c != '\'';
  }
  std::string out(correction);
  if (upper >= 2 && lower == 0) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  const bool title = words >= 2 && capitalised == words;
  std::size_t first_letter = 0;
  while (first_letter < written.size() && !is_upper(static_cast<unsigned char>(written[first_letter])) &&
         !is_lower(static_cast<unsigned char>(written[first_letter]))) {
    ++first_letter;
  }
  const bool capital = first_letter < written.size() && is_upper(static_cast<unsigned char>(written[first_letter]));
  at_word = true;
  bool first = true;
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    const bool letter = is_lower(u) || is_upper(u);
    if (letter && at_word && (title || (first && capital))) c = static_cast<char>(std::toupper(u));
    if (letter) first = false;
    at_word = !letter && c != '\'';
  }
  return out;
}

void add_edit_review_spans(DocumentResult* result) {
  std::vector<ReviewSpan> added;
  for (const Edit& e : result->edits) {
    const bool present = std::any_of(result->review.begin(), result->review.end(), [&](const ReviewSpan& r) {
      return r.byte_begin == e.byte_begin && r.byte_end == e.byte_end && r.applied;
    });
    if (present) continue;
    ReviewSpan r{e.byte_begin, e.byte_end,   e.cp_begin, e.cp_end, e.spun,
                 e.original,   e.confidence, true,       e.rule,   e.rule == "UNSPIN_LISTED" ? "listed" : "edit"};
    added.push_back(std::move(r));
  }
  if (added.empty()) return;
  // Applied edits win over suspects they overlap.
  std::erase_if(result->review, [&](const ReviewSpan& r) {
    return !r.applied && std::any_of(added.begin(), added.end(), [&](const ReviewSpan& a) {
      return overlaps(r.byte_begin, r.byte_end, a.byte_begin, a.byte_end);
    });
  });
  for (ReviewSpan& r : added) result->review.push_back(std::move(r));
  std::sort(result->review.begin(), result->review.end(),
            [](const ReviewSpan& a, const ReviewSpan& b) { return a.byte_begin < b.byte_begin; });
}

void add_listed(std::string_view text, const listed::Matcher* matcher, const listed::UnlistedFinder* unlisted,
                double review_threshold, double min_confidence, DocumentResult* result) {
  const std::vector<listed::Hit> hits = matcher ? matcher->find(text) : std::vector<listed::Hit>();
  result->listed = hits.size();
  std::vector<listed::Suspect> suspects;
  if (unlisted) {
    for (listed::Suspect& s : unlisted->find(text)) {
      if (s.confidence < review_threshold) continue;
      const bool taken =
          std::any_of(
              hits.begin(), hits.end(),
              [&](const listed::Hit& h) { return overlaps(s.byte_begin, s.byte_end, h.byte_begin, h.byte_end); }) ||
          std::any_of(result->edits.begin(), result->edits.end(),
                      [&](const Edit& e) { return overlaps(s.byte_begin, s.byte_end, e.byte_begin, e.byte_end); });
      if (!taken) suspects.push_back(std::move(s));
    }
  }
  // Suspects are review spans only, never edits: on the fitting part their
  // proposed originals were right for 3-7 of 7-22 applied (bench/RESULTS.md),
  // too few for changing a user's text. (min_confidence is kept for when
  // they are.)
  (void)min_confidence;
  for (const listed::Suspect& s : suspects) {
    std::erase_if(result->review, [&](const ReviewSpan& r) {
      return !r.applied && overlaps(r.byte_begin, r.byte_end, s.byte_begin, s.byte_end);
    });
    const std::string spun(text.substr(s.byte_begin, s.byte_end - s.byte_begin));
    result->review.push_back({s.byte_begin, s.byte_end, s.cp_begin, s.cp_end, spun, case_like(spun, s.original),
                              s.confidence, false, "UNSPIN_REVIEW", "candidate"});
  }
  std::sort(result->review.begin(), result->review.end(),
            [](const ReviewSpan& a, const ReviewSpan& b) { return a.byte_begin < b.byte_begin; });
  std::vector<Edit> listed_edits;
  listed_edits.reserve(hits.size());
  for (const listed::Hit& h : hits) {
    Edit e;
    e.byte_begin = h.byte_begin;
    e.byte_end = h.byte_end;
    e.cp_begin = h.cp_begin;
    e.cp_end = h.cp_end;
    e.spun = std::string(text.substr(h.byte_begin, h.byte_end - h.byte_begin));
    const std::string correction = listed::Matcher::correction(h);
    e.original = correction.empty() ? std::string() : case_like(e.spun, correction);
    e.confidence = kListedConfidence;
    e.rule = "UNSPIN_LISTED";
    e.papers = h.papers;
    listed_edits.push_back(std::move(e));
  }
  if (listed_edits.empty()) {
    add_edit_review_spans(result);
    return;
  }
  // The decoder's edits that overlap a listed hit give way to it, and an
  // article edit ("a" -> "an") made for such an edit goes with it.
  std::vector<Edit> kept;
  const auto hit_overlaps = [&](std::uint32_t b, std::uint32_t e) {
    return std::any_of(listed_edits.begin(), listed_edits.end(),
                       [&](const Edit& l) { return overlaps(b, e, l.byte_begin, l.byte_end); });
  };
  for (std::size_t i = 0; i < result->edits.size(); ++i) {
    const Edit& e = result->edits[i];
    if (hit_overlaps(e.byte_begin, e.byte_end)) continue;
    if (e.rule == "UNSPIN_ARTICLE" && i + 1 < result->edits.size()) {
      const Edit& next = result->edits[i + 1];
      const std::string_view gap = text.substr(e.byte_end, next.byte_begin - e.byte_end);
      if (gap.find_first_not_of(" \t\r\n") == std::string_view::npos && hit_overlaps(next.byte_begin, next.byte_end)) {
        continue;
      }
    }
    kept.push_back(e);
  }
  // Reviews of the decoder that overlap a listed hit give way too.
  std::erase_if(result->review, [&](const ReviewSpan& r) { return hit_overlaps(r.byte_begin, r.byte_end); });
  for (Edit& e : listed_edits) kept.push_back(std::move(e));
  std::sort(kept.begin(), kept.end(), [](const Edit& a, const Edit& b) { return a.byte_begin < b.byte_begin; });
  result->edits = std::move(kept);
  // The restored text: the input with every edit that has an original.
  std::string restored;
  restored.reserve(text.size() + 64);
  std::uint32_t at = 0;
  for (const Edit& e : result->edits) {
    restored.append(text.substr(at, e.byte_begin - at));
    restored += e.original.empty() ? e.spun : e.original;
    at = e.byte_end;
  }
  restored.append(text.substr(at));
  result->restored = std::move(restored);
  add_edit_review_spans(result);
}

}  // namespace unspin::decode
