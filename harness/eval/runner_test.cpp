#include "eval/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "eval/report.h"
#include "eval/scan.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

using nlohmann::json;

SpinnerData fake_data() {
  SpinnerData d;
  d.thesaurus = Thesaurus::from_groups({{"increase", "enhance"},
                                        {"market", "marketplace"},
                                        {"price", "cost"},
                                        {"artificial", "counterfeit"},
                                        {"intelligence", "consciousness"},
                                        {"report", "account"}});
  d.phrases = PhraseTable::parse("said\tstated\ncompany\tfirm\nin order to\tso as to\n", "fake");
  d.tortured_terms = {"artificial intelligence", "stock market"};
  return d;
}

std::map<std::size_t, std::vector<Excerpt>> fake_excerpts() {
  std::vector<Excerpt> list;
  for (int i = 0; i < 6; ++i) {
    list.push_back({"doc" + std::to_string(i), "fake",
                    "The company said prices increase. Artificial intelligence and the stock market report "
                    "a market increase in order to grow, the company said.",
                    20});
  }
  return {{20, list}};
}

// Knows the originals: undoes every spun span it recognises (a perfect decoder).
class Oracle final : public System {
 public:
  explicit Oracle(const SpinnerData& d) : data_(d) {}
  std::string name() const override { return "oracle"; }
  SystemOutput run(std::string_view text) const override {
    SystemOutput out;
    const std::string lower = lower_ascii(text);
    for (const auto& [spun, original] : answers_) {
      for (std::size_t at = lower.find(spun); at != std::string::npos; at = lower.find(spun, at + 1)) {
        Edit e{};
        e.byte_begin = static_cast<std::uint32_t>(at);
        e.byte_end = static_cast<std::uint32_t>(at + spun.size());
        e.original = original;
        out.edits.push_back(e);
      }
    }
    std::sort(out.edits.begin(), out.edits.end(),
              [](const Edit& a, const Edit& b) { return a.byte_begin < b.byte_begin; });
    out.score = out.edits.size();
    out.spun = !out.edits.empty();
    return out;
  }
  std::vector<std::pair<std::string, std::string>> answers_;

 private:
  const SpinnerData& data_;
};

class Identity final : public System {
 public:
  std::string name() const override { return "identity"; }
  SystemOutput run(std::string_view) const override { return {}; }
};

TEST(Runner, PerfectAndIdentitySystemsScoreAtTheExtremes) {
  const SpinnerData data = fake_data();
  Oracle oracle(data);
  oracle.answers_ = {{"stated", "said"},          {"firm", "company"},
                     {"so as to", "in order to"}, {"counterfeit consciousness", "artificial intelligence"},
                     {"enhance", "increase"},     {"marketplace", "market"},
                     {"costs", "prices"},         {"account", "report"}};
  Identity identity;
  EvalConfig config;
  config.rates = {0.5, 1.0};
  config.lengths = {20};
  int coverage_calls = 0;
  const EvalResults r =
      run_evaluation(config, data, fake_excerpts(), {&oracle, &identity},
                     [&](const std::string&, const std::string&) { return ++coverage_calls % 2 == 0; });
  const json j = results_json(r);
  const auto& s = j["summary"];
  EXPECT_DOUBLE_EQ(s["identity/overall/recall"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(s["identity/clean/false_per_1k_tokens"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(s["identity/detection/auc"].get<double>(), 0.5);
  EXPECT_GT(s["oracle/style/phrase/recall"].get<double>(), 0.99);
  EXPECT_GT(s["oracle/style/tortured/recall"].get<double>(), 0.99);
  EXPECT_DOUBLE_EQ(s["oracle/overall/precision"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["oracle/detection/auc"].get<double>(), 1.0);
  EXPECT_NEAR(s["coverage/overall"].get<double>(), 0.5, 0.05);
  EXPECT_GT(coverage_calls, 20);
  EXPECT_EQ(r.excerpts.at(20), 6u);

  const std::string md = results_markdown(r);
  EXPECT_NE(md.find("| oracle | phrase | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("### Detection"), std::string::npos);

  json floors = json::parse(R"({"floors": [{"metric": "oracle/overall/recall", "min": 0.5},
                                            {"metric": "identity/overall/recall", "min": 0.5},
                                            {"metric": "identity/clean/false_per_1k_tokens", "max": 1},
                                            {"metric": "nobody/overall/recall", "min": 0}]})");
  const auto failures = check_floors(s, floors);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_NE(failures[0].find("identity/overall/recall"), std::string::npos);
  EXPECT_NE(failures[1].find("not measured"), std::string::npos);
  EXPECT_THROW(check_floors(s, json::parse(R"({"floors": [{"metric": "x"}]})")), Error);
}

// The spans-marked oracle picks, at each gold span, the original the LM
// prefers in context among those the table can have made the span from.
TEST(TableOracle, PicksTheLanguageModelsChoiceAmongTheTablesOriginalsAtEachGoldSpan) {
  const std::string models_dir = UNSPIN_MODELS_DIR;
  if (!std::filesystem::exists(models_dir + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << models_dir;
  const auto models = Models::load(ModelPaths::in_folder(models_dir));
  SpinnerData data;
  const GroupTable table = GroupTable::parse("company|firm\nsaid|stated\nbanana|firm\n", "t");
  const std::string text = "The firm stated that its profits rose.";
  std::vector<GoldEdit> gold{{4, 8, 4, 8, "firm", "company"}, {9, 15, 9, 15, "stated", "said"}};
  const auto oracle = make_table_oracle_system(*models, data, SpinStyle::kTableV2, table);
  EXPECT_EQ(oracle->name(), "oracle+table");
  SystemOutput out = oracle->run_with_gold(text, gold);
  ASSERT_EQ(out.edits.size(), 2u);
  EXPECT_EQ(out.edits[0].original, "company");
  EXPECT_EQ(out.edits[1].original, "said");
  EXPECT_TRUE(oracle->run(text).edits.empty());  // without the gold spans it knows nothing
  // Used symmetrically, "firm" comes back as another member of a line holding it.
  const auto symmetric = make_table_oracle_system(*models, data, SpinStyle::kSymmetric, table);
  out = symmetric->run_with_gold(text, {gold[0]});
  ASSERT_EQ(out.edits.size(), 1u);
  EXPECT_TRUE(out.edits[0].original == "company" || out.edits[0].original == "banana");
}

}  // namespace
}  // namespace unspin::eval
