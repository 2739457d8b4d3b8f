// The LanguageTool view (report/languagetool.h) on hand-made results: UTF-16
// offsets past an emoji, the offset map of an annotated document, languages.
#include "report/languagetool.h"

#include <gtest/gtest.h>

namespace unspin::report {
namespace {

// "😀 chief govt said so." with one edit on "chief govt" (bytes 5..15: the emoji is 4 bytes).
DocumentResult one_edit() {
  DocumentResult r;
  r.has_score = true;
  r.score = 0.8;
  r.verdict = Verdict::kSpun;
  r.english_share = 0.9;
  r.edits.push_back(Edit{5, 15, 2, 12, "chief govt", "chief executive", 0.7});
  r.restored = "\xF0\x9F\x98\x80 chief executive said so.";
  return r;
}
const std::string kText = "\xF0\x9F\x98\x80 chief govt said so.";

TEST(LanguageToolJson, OffsetsCountUtf16Units) {
  const nlohmann::json j = languagetool_json(kText, one_edit(), "en-US");
  ASSERT_EQ(j["matches"].size(), 1u);
  const nlohmann::json& m = j["matches"][0];
  EXPECT_EQ(m["offset"], 3);  // emoji 2 + space 1
  EXPECT_EQ(m["length"], 10);
  EXPECT_EQ(m["context"]["offset"], 3);
  EXPECT_EQ(m["replacements"][0]["value"], "chief executive");
  EXPECT_EQ(m["rule"]["id"], "UNSPIN_SUBSTITUTION");
  EXPECT_EQ(m["rule"]["category"]["id"], "SPUN_TEXT");
  EXPECT_EQ(m["type"]["typeName"], "Other");
  EXPECT_EQ(j["offset_unit"], "utf16");
  EXPECT_EQ(j["verdict"], "spun");
  EXPECT_DOUBLE_EQ(j["language"]["detectedLanguage"]["confidence"].get<double>(), 0.9);
  EXPECT_EQ(j["software"]["apiVersion"], 1);
}

TEST(LanguageToolJson, OffsetMapMovesSpansIntoTheDocument) {
  const nlohmann::json j = languagetool_json(kText, one_edit(), "en", [](std::uint32_t offset, bool is_end) {
    return offset + (is_end ? 20u : 10u);  // a span end mapped past markup inside it
  });
  EXPECT_EQ(j["matches"][0]["offset"], 13);
  EXPECT_EQ(j["matches"][0]["length"], 20);
  EXPECT_EQ(j["language"]["code"], "en");
}

TEST(LanguageToolJson, LanguageNames) {
  EXPECT_EQ(languagetool_json(kText, one_edit(), "auto")["language"]["code"], "en-US");
  EXPECT_EQ(languagetool_json(kText, one_edit(), "en-gb")["language"]["name"], "English (GB)");
  EXPECT_TRUE(languagetool_empty_json("en-US")["matches"].empty());
  const nlohmann::json languages = languagetool_languages_json();
  ASSERT_GE(languages.size(), 2u);
  for (const auto& l : languages) EXPECT_EQ(l["code"], "en");
}

}  // namespace
}  // namespace unspin::report
