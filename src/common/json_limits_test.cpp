#include "common/json_limits.h"

#include <gtest/gtest.h>

namespace unspin {
namespace {

std::string nested(std::size_t depth, const std::string& inside = "1") {
  return std::string(depth, '[') + inside + std::string(depth, ']');
}

TEST(JsonLimits, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_nesting_depth("1"), 0u);
  EXPECT_EQ(json_nesting_depth("[1]"), 1u);
  EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":[]}]})"), 4u);
  EXPECT_EQ(json_nesting_depth(R"({"a":"[[[[{{{{"})"), 1u);
  EXPECT_EQ(json_nesting_depth(R"({"a":"\"[[[["})"), 1u);  // an escaped quote does not end the string
  EXPECT_EQ(json_nesting_depth(R"({"a":"\\"}[[)"), 2u);    // an escaped backslash does
  EXPECT_EQ(json_nesting_depth("]]]][[1]]"), 2u);          // stray closers never go below 0
  EXPECT_EQ(json_nesting_depth("\"unterminated [[[[", 3), 0u);
  EXPECT_EQ(json_nesting_depth(nested(100000), 512), 513u);  // stops past the limit
}

TEST(JsonLimits, ValueDepthMatchesTextDepth) {
  for (const char* text : {"1", "[]", "[[1],[[2]]]", R"({"a":{"b":{"c":[1]}}})", R"([{"x":[]},3])"}) {
    EXPECT_EQ(json_value_depth(nlohmann::json::parse(text), 100), json_nesting_depth(text)) << text;
  }
  EXPECT_EQ(json_value_depth(nlohmann::json::parse(nested(200)), 64), 65u);
}

TEST(JsonLimits, ParseRefusesDeepDocumentsBeforeParsing) {
  EXPECT_NO_THROW(parse_untrusted_json(nested(kMaxJsonDepth), "x"));
  EXPECT_THROW(parse_untrusted_json(nested(kMaxJsonDepth + 1), "x"), MalformedJson);
  // The issue's input: 100,000 deep under a field; a crash (stack overflow
  // on copy or dump) before the limit existed.
  const std::string line = "{\"id\":" + nested(100000) + ",\"text\":\"hi\"}";
  try {
    parse_untrusted_json(line, "line 1");
    FAIL() << "accepted";
  } catch (const MalformedJson& e) {
    EXPECT_NE(std::string(e.what()).find("line 1: nested more than 512"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_untrusted_json("{\"a\":", "x"), MalformedJson);
  EXPECT_THROW(parse_untrusted_json("", "x"), MalformedJson);
}

TEST(JsonLimits, RequireShallow) {
  EXPECT_NO_THROW(require_shallow(nlohmann::json::parse(nested(kMaxValueDepth)), "id"));
  EXPECT_THROW(require_shallow(nlohmann::json::parse(nested(kMaxValueDepth + 1)), "id"), MalformedJson);
  EXPECT_NO_THROW(require_shallow("a string", "id"));
}

}  // namespace
}  // namespace unspin
