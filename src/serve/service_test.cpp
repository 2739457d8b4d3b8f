// In-process HTTP tests of the service: a Service on a free loopback port,
// every endpoint and every error through a real HTTP client. Needs the
// compiled default models (skipped before ./setup.sh has built them).
#include "serve/service.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "report/languagetool.h"
#include "report/report.h"

namespace unspin::serve {
namespace {

using nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string& spun_example() {
  static const std::string text = read_file(std::string(UNSPIN_SOURCE_DIR) + "/examples/spun-news.txt");
  return text;
}

// The example spinner table: with it the spun example has edits to find
// (the decoder alone restores few substitutions; README "Status").
std::string example_table() { return std::string(UNSPIN_SOURCE_DIR) + "/examples/spinner-table.txt"; }

ModelPaths model_paths() {
  ModelPaths paths = ModelPaths::in_folder(UNSPIN_MODELS_DIR);
  paths.user_lexicons = {example_table()};
  return paths;
}

bool have_models() { return std::filesystem::exists(std::string(UNSPIN_MODELS_DIR) + "/en-us.ulm"); }

// A running service for the tests of one fixture.
class Running {
 public:
  explicit Running(ServeOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    options.models = model_paths();
    service_ = std::make_unique<Service>(options);
    port_ = service_->bind();
    thread_ = std::thread([this] { service_->serve(); });
  }
  ~Running() {
    service_->stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

 private:
  std::unique_ptr<Service> service_;
  int port_ = 0;
  std::thread thread_;
};

class ServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have_models()) return;
    ServeOptions o;
    o.max_body = 64 * 1024;
    o.threads = 2;
    running_ = new Running(o);
    models_ = Models::load(model_paths()).release();
    restorer_ = new Restorer(*models_, RestoreOptions{});
  }
  static void TearDownTestSuite() {
    delete running_;
    delete restorer_;
    delete models_;
    running_ = nullptr;
  }
  void SetUp() override {
    if (!running_) GTEST_SKIP() << "no compiled models in " << UNSPIN_MODELS_DIR << " (run ./setup.sh)";
  }
  static httplib::Client client() { return running_->client(); }
  static json post_json(const std::string& path, const json& body, int expected_status) {
    auto res = client().Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body);
  }
  // The /v1 error code of a raw POST.
  static std::pair<int, std::string> error_of(const std::string& path, const std::string& body,
                                              const char* type = "application/json") {
    auto res = client().Post(path.c_str(), body, type);
    if (!res) return {0, "no answer"};
    json j = json::parse(res->body, nullptr, false);
    if (!j.is_object() || !j.contains("error")) return {res->status, "not an error object: " + res->body};
    EXPECT_TRUE(j["error"]["message"].is_string());
    EXPECT_TRUE(j["error"]["exit_code"].is_number_integer());
    return {res->status, j["error"]["code"].get<std::string>()};
  }

  static Running* running_;
  static Models* models_;
  static Restorer* restorer_;
};
Running* ServiceTest::running_ = nullptr;
Models* ServiceTest::models_ = nullptr;
Restorer* ServiceTest::restorer_ = nullptr;

TEST_F(ServiceTest, HealthzNamesTheModels) {
  auto res = client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const json j = json::parse(res->body);
  EXPECT_EQ(j["status"], "ok");
  ASSERT_EQ(j["models"].size(), 4u);
  EXPECT_EQ(j["models"][0]["role"], "lm");
  EXPECT_EQ(j["models"][2]["role"], "user_lexicon");
  EXPECT_EQ(j["models"][3]["role"], "listed_phrases");  // the built-in Paper Screener list
}

