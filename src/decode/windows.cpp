#include "decode/windows.h"

#include "decode/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_set>

namespace unspin::decode {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

// A word that ends a sentence: its last letter-like byte is followed by
// . ! or ?, possibly inside closing quotes or brackets.
bool ends_sentence(std::string_view word) {
  std::size_t i = word.size();
  while (i > 0 && (word[i - 1] == '"' || word[i - 1] == '\'' || word[i - 1] == ')' || word[i - 1] == ']')) --i;
  return i > 1 && (word[i - 1] == '.' || word[i - 1] == '!' || word[i - 1] == '?');
}

std::uint32_t code_points(std::string_view s) {
  std::uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::size_t count_words(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = is_space(c);
    n += !space && !in_word;
    in_word = !space;
  }
  return n;
}

std::vector<TextWindow> split_windows(std::string_view text, const ByteRanges& paragraphs, std::size_t window_words) {
  std::vector<TextWindow> out;
  const auto whole = [&] {
    out.push_back({0, static_cast<std::uint32_t>(text.size()), 0, paragraphs, false});
    return out;
  };
  // count_words() counts the runs the loop below finds: a text of one window
  // (nearly every document) needs no word table.
  if (window_words == 0 || count_words(text) <= window_words) return whole();
  // Word starts, and which words end a sentence.
  std::vector<std::uint32_t> starts;
  std::vector<char> sentence_end;
  for (std::size_t i = 0; i < text.size();) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    starts.push_back(static_cast<std::uint32_t>(i));
    sentence_end.push_back(ends_sentence(text.substr(i, j - i)));
    i = j;
  }
  const std::size_t n = starts.size();
  if (n <= window_words) return whole();
  // paragraph_start[w]: word w begins a paragraph other than the first.
  std::vector<char> paragraph_start(n, 0);
  {
    std::size_t w = 0;
    for (std::size_t p = 1; p < paragraphs.size(); ++p) {
      while (w < n && starts[w] < paragraphs[p].first) ++w;
      if (w < n) paragraph_start[w] = 1;
    }
  }
  // Cut before word c: windows are words [cuts[i], cuts[i + 1]).
  std::vector<std::size_t> cuts{0};
  for (std::size_t start = 0; n - start > window_words;) {
    const std::size_t rest = n - start;
    const std::size_t pieces = (rest + window_words - 1) / window_words;
    const std::size_t ideal = start + rest / pieces;
    const std::size_t lo = start + std::max<std::size_t>(1, (ideal - start) / 2);
    const std::size_t hi = start + window_words;  // >= ideal
    std::size_t best = 0, best_distance = SIZE_MAX;
    auto consider = [&](auto accept) {
      for (std::size_t c = lo; c <= hi && c < n; ++c) {
        const std::size_t d = c > ideal ? c - ideal : ideal - c;
        if (accept(c) && d < best_distance) {
          best = c;
          best_distance = d;
        }
      }
      return best_distance != SIZE_MAX;
    };
    if (!consider([&](std::size_t c) { return paragraph_start[c] != 0; }) &&
        !consider([&](std::size_t c) { return sentence_end[c - 1] != 0; })) {
      best = ideal;
    }
    cuts.push_back(best);
    start = best;
  }
  std::uint32_t cp = 0, previous_end = 0;
  std::size_t p = 0;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    TextWindow w;
    w.byte_begin = previous_end;
    w.byte_end = i + 1 < cuts.size() ? starts[cuts[i + 1]] : static_cast<std::uint32_t>(text.size());
    w.cp_begin = cp;
    // The document's paragraphs that meet the window, clipped to it and trimmed.
    while (p < paragraphs.size() && paragraphs[p].second <= w.byte_begin) ++p;
    for (std::size_t q = p; q < paragraphs.size() && paragraphs[q].first < w.byte_end; ++q) {
      std::uint32_t b = std::max(paragraphs[q].first, w.byte_begin), e = std::min(paragraphs[q].second, w.byte_end);
      while (b < e && is_space(text[b])) ++b;
      while (e > b && is_space(text[e - 1])) --e;
      if (e > b) w.paragraphs.emplace_back(b - w.byte_begin, e - w.byte_begin);
      if (paragraphs[q].second > w.byte_end) w.ends_inside_paragraph = i + 1 < cuts.size();
    }
    cp += code_points(text.substr(w.byte_begin, w.byte_end - w.byte_begin));
    previous_end = w.byte_end;
    out.push_back(std::move(w));
  }
  return out;
}

