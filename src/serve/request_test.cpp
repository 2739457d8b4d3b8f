// Request parsing of the service (src/serve/request.h): form data, the
// LanguageTool parameters and annotation, the native JSON body.
#include "serve/request.h"

#include "common/json_limits.h"

#include <gtest/gtest.h>

namespace unspin::serve {
namespace {

// The status and code of the RequestError `fn` throws ("" when none).
template <typename Fn>
std::pair<int, std::string> error_of(Fn fn) {
  try {
    fn();
  } catch (const RequestError& e) {
    return {e.status(), e.code()};
  }
  return {0, ""};
}

TEST(Urlencoded, DecodesPlusPercentAndEmptyValues) {
  const Params p = parse_urlencoded("text=a+b%20c%26d&language=en-US&flag&=x&empty=");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], std::make_pair(std::string("text"), std::string("a b c&d")));
  EXPECT_EQ(p[1].second, "en-US");
  EXPECT_EQ(p[2], std::make_pair(std::string("flag"), std::string()));
  EXPECT_EQ(p[3], std::make_pair(std::string(), std::string("x")));
  EXPECT_EQ(p[4].second, "");
  EXPECT_EQ(*find_param(p, "text"), "a b c&d");
  EXPECT_EQ(find_param(p, "missing"), nullptr);
}

TEST(Urlencoded, DecodesUtf8BytesAndKeepsTheFirstOfRepeatedNames) {
  const Params p = parse_urlencoded("text=%F0%9F%98%80%E4%B8%AD&text=second");
  EXPECT_EQ(*find_param(p, "text"), "\xF0\x9F\x98\x80\xE4\xB8\xAD");
}

TEST(Urlencoded, RefusesMalformedEscapes) {
  for (const char* bad : {"text=%", "text=%4", "text=%zz", "a=%G1"}) {
    EXPECT_EQ(error_of([&] { parse_urlencoded(bad); }), std::make_pair(400, std::string("usage"))) << bad;
  }
}

TEST(LanguageToolRequest, TextAndLanguage) {
  const LanguageToolRequest r = parse_languagetool_request(
      parse_urlencoded("language=en-US&text=Hello&enabledRules=X&level=picky&motherTongue=de"));
  EXPECT_EQ(r.text, "Hello");
  EXPECT_EQ(r.language, "en-US");
  EXPECT_FALSE(r.annotation);
}

TEST(LanguageToolRequest, MissingOrUnsupportedParameters) {
  EXPECT_EQ(error_of([] { parse_languagetool_request(parse_urlencoded("language=en-US")); }).first, 400);
  EXPECT_EQ(error_of([] { parse_languagetool_request(parse_urlencoded("text=hi")); }).first, 400);
  EXPECT_EQ(error_of([] { parse_languagetool_request(parse_urlencoded("text=hi&language=de-DE")); }).first, 400);
  EXPECT_EQ(error_of([] { parse_languagetool_request(parse_urlencoded("text=a&data=%7B%7D&language=en")); }).first,
            400);
  EXPECT_EQ(error_of([] { parse_languagetool_request(parse_urlencoded("text=hi&language=auto")); }).first, 0);
  EXPECT_TRUE(is_supported_language("EN-gb"));
  EXPECT_FALSE(is_supported_language("eng"));
  EXPECT_FALSE(is_supported_language("en-"));
}