TEST_F(ServiceTest, V1CheckIsTheSchemaDocumentOfTheLibrary) {
  const json got = post_json("/v1/check", {{"text", spun_example()}, {"id", "doc-1"}}, 200);
  const json want =
      report::document_json(spun_example(), restorer_->run(spun_example()), report::OffsetUnit::kCodePoint, nullptr);
  for (const char* field : {"score", "verdict", "threshold", "matches", "reasons", "paragraphs", "restored",
                            "offset_unit", "language", "software", "words"}) {
    EXPECT_EQ(got[field], want[field]) << field;
  }
  EXPECT_FALSE(got["matches"].empty());
  EXPECT_EQ(got["id"], "doc-1");
  EXPECT_TRUE(got["provenance"]["models"].is_array());
}

TEST_F(ServiceTest, V1CheckOptionsChangeTheResult) {
  const std::string text = "\xF0\x9F\x98\x80 " + spun_example();  // emoji: 1 code point, 2 UTF-16 units
  const json cp = post_json("/v1/check", {{"text", text}}, 200);
  const json u16 = post_json("/v1/check", {{"text", text}, {"offsets", "utf16"}}, 200);
  ASSERT_FALSE(cp["matches"].empty());
  EXPECT_EQ(u16["offset_unit"], "utf16");
  EXPECT_EQ(u16["matches"][0]["offset"].get<int>(), cp["matches"][0]["offset"].get<int>() + 1);
  // threshold 0 calls every scored document spun; allow silences a span.
  EXPECT_EQ(post_json("/v1/check", {{"text", spun_example()}, {"threshold", 0.0}}, 200)["verdict"], "spun");
  // `allow` reaches the decoder: for a spun word the library stops
  // flagging when allowed, the service answers what the library answers.
  bool compared = false;
  for (const json& m : cp["matches"]) {
    const std::string word = m["spun"];
    RestoreOptions with_allow;
    with_allow.allow = {word};
    const DocumentResult direct = Restorer(*models_, with_allow).run(spun_example());
    if (direct.edits.size() >= cp["matches"].size()) continue;  // not silenced by allow (e.g. "firm's")
    const json allowed = post_json("/v1/check", {{"text", spun_example()}, {"allow", {word}}}, 200);
    EXPECT_EQ(allowed["matches"],
              report::document_json(spun_example(), direct, report::OffsetUnit::kCodePoint, nullptr)["matches"]);
    compared = true;
    break;
  }
  EXPECT_TRUE(compared) << "no spun word of the example is silenced by allow";
}

TEST_F(ServiceTest, V1RestoreMatchesTheLibrary) {
  const json got = post_json("/v1/restore", {{"text", spun_example()}}, 200);
  EXPECT_EQ(got["restored"], restorer_->run(spun_example()).restored);
  EXPECT_FALSE(got["edits"].empty());
  EXPECT_FALSE(got.contains("matches"));
}

TEST_F(ServiceTest, V1BatchAnswersLineByLine) {
  const std::string body = json{{"id", "a"}, {"text", spun_example()}}.dump() + "\n\n{not json\n" +
                           json{{"id", 3}, {"text", ""}}.dump() + "\n" +
                           json{{"id", "z"}, {"text", "A short clean line."}, {"url", "u"}}.dump();
  auto res = client().Post("/v1/batch", body, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  std::vector<json> lines;
  std::istringstream in(res->body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 5u);
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["line"], i + 1);
  EXPECT_EQ(lines[0]["id"], "a");
  EXPECT_EQ(lines[0]["restored"], restorer_->run(spun_example()).restored);
  EXPECT_EQ(lines[1]["error"]["code"], "usage");           // blank
  EXPECT_EQ(lines[2]["error"]["code"], "malformed_json");  // not JSON
  EXPECT_EQ(lines[3]["error"]["code"], "empty");
  EXPECT_EQ(lines[3]["id"], 3);
  EXPECT_EQ(lines[4]["url"], "u");
  EXPECT_EQ(lines[4]["verdict"], "too short");
}

