#include "unspin/trace.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "trace/documents_input.h"
#include "trace/words.h"
#include "unspin/error.h"

namespace unspin {
namespace {

const char* kOriginalA =
    "The company's chief executive, Maria Lopez, told reporters in Chicago on Tuesday that prices had "
    "risen by 12 percent during the past six months, including a sharp increase in the cost of fuel. "
    "Lopez said the board of Norland Freight would meet again in March to decide whether to raise fares "
    "on the routes to Denver and Omaha, which carried 40,000 passengers last year.";
const char* kSpunA =
    "The firm's chief govt, Maria Lopez, instructed reporters in Chicago on Tuesday that costs had "
    "risen by 12 percent throughout the previous six months, together with a pointy enhance in the price of gasoline. "
    "Lopez stated the panel of Norland Freight would meet once more in March to determine whether or not to lift fares "
    "on the routes to Denver and Omaha, which carried 40,000 passengers final year.";
const char* kOriginalB =
    "Rain fell over the hills of Wales for three days, and the farmers of Powys counted 300 sheep lost to "
    "the floods near Builth Wells while the River Wye rose to its highest level since 1998. Emergency crews "
    "from Cardiff worked through the night, and the council opened two schools as shelters for families.";
const char* kUnrelated =
    "The orchestra of Vienna opened its season with a program of Brahms and Mahler, and the conductor, "
    "Anton Weiss, said the hall had been restored after a fire in 2019 damaged the roof and the organ. "
    "Tickets for the twelve concerts sold out within a week, the box office reported on Friday.";

class TracerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("unspin_tracer_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    store_ = open_archive(path_, ArchiveAccess::kCreateOrWrite);
    add_to_archive(*store_, {{"a", kOriginalA}, {"b", kOriginalB}});
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
  std::unique_ptr<archive::ArchiveStore> store_;
};

TEST_F(TracerTest, FindsTheSourceOfASpunCopyWithItsSubstitutions) {
  Tracer tracer(*store_, {});
  const TraceResult r = tracer.trace(kSpunA);
  ASSERT_FALSE(r.sources.empty());
  EXPECT_EQ(r.sources[0].id, "a");
  EXPECT_GE(r.sources[0].score, tracer.options().source_threshold);
  EXPECT_GT(r.sources[0].aligned, 0.95);
  bool found_phrase = false;
  const std::string spun = kSpunA, original = kOriginalA;
  for (const TracedSubstitution& s : r.sources[0].substitutions) {
    // Offsets point at the texts (ASCII here, so code points are bytes).
    EXPECT_EQ(spun.substr(s.offset, s.length), s.spun);
    EXPECT_EQ(original.substr(s.source_offset, s.source_length), s.original);
    found_phrase |= s.spun == "together with" && s.original == "including";
  }
  EXPECT_TRUE(found_phrase);
}

TEST_F(TracerTest, ADocumentSharingOnlyHalfTheTextRanksBelowTheSource) {
  // The original's first sentence joined to another text: a near neighbour.
  const std::string a = kOriginalA;
  const std::string half = a.substr(0, a.find("fuel.") + 5) + " " + kOriginalB;
  add_to_archive(*store_, {{"near", half}});
  TraceOptions options;
  options.min_score = 0;
  Tracer tracer(*store_, options);
  const TraceResult r = tracer.trace(kSpunA);
  ASSERT_GE(r.sources.size(), 2u);
  EXPECT_EQ(r.sources[0].id, "a");
  EXPECT_EQ(r.sources[1].id, "near");
  EXPECT_LT(r.sources[1].weakest_quarter, 0.5);
  EXPECT_GT(r.sources[0].weakest_quarter, 0.9);
  EXPECT_LT(r.sources[1].score, r.sources[0].score);
}

TEST_F(TracerTest, RestoresTheOriginalExactlyFromTheSource) {
  Tracer tracer(*store_, {});
  auto restored = tracer.restore_from_source(kSpunA);
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(restored->source_id, "a");
  EXPECT_EQ(restored->result.restored, kOriginalA);
  ASSERT_FALSE(restored->result.edits.empty());
  for (const Edit& e : restored->result.edits) EXPECT_EQ(e.rule, "UNSPIN_SOURCE");
  EXPECT_TRUE(restored->result.spun);
  // A clean copy restores to itself with no edit and is not called spun.
  auto clean = tracer.restore_from_source(kOriginalB);
  ASSERT_TRUE(clean.has_value());
  EXPECT_TRUE(clean->result.edits.empty());
  EXPECT_FALSE(clean->result.spun);
}

TEST_F(TracerTest, NoSourceForUnrelatedText) {
  Tracer tracer(*store_, {});
  const TraceResult r = tracer.trace(kUnrelated);
  for (const TracedSource& s : r.sources) EXPECT_LT(s.score, tracer.options().source_threshold) << s.id;
  EXPECT_FALSE(tracer.restore_from_source(kUnrelated).has_value());
}

TEST_F(TracerTest, TracedPairsAreTheSpinnersTable) {
  Tracer tracer(*store_, {});
  const auto pairs = tracer.traced_pairs({kSpunA, kUnrelated});
  bool found = false;
  for (const TracedPair& p : pairs) {
    if (p.original == "including" && p.spun == "together with") {
      found = true;
      EXPECT_EQ(p.count, 1u);
      EXPECT_EQ(p.original_seen, 1u);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(TracerTest, AlignedCountsOfPagesMergeIntoTheTracedPairsOfThePages) {
  Tracer tracer(*store_, {});
  const AlignedCounts spun = tracer.aligned_counts(kSpunA);
  EXPECT_EQ(spun.pages, 1u);
  ASSERT_EQ(spun.sources.size(), 1u);
  EXPECT_EQ(spun.sources.at("a"), 1u);
  EXPECT_EQ(spun.substitutions.at({"including", "together with"}), 1u);
  const AlignedCounts unrelated = tracer.aligned_counts(kUnrelated);
  EXPECT_EQ(unrelated.pages, 1u);
  EXPECT_TRUE(unrelated.sources.empty());
  EXPECT_TRUE(unrelated.substitutions.empty());

  // Two copies of one source: the pairs count twice, and so do the
  // original's occurrences in the source (once per page traced to it).
  AlignedCounts merged;
  for (const AlignedCounts* c : {&spun, &unrelated, &spun}) merged.merge(*c);
  EXPECT_EQ(merged.pages, 3u);
  EXPECT_EQ(merged.sources.at("a"), 2u);
  const std::vector<TracedPair> from_counts = tracer.traced_pairs(merged);
  const std::vector<TracedPair> from_texts = tracer.traced_pairs({kSpunA, kUnrelated, kSpunA});
  ASSERT_EQ(from_counts.size(), from_texts.size());
  for (std::size_t i = 0; i < from_counts.size(); ++i) {
    EXPECT_EQ(from_counts[i].original, from_texts[i].original);
    EXPECT_EQ(from_counts[i].spun, from_texts[i].spun);
    EXPECT_EQ(from_counts[i].count, from_texts[i].count);
    EXPECT_EQ(from_counts[i].original_seen, from_texts[i].original_seen);
  }
  bool found = false;
  for (const TracedPair& p : from_counts) {
    if (p.original == "including" && p.spun == "together with") {
      found = true;
      EXPECT_EQ(p.count, 2u);
      EXPECT_EQ(p.original_seen, 2u);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(TracerTest, AlignedCountsReadBackWhatTheyWrite) {
  Tracer tracer(*store_, {});
  AlignedCounts counts = tracer.aligned_counts(kSpunA);
  counts.merge(tracer.aligned_counts(kUnrelated));
  const std::string text = counts.serialize();
  EXPECT_EQ(text.substr(0, text.find('\n')), R"({"format":"unspin aligned-counts","version":1,"pages":2})");
  EXPECT_NE(text.find(R"({"source":"a","pages":1})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"original":"including","spun":"together with","count":1})"), std::string::npos) << text;
  const AlignedCounts back = AlignedCounts::parse(text);
  EXPECT_EQ(back.pages, counts.pages);
  EXPECT_EQ(back.sources, counts.sources);
  EXPECT_EQ(back.substitutions, counts.substitutions);
  EXPECT_EQ(back.serialize(), text);
  // No pages at all is a valid (empty) partition.
  EXPECT_EQ(AlignedCounts::parse(AlignedCounts{}.serialize()).pages, 0u);
}

TEST(AlignedCountsParse, RefusesMalformedFilesWithTheLine) {
  const std::string head = R"({"format":"unspin aligned-counts","version":1,"pages":2})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"# unspin site-counts v2 pages=1 words=3\n", "not unspin aligned counts"},
      {R"({"format":"unspin site-counts","version":1,"pages":1})", "lacks"},
      {R"({"format":"unspin aligned-counts","version":2,"pages":1})", "unknown version"},
      {R"({"format":"unspin aligned-counts","version":1,"pages":-1})", "whole number"},
      {R"({"format":"unspin aligned-counts","version":1,"pages":1.5})", "whole number"},
      {head + "\nnot json", "line 2: not a JSON object"},
      {head + "\n\n" + R"({"source":"a","pages":1})", "line 2"},
      {head + "\n[1,2]", "line 2: not a JSON object"},
      {head + "\n" + R"({"source":"","pages":1})", "empty"},
      {head + "\n" + R"({"source":"a","pages":0})", "at least 1"},
      {head + "\n" + R"({"source":"a","pages":"1"})", "whole number"},
      {head + "\n" + R"({"source":"a","pages":1,"x":1})", "only"},
      {head + "\n" + R"({"source":"a","pages":1})" + "\n" + R"({"source":"a","pages":1})",
       "line 3: the source is listed twice"},
      {head + "\n" + R"({"source":"a","pages":3})", "only 2 pages"},
      {head + "\n" + R"({"source":"a","pages":18446744073709551615})" + "\n" + R"({"source":"b","pages":1})",
       "overflow"},
      {head + "\n" + R"({"source":"a","pages":1})" + "\n" + R"({"original":"big","spun":"big","count":1})", "same"},
      {head + "\n" + R"({"source":"a","pages":1})" + "\n" + R"({"original":"big\tx","spun":"huge","count":1})",
       "control character"},
      {head + "\n" + R"({"source":"a","pages":1})" + "\n" + R"({"original":"big","spun":"huge","count":0})",
       "at least 1"},
      {head + "\n" + R"({"original":"big","spun":"huge","count":1})", "no traced source"},
      {head + "\n" + R"({"pages":1})", "expected a source"},
      {head + "\n" + std::string(100000, '['), "line 2"},
  };
  for (const auto& [text, message] : cases) {
    try {
      (void)AlignedCounts::parse(text);
      ADD_FAILURE() << "parsed: " << text.substr(0, 200);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadData);
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos)
          << e.what() << " -- for: " << text.substr(0, 200);
    }
  }
}

TEST_F(TracerTest, ASourceRemovedSinceTheCountsIsAnErrorNamingIt) {
  Tracer tracer(*store_, {});
  const AlignedCounts counts = tracer.aligned_counts(kSpunA);
  store_->remove({"a"});
  Tracer after(*store_, {});
  try {
    (void)after.traced_pairs(counts);
    ADD_FAILURE() << "no error for a removed source";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("\"a\" is no longer in the archive"), std::string::npos) << e.what();
  }
}

TEST(TablePhrase, KeepsPhrasesOfWordsAndDropsAlignmentDebris) {
  EXPECT_EQ(trace::table_phrase("together with"), "together with");
  EXPECT_EQ(trace::table_phrase("  well-known  it's "), "well-known it's");
  EXPECT_EQ(trace::table_phrase("chief\nexecutive"), "chief executive");  // a wrapped line
  EXPECT_EQ(trace::table_phrase("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(trace::table_phrase(", including"), "including");  // the alignment's comma
  EXPECT_EQ(trace::table_phrase("all of it.\n\n"), "all of it");
  EXPECT_FALSE(trace::table_phrase("all of.\n\nthe"));  // a paragraph break inside
  EXPECT_FALSE(trace::table_phrase("all of\n\nthe"));
  EXPECT_FALSE(trace::table_phrase("so, and"));
  EXPECT_FALSE(trace::table_phrase(", ."));
  EXPECT_FALSE(trace::table_phrase(""));
  EXPECT_FALSE(trace::table_phrase("12"));
}

TEST_F(TracerTest, BadInputIsRefusedWithTheInputErrors) {
  Tracer tracer(*store_, {});
  try {
    tracer.trace("\xff\xfe bad");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8);
  }
  EXPECT_THROW(add_to_archive(*store_, {{"", "text"}}), Error);
}

TEST_F(TracerTest, ReplacingADocumentChangesWhatIsFound) {
  EXPECT_EQ(add_to_archive(*store_, {{"a", kUnrelated}}), std::vector<bool>{true});
  Tracer tracer(*store_, {});
  const TraceResult r = tracer.trace(kUnrelated);
  ASSERT_FALSE(r.sources.empty());
  EXPECT_EQ(r.sources[0].id, "a");
  EXPECT_EQ(r.sources[0].matched_words, r.words);
}

TEST(DocumentLines, GoodAndBadLinesAreReportedInOrder) {
  const std::string data =
      "{\"id\": \"x\", \"text\": \"hello there\"}\n"
      "\n"
      "not json\n"
      "{\"id\": 7, \"text\": \"seven\"}\n"
      "{\"text\": \"no id\"}\n"
      "{\"id\": \"e\", \"text\": \"\"}\n"
      "[1,2]\n";
  const auto lines = trace::parse_document_lines(data, 1 << 20);
  ASSERT_EQ(lines.size(), 6u);
  ASSERT_TRUE(lines[0].document.has_value());
  EXPECT_EQ(lines[0].document->id, "x");
  EXPECT_FALSE(lines[1].document.has_value());
  EXPECT_EQ(lines[1].line, 3u);
  ASSERT_TRUE(lines[2].document.has_value());
  EXPECT_EQ(lines[2].document->id, "7");
  EXPECT_FALSE(lines[3].document.has_value());
  EXPECT_EQ(lines[4].error_code, ErrorCode::kEmptyInput);
  EXPECT_FALSE(lines[5].document.has_value());
}

}  // namespace
}  // namespace unspin
