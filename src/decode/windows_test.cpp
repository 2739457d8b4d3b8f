// Long documents as windows (decode/windows.h): where the cuts fall, that the
// windows cover the text, offsets in bytes and code points, the merge of the
// windows' results, and Restorer::run on a long text against its windows
// decoded one by one (real models; skipped before ./setup.sh built them).
#include <cmath>
#include "decode/windows.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decode/pipeline.h"

namespace unspin::decode {
namespace {

std::string words(int n, const std::string& word = "word") {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + word;
  return s;
}

void expect_cover(const std::string& text, const std::vector<TextWindow>& windows) {
  ASSERT_FALSE(windows.empty());
  EXPECT_EQ(windows.front().byte_begin, 0u);
  EXPECT_EQ(windows.back().byte_end, text.size());
  for (std::size_t i = 1; i < windows.size(); ++i) EXPECT_EQ(windows[i].byte_begin, windows[i - 1].byte_end);
}

TEST(Windows, CountsWhitespaceSeparatedWords) {
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("  \n\t "), 0u);
  EXPECT_EQ(count_words("one"), 1u);
  EXPECT_EQ(count_words(" one  two\nthree\t"), 3u);
}

TEST(Windows, ShortTextIsOneWindowWithItsParagraphs) {
  const std::string text = words(10) + "\n\n" + words(10);
  const ByteRanges paragraphs = find_paragraphs(text);
  const auto windows = split_windows(text, paragraphs, 20);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].paragraphs, paragraphs);
  EXPECT_FALSE(windows[0].ends_inside_paragraph);
  EXPECT_EQ(split_windows(text, paragraphs, 0).size(), 1u);  // 0: never cut
}

TEST(Windows, CutsAtParagraphBoundariesWhenItCan) {
  // Ten paragraphs of 30 words; windows of at most 100 words.
  std::string text;
  for (int p = 0; p < 10; ++p) text += (p ? "\n\n" : "") + words(30) + ".";
  const ByteRanges paragraphs = find_paragraphs(text);
  ASSERT_EQ(paragraphs.size(), 10u);
  const auto windows = split_windows(text, paragraphs, 100);
  expect_cover(text, windows);
  ASSERT_GE(windows.size(), 3u);
  std::size_t total_paragraphs = 0;
  for (const TextWindow& w : windows) {
    const std::string_view piece(text.data() + w.byte_begin, w.byte_end - w.byte_begin);
    EXPECT_LE(count_words(piece), 100u);
    EXPECT_FALSE(w.ends_inside_paragraph);
    total_paragraphs += w.paragraphs.size();
    // Each window-relative paragraph is one of the document's.
    for (const auto& [b, e] : w.paragraphs) {
      const std::pair<std::uint32_t, std::uint32_t> absolute{b + w.byte_begin, e + w.byte_begin};
      EXPECT_NE(std::find(paragraphs.begin(), paragraphs.end(), absolute), paragraphs.end());
    }
  }
  EXPECT_EQ(total_paragraphs, paragraphs.size());
}

TEST(Windows, OneLongParagraphIsCutAfterSentencesAndCodePointsCount) {
  // One paragraph: sentences of 7 words with two-byte letters.
  std::string text;
  for (int s = 0; s < 60; ++s) text += (s ? " " : "") + words(6, "caf\xC3\xA9") + " end.";
  const ByteRanges paragraphs = find_paragraphs(text);
  const auto windows = split_windows(text, paragraphs, 100);
  expect_cover(text, windows);
  ASSERT_GE(windows.size(), 5u);
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const TextWindow& w = windows[i];
    EXPECT_EQ(w.cp_begin, cp);
    const std::string_view piece(text.data() + w.byte_begin, w.byte_end - w.byte_begin);
    for (char c : piece) cp += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_LE(count_words(piece), 100u);
    if (i + 1 < windows.size()) {
      // After a sentence, and the paragraph goes on in the next window.
      EXPECT_EQ(piece.substr(piece.find_last_not_of(' ') - 3, 4), "end.");
      EXPECT_TRUE(w.ends_inside_paragraph);
    }
    ASSERT_EQ(w.paragraphs.size(), 1u);
  }
}

TEST(Windows, TextWithoutSentencesIsCutBetweenWords) {
  const std::string text = words(1000);
  const auto windows = split_windows(text, find_paragraphs(text), 300);
  expect_cover(text, windows);
  EXPECT_EQ(windows.size(), 4u);
  for (const TextWindow& w : windows) {
    EXPECT_LE(count_words(std::string_view(text.data() + w.byte_begin, w.byte_end - w.byte_begin)), 300u);
    EXPECT_NE(text[w.byte_begin], 'o');  // never inside a word
  }
}

// The log LR behind `score` at base rate 0.1.
double log_lr_of(double score) { return std::log(score / (1 - score)) - std::log(0.1 / 0.9); }

DocumentResult part(std::size_t words, double score, std::vector<Edit> edits, std::vector<ParagraphResult> paragraphs,
                    std::string restored) {
  DocumentResult r;
  r.tokens = words;
  r.has_score = true;
  r.score = score;
  r.log_lr = log_lr_of(score);
  r.log10_bayes_factor = score;
  r.edits = std::move(edits);
  r.paragraphs = std::move(paragraphs);
  r.restored = std::move(restored);
  r.threshold = 0.5;
  return r;
}