// Issue 22: a bad line of a batch is answered with its error object, as
// `check --jsonl` answers it; the other lines are answered.
TEST_F(ServiceTest, V1BatchAnswersEveryLineOfABadBatch) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');  // under the fixture's --max-body
  const std::string body = json{{"id", "a"}, {"text", "A short clean line."}}.dump() + "\n" +
                           "{\"id\":\"b\",\"text\":\"caf\xE9\"}\n" + "{\"id\":" + deep + ",\"text\":\"x\"}\n" +
                           json{{"id", "d"}, {"text", "Another short line."}}.dump() + "\n";
  auto res = client().Post("/v1/batch", body, "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  std::vector<json> lines;
  std::istringstream in(res->body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["id"], "a");
  EXPECT_FALSE(lines[0].contains("error"));
  EXPECT_EQ(lines[1]["error"]["code"], "invalid_utf8");
  EXPECT_EQ(lines[2]["error"]["code"], "malformed_json");
  EXPECT_FALSE(lines[2].contains("id"));
  EXPECT_EQ(lines[3]["id"], "d");
  EXPECT_FALSE(lines[3].contains("error"));
}

// Requests at once, more than the fixture's 2 decode threads, each on a
// connection thread of its own: each gets the answer the library gives for
// its document alone (the decode threads share the models and nothing of a
// result). .ci/run's ThreadSanitizer stage runs this for races.
TEST_F(ServiceTest, ConcurrentRequestsGetTheAnswersOfOneAtATime) {
  const std::string clean = read_file(std::string(UNSPIN_SOURCE_DIR) + "/examples/clean-news.txt");
  std::vector<std::string> texts;
  for (int i = 0; i < 8; ++i) texts.push_back((i % 2 ? clean : spun_example()) + "\n\nItem " + std::to_string(i) + ".");
  std::vector<json> want;
  for (const std::string& t : texts) {
    want.push_back(report::document_json(t, restorer_->run(t), report::OffsetUnit::kCodePoint, nullptr));
  }
  std::vector<std::future<json>> answers;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      // Even requests check, odd ones restore: both paths at once.
      auto res =
          client().Post(i % 2 ? "/v1/restore" : "/v1/check", json{{"text", texts[i]}}.dump(), "application/json");
      if (!res || res->status != 200) return json{{"failed", res ? res->body : std::string("no answer")}};
      return json::parse(res->body);
    }));
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const json got = answers[i].get();
    ASSERT_FALSE(got.contains("failed")) << i << ": " << got["failed"];
    EXPECT_EQ(got["restored"], want[i]["restored"]) << i;
    if (i % 2) continue;
    for (const char* field : {"score", "verdict", "matches", "review", "reasons", "paragraphs"}) {
      EXPECT_EQ(got[field], want[i][field]) << i << ": " << field;
    }
  }
}

TEST_F(ServiceTest, V1DeepNestingIsMalformedJsonAndTheServerLives) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');  // under the fixture's --max-body
  EXPECT_EQ(error_of("/v1/check", "{\"text\":\"hi there\",\"id\":" + deep + "}"),
            std::make_pair(400, std::string("malformed_json")));
  EXPECT_EQ(error_of("/v1/restore", "{\"text\":\"hi there\",\"url\":" + deep + "}"),
            std::make_pair(400, std::string("malformed_json")));
  auto res = client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServiceTest, V1EveryErrorHasAJsonBodyWithAStableCode) {
  EXPECT_EQ(error_of("/v1/check", "{"), std::make_pair(400, std::string("malformed_json")));
  EXPECT_EQ(error_of("/v1/check", R"({"text":"a","lang":"en"})"), std::make_pair(400, std::string("unknown_field")));
  EXPECT_EQ(error_of("/v1/check", "{\"text\":\"caf\xE9\"}"), std::make_pair(400, std::string("invalid_utf8")));
  EXPECT_EQ(error_of("/v1/check", R"({"text":"  "})"), std::make_pair(400, std::string("empty")));
  EXPECT_EQ(error_of("/v1/restore", R"({"text":"a\u0000\u0001\u0002\u0003\u0004"})"),
            std::make_pair(400, std::string("binary")));
  EXPECT_EQ(error_of("/v1/check", std::string(70 * 1024, 'a')), std::make_pair(413, std::string("too_large")));
  EXPECT_EQ(error_of("/v1/batch", ""), std::make_pair(400, std::string("empty")));
  EXPECT_EQ(error_of("/v1/batch?lang=en", "{}"), std::make_pair(400, std::string("unknown_field")));
  EXPECT_EQ(error_of("/nowhere", "{}"), std::make_pair(404, std::string("not_found")));
  auto get = client().Get("/v1/check");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");
}