TEST(Annotation, ChecksTextPartsAndMapsOffsetsBackOverMarkup) {
  // "<b>" "fast" "</b>" " car" with <p> read as a blank line.
  const AnnotatedText a =
      parse_annotation(R"({"annotation":[{"markup":"<p>","interpretAs":"\n\n"},{"text":"A "},{"markup":"<b>"},)"
                       R"({"text":"fast"},{"markup":"</b>"},{"text":" car"}]})");
  EXPECT_EQ(a.checked_text(), "\n\nA fast car");
  // "fast" is at 4..8 in the checked text and at 3+2+3 = 8..12 in the document.
  EXPECT_EQ(a.document_offset(4, false), 8u);
  EXPECT_EQ(a.document_offset(8, true), 12u);
  // "car": checked 9..12, document "<p>A <b>fast</b> car" 17..20.
  EXPECT_EQ(a.document_offset(9, false), 17u);
  EXPECT_EQ(a.document_offset(12, true), 20u);
  // Inside an interpretAs: the markup's start (or end).
  EXPECT_EQ(a.document_offset(1, false), 0u);
  EXPECT_EQ(a.document_offset(1, true), 3u);
}

TEST(Annotation, CountsUtf16UnitsForEmojiAndCjk) {
  // An emoji is 2 UTF-16 units, a CJK character 1.
  const AnnotatedText a =
      parse_annotation("{\"annotation\":[{\"markup\":\"<i>\xF0\x9F\x98\x80</i>\"},{\"text\":\"\xE4\xB8\xAD word\"}]}");
  EXPECT_EQ(a.document_offset(0, false), 9u);   // "<i>" 3 + emoji 2 + "</i>" 4
  EXPECT_EQ(a.document_offset(2, false), 11u);  // "word" after "中 "
}

TEST(Annotation, RefusesMalformedData) {
  for (const char* bad :
       {"", "[]", "{}", R"({"annotation":{}})", R"({"annotation":[1]})", R"({"annotation":[{}]})",
        R"({"annotation":[{"text":1}]})", R"({"annotation":[{"text":"a","markup":"b"}]})",
        R"({"annotation":[{"markup":"<b>","interpretAs":2}]})", "{\"annotation\":[{\"text\":\"\xFF\"}]}"}) {
    EXPECT_EQ(error_of([&] { parse_annotation(bad); }).first, 400) << bad;
  }
  EXPECT_EQ(error_of([] { parse_annotation("{"); }).second, "malformed_json");
  EXPECT_EQ(error_of([] { parse_annotation("{\"annotation\":[{\"text\":\"\xC3\"}]}"); }).second, "invalid_utf8");
}