TEST(Windows, MergeShiftsOffsetsAddsLogLrsAndJoinsCutParagraphs) {
  // "ab cd|éf gh": window 2 starts at byte 6, code point 6... (é is two bytes).
  std::vector<TextWindow> windows(2);
  windows[0] = {0, 6, 0, {{0, 5}}, true};
  windows[1] = {6, 12, 6, {{0, 6}}, false};
  std::vector<DocumentResult> parts;
  parts.push_back(part(300, 0.2, {{3, 5, 3, 5, "cd", "xy", 0.9, "UNSPIN_SUBSTITUTION"}},
                       {{0, 5, 0, 5, 300, true, 0.2, log_lr_of(0.2), Verdict::kClean}}, "ab xy "));
  parts.push_back(part(100, 0.9,
                       {{0, 3, 0, 2,
                         "\xC3\xA9"
                         "f",
                         "ef", 0.8, "UNSPIN_SUBSTITUTION"}},
                       {{0, 6, 0, 5, 100, true, 0.9, log_lr_of(0.9), Verdict::kSpun}}, "ef gh"));
  const DocumentResult r = merge_windows(windows, std::move(parts));
  EXPECT_EQ(r.tokens, 400u);
  // Independent evidence about one document: the log LRs add, the prior enters once.
  const double lr = std::log(0.2 / 0.8) + std::log(0.9 / 0.1) - 2 * std::log(0.1 / 0.9);
  EXPECT_NEAR(r.score, 1 / (1 + std::exp(-(lr + std::log(0.1 / 0.9)))), 1e-12);
  EXPECT_EQ(r.verdict, r.score >= 0.5 ? Verdict::kSpun : Verdict::kClean);
  EXPECT_NEAR(r.log10_bayes_factor, 1.1, 1e-12);
  EXPECT_EQ(r.restored, "ab xy ef gh");
  ASSERT_EQ(r.edits.size(), 2u);
  EXPECT_EQ(r.edits[1].byte_begin, 6u);
  EXPECT_EQ(r.edits[1].byte_end, 9u);
  EXPECT_EQ(r.edits[1].cp_begin, 6u);
  EXPECT_EQ(r.edits[1].cp_end, 8u);
  // The paragraph cut by the boundary is one paragraph again.
  ASSERT_EQ(r.paragraphs.size(), 1u);
  EXPECT_EQ(r.paragraphs[0].byte_begin, 0u);
  EXPECT_EQ(r.paragraphs[0].byte_end, 12u);
  EXPECT_EQ(r.paragraphs[0].cp_end, 11u);
  EXPECT_EQ(r.paragraphs[0].words, 400u);
  // Its pieces are independent evidence too: scored as the document is.
  EXPECT_NEAR(r.paragraphs[0].log_lr, lr, 1e-12);
  EXPECT_NEAR(r.paragraphs[0].score, r.score, 1e-12);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons.back().kind, "rate");
}

TEST(Windows, MergeWithoutAnyScoredWindowHasNoScore) {
  std::vector<TextWindow> windows(2);
  windows[0] = {0, 3, 0, {}, false};
  windows[1] = {3, 6, 3, {}, false};
  std::vector<DocumentResult> parts(2);
  parts[0].has_score = parts[1].has_score = false;
  parts[0].verdict = Verdict::kNotEnglish;
  parts[1].verdict = Verdict::kNotEnglish;
  parts[0].reasons.push_back({"not_english", "only 10% of the words are English words", 0});
  parts[1].reasons.push_back({"not_english", "only 10% of the words are English words", 0});
  const DocumentResult r = merge_windows(windows, std::move(parts));
  EXPECT_FALSE(r.has_score);
  EXPECT_EQ(r.verdict, Verdict::kNotEnglish);
  ASSERT_EQ(r.reasons.size(), 1u);
  EXPECT_EQ(r.reasons[0].kind, "not_english");
}

// The library: a long text is decoded window by window, and a text within
// one window exactly as before.
TEST(Windows, RestorerDecodesLongTextsAsTheirWindows) {
  const std::string models = UNSPIN_MODELS_DIR;
  if (!std::filesystem::exists(models + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << models;
  const auto loaded = Models::load(ModelPaths::in_folder(models));
  std::string text;
  for (int p = 0; p < 12; ++p) {
    text += (p ? "\n\n" : "") + std::string(
                                    "The firm's chief govt instructed reporters that costs had risen throughout "
                                    "the previous months, together with a pointy enhance in the price of gasoline.");
  }
  RestoreOptions whole_options, window_options;
  whole_options.window_words = 0;
  window_options.window_words = 100;
  whole_options.screen = window_options.screen = false;  // the decoder's windows are under test
  const Restorer whole(*loaded, whole_options), windowed(*loaded, window_options);
  const DocumentResult a = whole.run(text), b = windowed.run(text);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.paragraphs.size(), b.paragraphs.size());
  EXPECT_FALSE(b.edits.empty());
  for (const Edit& e : b.edits) EXPECT_EQ(text.substr(e.byte_begin, e.byte_end - e.byte_begin), e.spun);
  // Each window is a document of its own: the first window's result is that of its text alone.
  const auto windows = split_windows(text, find_paragraphs(text), 100);
  ASSERT_GT(windows.size(), 1u);
  const DocumentResult first = whole.run(text.substr(0, windows[0].byte_end));
  ASSERT_LE(first.edits.size(), b.edits.size());
  for (std::size_t i = 0; i < first.edits.size(); ++i) {
    EXPECT_EQ(first.edits[i].byte_begin, b.edits[i].byte_begin);
    EXPECT_EQ(first.edits[i].original, b.edits[i].original);
  }
  // Within one window nothing changes.
  const std::string short_text = text.substr(0, windows[0].byte_end);
  const DocumentResult c = windowed.run(short_text), d = whole.run(short_text);
  EXPECT_EQ(c.score, d.score);
  EXPECT_EQ(c.restored, d.restored);
}

}  // namespace
}  // namespace unspin::decode
