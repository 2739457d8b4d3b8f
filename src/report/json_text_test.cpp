// The hand-written JSON text of `check --jsonl` (append_json_string,
// append_object_with_members) against nlohmann's own dump, byte for byte:
// every ASCII byte, random valid and invalid UTF-8, member orders, and whole
// results of the screen and of the decoder.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin::report {
namespace {

using nlohmann::json;

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string ours(std::string_view s) {
  std::string out = "prefix";  // appends, keeps what was there
  append_json_string(out, s);
  return out.substr(6);
}

TEST(JsonText, EveryAsciiByteAndEveryPairIsEscapedAsNlohmannDoes) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string s(1, static_cast<char>(c));
    EXPECT_EQ(ours(s), nlohmann_dump(json(s))) << "byte " << c;
    for (int d = 0; d < 0x80; d += 7) {
      const std::string t = s + static_cast<char>(d) + "x";
      EXPECT_EQ(ours(t), nlohmann_dump(json(t))) << "bytes " << c << " " << d;
    }
  }
  EXPECT_EQ(ours(""), "\"\"");
}

TEST(JsonText, RandomUtf8ValidOrNotIsWrittenAsNlohmannWritesIt) {
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           " ",
                                           "\"",
                                           "\\",
                                           "\n",
                                           "\r\n",
                                           "\t",
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "\xC3\xA9",
                                           "\xE2\x80\x99",
                                           "\xF0\x9F\x98\x80",
                                           "\xE2\x80\xA9",
                                           "/"};
  const std::vector<std::string> broken = {"\xC3",         "\x80",         "\xFF",    "\xE2\x80",
                                           "\xF0\x9F\x98", "\xED\xA0\x80", "\xC0\xAF"};
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    if (trial % 3 == 0 && n > 0) s.insert(rng() % (s.size() + 1), broken[rng() % broken.size()]);
    EXPECT_EQ(ours(s), nlohmann_dump(json(s))) << "trial " << trial;
  }
}

TEST(JsonText, NumbersAreWrittenAsNlohmannWritesDoubles) {
  std::mt19937_64 rng(5);
  std::vector<double> values = {0.0,         -0.0, 1.0,  0.1, 1e-300,    5e-324,       1.7976931348623157e308,
                                123456789.0, 1e21, 1e-7, 0.5, 2.0 / 3.0, std::nan(""), INFINITY,
                                -INFINITY};
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    values.push_back(d);
    values.push_back(static_cast<double>(rng() % 100000) / 997.0);
  }
  for (const double v : values) {
    std::string got;
    append_json_number(got, v);
    EXPECT_EQ(got, nlohmann_dump(json(v))) << v;
  }
}

TEST(JsonText, ParagraphsAreDocumentJsonsParagraphs) {
  std::mt19937 rng(3);
  const std::string text =
      "Caf\xC3\xA9 \xF0\x9F\x98\x80 one.\n\nTwo words here.\n\nThree \xE2\x80\x99 four five six seven.";
  for (const OffsetUnit unit : {OffsetUnit::kCodePoint, OffsetUnit::kUtf16}) {
    for (int trial = 0; trial < 200; ++trial) {
      DocumentResult r;
      const int n = static_cast<int>(rng() % 5);
      for (int k = 0; k < n; ++k) {
        std::uint32_t a = static_cast<std::uint32_t>(rng() % (text.size() + 1));
        std::uint32_t b = static_cast<std::uint32_t>(rng() % (text.size() + 1));
        if (a > b) std::swap(a, b);
        ParagraphResult p{a, b, 0, 0};
        p.words = rng() % 300;
        p.has_score = rng() % 3 != 0;
        p.score = static_cast<double>(rng()) / 4294967296.0;
        p.verdict = static_cast<Verdict>(rng() % 4);
        r.paragraphs.push_back(p);
      }
      std::string got;
      append_paragraphs_json(got, text, r, unit);
      EXPECT_EQ(got, nlohmann_dump(document_json(text, r, unit, nullptr)["paragraphs"]));
      EXPECT_FALSE(document_json(text, r, unit, nullptr, {true, false}).contains("paragraphs"));
    }
  }
}

TEST(JsonText, RawMembersTakeTheirPlaceInKeyOrder) {
  const json object = {{"b", 1}, {"d", {{"z", nullptr}, {"a", {1.5, "x\ny", true}}}}, {"f", "text"}, {"line", 3}};
  const std::vector<std::vector<std::string>> cases = {
      {}, {"a"}, {"c"}, {"e", "a"}, {"g"}, {"provenance", "restored"}, {"restored", "a", "c", "zz"}, {"B", "_"}};
  for (const auto& keys : cases) {
    json want = object;
    std::vector<std::string> texts;
    for (const std::string& k : keys) {
      want[k] = "value of " + k;
      texts.push_back(nlohmann_dump(json("value of " + k)));
    }
    std::vector<RawMember> raw;
    for (std::size_t i = 0; i < keys.size(); ++i) raw.push_back({keys[i], texts[i]});
    std::string got;
    append_object_with_members(got, object, raw);
    EXPECT_EQ(got, nlohmann_dump(want));
  }
  std::string empty;
  append_object_with_members(empty, json::object(), {});
  EXPECT_EQ(empty, "{}");
  std::string only;
  append_object_with_members(only, json::object(), {{"k", "[1,2]"}});
  EXPECT_EQ(only, "{\"k\":[1,2]}");
}

// What `check --jsonl` writes, against document_json's full object dumped.
struct JsonTextWithModels : ::testing::Test {
  void SetUp() override {
    const std::string dir = UNSPIN_MODELS_DIR;
    if (!std::filesystem::exists(dir + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << dir;
    models = Models::load(ModelPaths::in_folder(dir));
  }
  std::unique_ptr<Models> models;
};

TEST_F(JsonTextWithModels, ALineOfResultsIsTheDumpOfTheWholeResult) {
  const Restorer restorer(*models, RestoreOptions{});
  Provenance provenance;
  provenance.version = std::string(version());
  provenance.models = models->info;
  provenance.models_loaded = true;
  const std::string clean =
      "The company said on Tuesday that prices had risen during the past months, including a sharp increase in the "
      "cost of fuel. Its chief executive told reporters that the company would keep its customers.\n\n"
      "A second \"paragraph\"\twith a tab, a quote and caf\xC3\xA9 \xE2\x80\x98quotes\xE2\x80\x99.";
  const std::string spun =
      "The firm's chief govt instructed reporters on Tuesday that costs had risen throughout the previous months, "
      "together with a pointy enhance in the price of gasoline.";
  for (const std::string& text : {clean, spun, std::string("Short.")}) {
    for (const OffsetUnit unit : {OffsetUnit::kCodePoint, OffsetUnit::kUtf16}) {
      const DocumentResult r = restorer.run(text);
      json whole = document_json(text, r, unit, &provenance);
      whole["line"] = 7;
      whole["id"] = {{"nested", "id"}};
      json part = document_json(text, r, unit, nullptr, {false, false});
      part["line"] = 7;
      part["id"] = {{"nested", "id"}};
      const std::string provenance_text = nlohmann_dump(provenance_json(provenance));
      std::string restored_text, paragraphs_text;
      append_json_string(restored_text, r.restored);
      append_paragraphs_json(paragraphs_text, text, r, unit);
      std::string got;
      append_object_with_members(
          got, part, {{"paragraphs", paragraphs_text}, {"provenance", provenance_text}, {"restored", restored_text}});
      EXPECT_EQ(got, nlohmann_dump(whole)) << text;
    }
  }
}

}  // namespace
}  // namespace unspin::report