TEST(NativeRequest, ReadsTextAndOptions) {
  const NativeRequest r = parse_native_request(
      R"({"text":"Some text here.","offsets":"utf16","threshold":0.7,"min_confidence":0.2,"allow":["pointy"],"id":7,"url":"u"})",
      1 << 20);
  EXPECT_EQ(r.text, "Some text here.");
  EXPECT_EQ(r.options.unit, report::OffsetUnit::kUtf16);
  EXPECT_DOUBLE_EQ(*r.options.threshold, 0.7);
  EXPECT_DOUBLE_EQ(*r.options.min_confidence, 0.2);
  EXPECT_EQ(r.options.allow, std::vector<std::string>{"pointy"});
  EXPECT_TRUE(r.options.overrides_engine());
  EXPECT_EQ(r.id, 7);
  EXPECT_EQ(r.url, "u");
  EXPECT_FALSE(parse_native_request(R"({"text":"x"})", 100).options.overrides_engine());
  const NativeRequest papers = parse_native_request(R"({"text":"x","papers":true})", 100);
  ASSERT_TRUE(papers.options.papers.has_value());
  EXPECT_TRUE(*papers.options.papers);
  EXPECT_TRUE(papers.options.overrides_engine());
  EXPECT_FALSE(*parse_native_request(R"({"text":"x","papers":false})", 100).options.papers);
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Issue 22: a 100,000-deep id or url crashed the service (stack overflow
// copying and dumping it); deep nesting anywhere is malformed_json now.
TEST(NativeRequest, DeepNestingIsMalformedJson) {
  for (const std::string& body :
       {"{\"text\":\"hi there\",\"id\":" + nested(100000) + "}",
        "{\"text\":\"hi there\",\"url\":" + nested(70000) + "}",
        "{\"text\":\"hi there\",\"id\":" + nested(kMaxValueDepth + 1) + "}", nested(100000)}) {
    EXPECT_EQ(error_of([&] { parse_native_request(body, 1 << 20); }),
              std::make_pair(400, std::string("malformed_json")))
        << body.substr(0, 60);
  }
  // At the limit the id is echoed as given.
  const NativeRequest r =
      parse_native_request("{\"text\":\"hi there\",\"id\":" + nested(kMaxValueDepth) + "}", 1 << 20);
  EXPECT_EQ(r.id.dump(), nested(kMaxValueDepth));
  EXPECT_EQ(error_of([&] { parse_annotation("{\"annotation\":" + nested(100000) + "}"); }).second, "malformed_json");
}

TEST(NativeRequest, EveryErrorHasItsCode) {
  const std::pair<const char*, std::pair<int, std::string>> cases[] = {
      {"{", {400, "malformed_json"}},
      {"", {400, "malformed_json"}},
      {"[1]", {400, "usage"}},
      {R"({"txt":"a"})", {400, "unknown_field"}},
      {R"({"text":"a","verbose":true})", {400, "unknown_field"}},
      {R"({})", {400, "usage"}},
      {R"({"text":5})", {400, "usage"}},
      {R"({"text":"a","offsets":"bytes"})", {400, "usage"}},
      {R"({"text":"a","threshold":2})", {400, "usage"}},
      {R"({"text":"a","threshold":"0.5"})", {400, "usage"}},
      {R"({"text":"a","allow":"x"})", {400, "usage"}},
      {R"({"text":"a","allow":[1]})", {400, "usage"}},
      {R"({"text":"a","papers":"yes"})", {400, "usage"}},
      {R"({"text":"a","papers":1})", {400, "usage"}},
      {R"({"text":""})", {400, "empty"}},
      {R"({"text":"   \n"})", {400, "empty"}},
      {"{\"text\":\"\xFF\"}", {400, "invalid_utf8"}},
      {R"({"text":"a\u0000b\u0001\u0002\u0003"})", {400, "binary"}},
      {R"({"text":"0123456789012345678901234567890123456789"})", {413, "too_large"}},
  };
  for (const auto& [body, expected] : cases) {
    EXPECT_EQ(error_of([&] { parse_native_request(body, 32); }), expected) << body;
  }
}

TEST(BatchOptions, FromTheQueryString) {
  const NativeOptions o = parse_batch_options(parse_urlencoded("offsets=utf16&threshold=0.25"));
  EXPECT_EQ(o.unit, report::OffsetUnit::kUtf16);
  EXPECT_DOUBLE_EQ(*o.threshold, 0.25);
  EXPECT_EQ(error_of([] { parse_batch_options(parse_urlencoded("threshold=abc")); }).second, "usage");
  EXPECT_EQ(error_of([] { parse_batch_options(parse_urlencoded("threshold=0.5x")); }).second, "usage");
  EXPECT_EQ(error_of([] { parse_batch_options(parse_urlencoded("lang=en")); }).second, "unknown_field");
  EXPECT_TRUE(*parse_batch_options(parse_urlencoded("papers=true")).papers);
  EXPECT_FALSE(*parse_batch_options(parse_urlencoded("papers=false")).papers);
  EXPECT_EQ(error_of([] { parse_batch_options(parse_urlencoded("papers=1")); }).second, "usage");
}

TEST(RequestErrorFrom, MapsSchemaCodesToHttpStatuses) {
  EXPECT_EQ(request_error_from(Error(ErrorCode::kTooLarge, "x")).status(), 413);
  EXPECT_EQ(request_error_from(Error(ErrorCode::kEmptyInput, "x")).code(), "empty");
  EXPECT_EQ(request_error_from(Error(ErrorCode::kBadModel, "x")).status(), 500);
}

}  // namespace
}  // namespace unspin::serve
