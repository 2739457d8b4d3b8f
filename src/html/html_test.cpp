#include "html/html.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "unspin/error.h"
#include "unspin/text.h"

namespace unspin::html {
namespace {

TEST(HtmlVisibleText, BlocksBecomeParagraphsAndHiddenElementsVanish) {
  const std::string page =
      "<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>"
      "<script>var x = 'not text';</script><noscript>enable js</noscript>"
      "<template><p>inert</p></template>"
      "<h1>Prices   rise</h1><p>The firm&#8217;s chief <b>executive</b>\n said &amp; left.</p>"
      "<div>Second<br>line</div><!-- a comment --></body></html>";
  EXPECT_EQ(visible_text(page), "Prices rise\n\nThe firm\xE2\x80\x99s chief executive said & left.\n\nSecond\nline\n");
}

TEST(HtmlVisibleText, EntitiesAndInlineElementsJoinWithoutSpaces) {
  EXPECT_EQ(visible_text("<p>caf&eacute; <i>un</i>spun &lt;tag&gt; &nbsp;x</p>"),
            "caf\xC3\xA9 unspun <tag> \xC2\xA0x\n");
}

TEST(HtmlVisibleText, PreKeepsLayoutAndCellsAreSeparated) {
  EXPECT_EQ(visible_text("<pre>a  b\n c</pre><table><tr><td>one</td><td>two</td></tr></table>"),
            "a  b\n c\n\none two\n");
}

TEST(HtmlVisibleText, PlainTextAndEmptyPages) {
  EXPECT_EQ(visible_text("just words"), "just words\n");
  EXPECT_EQ(visible_text(""), "");
  EXPECT_EQ(visible_text("<script>only()</script>"), "");
}

TEST(HtmlVisibleText, NestingUpToTheLimitIsParsed) {
  std::string page;
  for (std::size_t i = 0; i < kMaxNesting; ++i) page += "<span>";
  page += "deep";
  EXPECT_EQ(visible_text(page), "deep\n");
}

TEST(HtmlVisibleText, TooDeeplyNestedElementsAreRefusedQuickly) {
  std::string page;
  for (int i = 0; i < 200000; ++i) page += "<div>";
  EXPECT_THROW(visible_text(page), Error);
  // Thousands of unclosed <p> and <li> and void elements are ordinary tag soup.
  std::string soup;
  for (int i = 0; i < 20000; ++i) soup += "<p>para <li>item<br><img src=x>";
  EXPECT_EQ(nesting_estimate(soup), 0u);
  EXPECT_NO_THROW(visible_text(soup));
  EXPECT_EQ(nesting_estimate("<div><div></div><div><span>x</span></div></div>"), 3u);
}

TEST(HtmlVisibleText, OverflowingCharacterReferenceGivesValidUtf8) {
  // Found by fuzz_html: gumbo let a lone 0x80 byte through for this page.
  std::ifstream in(std::string(UNSPIN_SOURCE_DIR) + "/fuzz/corpus/html/overflowing-char-ref.html", std::ios::binary);
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(page.empty());
  const std::string text = visible_text(page);
  EXPECT_FALSE(find_invalid_utf8(text).has_value()) << text;
}

TEST(HtmlVisibleText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(visible_text("<p>a\xFF"
                         "b</p>"),
            "a\xEF\xBF\xBD"
            "b\n");
}

}  // namespace
}  // namespace unspin::html
