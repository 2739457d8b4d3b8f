// HTML input (`check --html`, the "html" field of --jsonl): reduces a page to
// the text a reader sees, with Debian's libgumbo (an HTML5 parser: the same
// tree a browser builds from malformed markup).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace unspin::html {

// The visible text of `html` (UTF-8; invalid sequences become U+FFFD in
// gumbo's tree, so the result is always valid UTF-8):
//  - the contents of <head>, <script>, <style>, <noscript>, <template>,
//    <iframe>, <object>, <svg>, <math> and comments are dropped;
//  - block elements (p, div, h1-h6, li, tr, blockquote, section, ...) become
//    paragraph breaks (one blank line), <br> a line break, table cells a space;
//  - runs of whitespace inside text collapse to one space (as a browser
//    renders them), except inside <pre>, which keeps its layout;
//  - character references (&amp; &eacute; &#8217;) are decoded by the parser.
// Offsets reported for HTML input point into this text (docs/SCHEMA.md §1).
// Bad markup is parsed as a browser would; the tree walk is iterative, so
// deep nesting cannot overflow the stack. The one refusal: HTML5 tree
// building costs time proportional to the depth for each tag (gumbo: 200,000
// nested <div>s took 218 s), so a page whose nesting_estimate() exceeds
// kMaxNesting throws Error(kBadData) (browsers cap the depth too: Blink at 512).
inline constexpr std::size_t kMaxNesting = 4096;
std::string visible_text(std::string_view html);

// The deepest nesting of elements the tags of `html` suggest (start tags
// minus end tags, leaving out void elements, those closed implicitly such as
// <p> and <li>, comments and self-closed tags); linear, no parsing.
std::size_t nesting_estimate(std::string_view html);

}  // namespace unspin::html
