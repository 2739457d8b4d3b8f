// parse_untrusted_json's fast path for flat objects (json_limits.cpp,
// parse_flat_object) gives what nlohmann::json::parse gives: the same value,
// of the same types, for every text it takes, and the same MalformedJson for
// every text nlohmann refuses (it hands those to nlohmann). Crafted lines
// and random ones built from JSON's pieces, well-formed or not.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json_limits.h"

namespace unspin {
namespace {

using nlohmann::json;

// parse_untrusted_json(text) against nlohmann: equal values and types
// (dump compares types too: 1 vs 1.0, "1" vs 1), or the same error message.
void expect_as_nlohmann(const std::string& text) {
  std::string want, got;
  // The dump, then each member's type (an unsigned and a signed 5 dump alike).
  const auto describe = [](const json& j) {
    std::string d = j.dump();
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) d += " " + k + ":" + std::to_string(static_cast<int>(v.type()));
    }
    return d;
  };
  try {
    want = describe(json::parse(text));
  } catch (const json::exception& e) {
    want = std::string("error: line: ") + e.what();
  }
  try {
    got = describe(parse_untrusted_json(text, "line"));
  } catch (const MalformedJson& e) {
    got = std::string("error: ") + e.what();
  }
  EXPECT_EQ(got, want) << text;
}

TEST(JsonFastPath, CraftedLines) {
  for (const std::string text : {R"({"id": 1, "text": "plain"})",
                                 R"({"id":"a","text":"x","url":"https://e.example/p?q=1"})",
                                 "{}",
                                 " { } ",
                                 "\t{\"a\":\"b\"}\r\n",
                                 R"({"a":-12,"b":0,"c":123456789012345678,"d":1234567890123456789})",
                                 R"({"a":-0})",
                                 R"({"a":01})",
                                 R"({"a":1.5})",
                                 R"({"a":1e3})",
                                 R"({"a":-})",
                                 R"({"a":true,"b":false,"c":null})",
                                 R"({"a":tru})",
                                 R"({"a":nul})",
                                 R"({"a":"\"\\\/\b\f\n\r\t"})",
                                 R"({"a":"\u0041\u00e9\u20ac\ud83d\ude00"})",
                                 R"({"a":"\u0000"})",
                                 R"({"a":"\ud83d"})",
                                 R"({"a":"\ude00"})",
                                 R"({"a":"\ud83dx"})",
                                 R"({"a":"\u12"})",
                                 R"({"a":"\x"})",
                                 "{\"a\":\"tab\there\"}",
                                 "{\"a\":\"caf\xC3\xA9\"}",
                                 "{\"a\":\"bad \xC3\"}",
                                 "{\"a\":\"\xED\xA0\x80\"}",
                                 "{\"a\":\"\xF4\x90\x80\x80\"}",
                                 "{\"a\":\"\xC0\xAF\"}",
                                 "{\"a\":\"\xF0\x9F\x98\x80\"}",
                                 R"({"a":"x","a":"y"})",
                                 R"({"a":[1]})",
                                 R"({"a":{"b":1}})",
                                 R"({"a":"x",})",
                                 R"({"a" "x"})",
                                 R"({"a":"x"} x)",
                                 R"({"a":"x"}})",
                                 R"({"a":"unterminated)",
                                 R"({a:1})",
                                 "\xEF\xBB\xBF{\"a\":1}",
                                 "[1,2]",
                                 "\"s\"",
                                 "",
                                 "  ",
                                 R"({"text":"\u00")",
                                 R"({"k\"ey":"v","k\\ey":"w"})",
                                 R"({"":""})"}) {
    expect_as_nlohmann(text);
  }
}

TEST(JsonFastPath, RandomLinesFromJsonPieces) {
  std::mt19937 rng(17);
  const std::vector<std::string> pieces = {"{",         "}",
                                           "\"",        "\"id\"",
                                           "\"text\"",  ":",
                                           ",",         " ",
                                           "\"value\"", "1",
                                           "-2",        "0",
                                           "07",        "1.5",
                                           "true",      "false",
                                           "null",      "\\\"",
                                           "\\\\",      "\\n",
                                           "\\u00e9",   "\\ud83d\\ude00",
                                           "\\ud83d",   "\xC3\xA9",
                                           "\xC3",      "\t",
                                           "\n",        "[",
                                           "]",         "e5",
                                           "x",         "\x01"};
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    if (trial % 2 == 0) {  // mostly well-formed: {"k": v, ...} with random pieces inside strings
      text = "{";
      const int members = static_cast<int>(rng() % 4);
      for (int m = 0; m < members; ++m) {
        if (m) text += rng() % 20 ? "," : "";
        text += "\"k" + std::to_string(rng() % 5);
        for (int k = static_cast<int>(rng() % 3); k > 0; --k) text += pieces[17 + rng() % 8];
        text += "\":";
        switch (rng() % 4) {
          case 0: text += std::to_string(static_cast<int>(rng() % 2000) - 1000); break;
          case 1: text += pieces[14 + rng() % 3]; break;
          default: {
            text += '"';
            for (int k = static_cast<int>(rng() % 6); k > 0; --k) text += rng() % 3 ? "word " : pieces[17 + rng() % 8];
            text += '"';
          }
        }
      }
      text += rng() % 30 ? "}" : "";
    } else {
      for (int k = static_cast<int>(rng() % 12); k > 0; --k) text += pieces[rng() % pieces.size()];
    }
    expect_as_nlohmann(text);
  }
}

}  // namespace
}  // namespace unspin