TEST_F(ServiceTest, V2CheckAnswersInLanguageToolsShapeWithUtf16Offsets) {
  const std::string prefix = "\xF0\x9F\x98\x80\xE4\xB8\xAD\xE6\x96\x87 ";  // emoji (2 units), two CJK (1 each), space
  httplib::Params form{{"text", prefix + spun_example()},
                       {"language", "en-US"},
                       {"enabledOnly", "false"},
                       {"motherTongue", "de-DE"},
                       {"level", "picky"}};
  auto res = client().Post("/v2/check", form);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json j = json::parse(res->body);
  EXPECT_EQ(j["software"]["apiVersion"], 1);
  EXPECT_EQ(j["language"]["code"], "en-US");
  EXPECT_EQ(j["language"]["detectedLanguage"]["code"], "en-US");
  EXPECT_EQ(j["offset_unit"], "utf16");
  const json plain =
      json::parse(client().Post("/v2/check", httplib::Params{{"text", spun_example()}, {"language", "en-US"}})->body);
  ASSERT_FALSE(plain["matches"].empty());
  ASSERT_EQ(j["matches"].size(), plain["matches"].size());
  for (std::size_t i = 0; i < plain["matches"].size(); ++i) {
    const json& m = j["matches"][i];
    EXPECT_EQ(m["offset"].get<int>(), plain["matches"][i]["offset"].get<int>() + 5);  // 2 + 1 + 1 + 1 units
    for (const char* field :
         {"message", "shortMessage", "replacements", "offset", "length", "context", "sentence", "rule"}) {
      EXPECT_TRUE(m.contains(field)) << field;
    }
    EXPECT_EQ(m["rule"]["category"]["id"], "SPUN_TEXT");
  }
}