DocumentResult merge_windows(const std::vector<TextWindow>& windows, std::vector<DocumentResult> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  const double threshold = parts.empty() ? 0.0 : parts.front().threshold;
  DocumentResult out;
  out.threshold = threshold;
  double scored_words = 0, english = 0, rate = 0, log_lr = 0;
  out.base_rate = parts.empty() ? kDefaultBaseRate : parts.front().base_rate;
  out.review_threshold = parts.empty() ? 0.2 : parts.front().review_threshold;
  out.calibrated = parts.empty() || parts.front().calibrated;  // one model set scores every window
  bool any_not_english = false;
  std::vector<Reason> evidence, allowed, no_verdict;
  bool continue_paragraph = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    DocumentResult& part = parts[i];
    const std::uint32_t byte_shift = windows[i].byte_begin, cp_shift = windows[i].cp_begin;
    const double words = static_cast<double>(part.tokens);
    out.tokens += part.tokens;
    out.log10_bayes_factor += part.log10_bayes_factor;
    english += part.english_share * words;
    rate += part.spin_rate * words;
    if (part.has_score) {
      scored_words += words;
      log_lr += part.log_lr;
    }
    for (ReviewSpan& r : part.review) {
      r.byte_begin += byte_shift;
      r.byte_end += byte_shift;
      r.cp_begin += cp_shift;
      r.cp_end += cp_shift;
      out.review.push_back(std::move(r));
    }
    any_not_english |= part.verdict == Verdict::kNotEnglish;
    for (Edit& e : part.edits) {
      e.byte_begin += byte_shift;
      e.byte_end += byte_shift;
      e.cp_begin += cp_shift;
      e.cp_end += cp_shift;
      out.edits.push_back(std::move(e));
    }
    out.restored += part.restored;
    for (Reason& r : part.reasons) {
      if (r.has_span) {
        r.byte_begin += byte_shift;
        r.byte_end += byte_shift;
        r.cp_begin += cp_shift;
        r.cp_end += cp_shift;
      }
      if (r.kind == "table_entry" || r.kind == "span") {
        evidence.push_back(std::move(r));
      } else if (r.kind == "allowed") {
        allowed.push_back(std::move(r));
      } else if (r.kind == "too_short" || r.kind == "not_english") {
        no_verdict.push_back(std::move(r));
      }
    }
    for (std::size_t j = 0; j < part.paragraphs.size(); ++j) {
      ParagraphResult para = part.paragraphs[j];
      para.byte_begin += byte_shift;
      para.byte_end += byte_shift;
      para.cp_begin += cp_shift;
      para.cp_end += cp_shift;
      if (j == 0 && continue_paragraph && !out.paragraphs.empty()) {
        // The same paragraph, cut by the window boundary: its scored pieces
        // are independent evidence, whose log likelihood ratios add.
        ParagraphResult& whole = out.paragraphs.back();
        whole.byte_end = para.byte_end;
        whole.cp_end = para.cp_end;
        whole.words += para.words;
        if (para.has_score) {
          const Score score = score_of((whole.has_score ? whole.log_lr : 0.0) + para.log_lr, out.base_rate, threshold);
          whole.has_score = true;
          whole.log_lr = score.log_lr;
          whole.score = score.probability;
          whole.verdict = score.verdict;
        }
        continue;
      }
      out.paragraphs.push_back(para);
    }
    continue_paragraph = windows[i].ends_inside_paragraph;
  }
  const double words = std::max<double>(1, static_cast<double>(out.tokens));
  out.english_share = english / words;
  out.spin_rate = rate / words;
  if (scored_words > 0) {
    // The windows are independent evidence about one document: their log
    // likelihood ratios add, and the prior enters once.
    const Score score = score_of(log_lr, out.base_rate, threshold);
    out.has_score = true;
    out.log_lr = score.log_lr;
    out.score = score.probability;
    out.verdict = score.verdict;
  } else {
    out.has_score = false;
    out.verdict = any_not_english ? Verdict::kNotEnglish : Verdict::kTooShort;
  }
  out.spun = out.verdict == Verdict::kSpun;

  // Reasons: the strongest evidence of any window (each message once), then
  // the rate, then the allow list; at most 10 (docs/SCHEMA.md §4).
  std::unordered_set<std::string> seen;
  if (!out.has_score) {
    for (Reason& r : no_verdict) {
      if (seen.insert(r.message).second && out.reasons.size() < 2) out.reasons.push_back(std::move(r));
    }
  }
  std::stable_sort(evidence.begin(), evidence.end(),
                   [](const Reason& a, const Reason& b) { return a.weight > b.weight; });
  std::size_t entries = 0, spans = 0;
  for (Reason& r : evidence) {
    std::size_t& count = r.kind == "span" ? spans : entries;
    if (count >= (r.kind == "span" ? 3u : 6u) || !seen.insert(r.message).second) continue;
    ++count;
    out.reasons.push_back(std::move(r));
  }
  if (out.has_score) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "about %.0f%% of eligible words look substituted; scored as %zu windows of about %.0f words",
                  100 * out.spin_rate, parts.size(), words / static_cast<double>(parts.size()));
    out.reasons.push_back({"rate", buf, out.log10_bayes_factor});
  }
  for (Reason& r : allowed) {
    if (out.reasons.size() < 10 && seen.insert(r.message).second) out.reasons.push_back(std::move(r));
  }
  if (out.reasons.size() > 10) out.reasons.resize(10);
  return out;
}

}  // namespace unspin::decode