TEST_F(ServiceTest, V2GetTakesTheSameParametersAsAQueryString) {
  httplib::Params params{{"text", spun_example()}, {"language", "auto"}};
  auto post = client().Post("/v2/check", params);
  auto get = client().Get(("/v2/check?" + httplib::detail::params_to_query_str(params)).c_str());
  ASSERT_TRUE(post && get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(json::parse(get->body)["matches"], json::parse(post->body)["matches"]);
}

TEST_F(ServiceTest, V2DataAnnotationOffsetsCountTheMarkup) {
  const json data = {
      {"annotation", json::array({{{"markup", "<p>"}, {"interpretAs", "\n\n"}}, {{"text", spun_example()}}})}};
  auto res = client().Post("/v2/check", httplib::Params{{"data", data.dump()}, {"language", "en-US"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json plain =
      json::parse(client().Post("/v2/check", httplib::Params{{"text", spun_example()}, {"language", "en-US"}})->body);
  const json j = json::parse(res->body);
  ASSERT_EQ(j["matches"].size(), plain["matches"].size());
  ASSERT_FALSE(j["matches"].empty());
  // "<p>" is 3 units of the document; the checked "\n\n" 2.
  EXPECT_EQ(j["matches"][0]["offset"].get<int>(), plain["matches"][0]["offset"].get<int>() + 3);
}

TEST_F(ServiceTest, V2ErrorsArePlainTextWith400AsLanguageTool) {
  const std::pair<httplib::Params, const char*> cases[] = {
      {{{"language", "en-US"}}, "Missing 'text' or 'data'"},
      {{{"text", "Hello"}}, "Missing 'language'"},
      {{{"text", "Hello"}, {"language", "fr"}}, "not a language code"},
      {{{"data", "{"}, {"language", "en"}}, "could not parse"},
      {{{"text", "caf\xE9"}, {"language", "en"}}, "not valid UTF-8"},
  };
  for (const auto& [params, message] : cases) {
    auto res = client().Post("/v2/check", params);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
    EXPECT_EQ(res->body.rfind("Error: ", 0), 0u) << res->body;
    EXPECT_NE(res->body.find(message), std::string::npos) << res->body;
  }
  // Empty text: no matches, as LanguageTool answers.
  auto empty = client().Post("/v2/check", httplib::Params{{"text", ""}, {"language", "en-US"}});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_TRUE(json::parse(empty->body)["matches"].empty());
  auto big = client().Post("/v2/check", "text=" + std::string(70 * 1024, 'a') + "&language=en",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(big->body.rfind("Error: ", 0), 0u);
}

TEST_F(ServiceTest, V2LanguagesListsEnglish) {
  auto res = client().Get("/v2/languages");
  ASSERT_TRUE(res);
  const json j = json::parse(res->body);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j[1]["longCode"], "en-US");
}

TEST_F(ServiceTest, PageAndAssetsAreServed) {
  for (const char* path : {"/", "/app.js", "/style.css"}) {
    auto res = client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_GT(res->body.size(), 500u) << path;
  }
  EXPECT_NE(client().Get("/")->body.find("/v1/check"), std::string::npos);
}

TEST_F(ServiceTest, MetricsCountRequestsByRouteAndStatus) {
  post_json("/v1/check", {{"text", "One small test sentence."}}, 200);
  error_of("/v1/check", "{");
  // The access log and metrics are written after the answer: poll briefly.
  std::string m;
  for (int i = 0; i < 100; ++i) {
    auto res = client().Get("/metrics");
    ASSERT_TRUE(res);
    m = res->body;
    if (m.find("code=\"malformed_json\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(m.find("unspin_http_requests_total{route=\"/v1/check\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(m.find("unspin_http_requests_total{route=\"/v1/check\",status=\"400\"}"), std::string::npos);
  EXPECT_NE(m.find("unspin_http_errors_total{route=\"/v1/check\",code=\"malformed_json\"}"), std::string::npos);
  EXPECT_NE(m.find("unspin_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(m.find("unspin_http_request_bytes_total{route=\"/v1/check\"}"), std::string::npos);
}

// One decode thread and no queue: of several documents sent at once, the
// ones that find the thread busy get 503 with Retry-After, the others 200.
TEST(ServiceLimits, FullQueueAnswers503WithRetryAfter) {
  if (!have_models()) GTEST_SKIP() << "no compiled models";
  ServeOptions o;
  o.threads = 1;
  o.queue = 0;
  o.max_body = 4u << 20;
  Running running(o);
  std::string text;
  while (text.size() < 150 * 1024) text += spun_example() + "\n\n";
  const std::string body = json{{"text", text}}.dump();
  std::vector<std::future<std::pair<int, std::string>>> answers;
  for (int i = 0; i < 4; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      auto res = running.client().Post("/v1/check", body, "application/json");
      if (!res) return std::make_pair(0, std::string());
      return std::make_pair(res->status, res->get_header_value("Retry-After"));
    }));
  }
  int ok = 0, busy = 0;
  for (auto& a : answers) {
    const auto [status, retry_after] = a.get();
    if (status == 200) ++ok;
    if (status == 503) {
      ++busy;
      EXPECT_EQ(retry_after, "1");
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(busy, 1);
  EXPECT_EQ(ok + busy, 4);
}

}  // namespace
}  // namespace unspin::serve
