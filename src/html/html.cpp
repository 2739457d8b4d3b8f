#include "html/html.h"
#include "html/tags.h"

#include "unspin/error.h"
#include "unspin/text.h"

#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace unspin::html {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Appends text with the break rules of visible_text(): pending breaks are
// written only before the next visible character, so leading, trailing and
// repeated breaks never pile up.
class Writer {
 public:
  void text(const char* s, bool preformatted) {
    for (; *s; ++s) {
      const char c = *s;
      if (preformatted) {
        if (c == '\r') continue;
        if (c == '\n') {
          flush();
          if (!out_.empty()) out_ += '\n';  // the text never starts with a line break
          continue;
        }
        flush();
        out_ += c;
        continue;
      }
      if (is_space(c)) {
        if (pending_ == 0 && !out_.empty() && out_.back() != ' ' && out_.back() != '\n') pending_ = 1;
        continue;
      }
      flush();
      out_ += c;
    }
  }
  // 1: a space, 2: a line break, 3: a paragraph break (blank line).
  void brk(int level) {
    if (pending_ < level) pending_ = level;
  }
  std::string take() { return std::move(out_); }

 private:
  void flush() {
    if (!out_.empty()) {
      if (pending_ == 1 && out_.back() != '\n' && out_.back() != ' ') out_ += ' ';
      if (pending_ == 2 && out_.back() != '\n') out_ += '\n';
      if (pending_ == 3) {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        if (!out_.empty() && out_.back() != '\n') out_ += '\n';
        if (!out_.empty()) out_ += '\n';
      }
    }
    pending_ = 0;
  }
  std::string out_;
  int pending_ = 0;
};

// Gumbo records every parse error with a copy of the stack of open
// elements, which is quadratic on deeply nested tag soup (20,000 unclosed
// <span>s: 3.2 GB, 7.7 s); the errors are not used, so none are recorded.
GumboOptions parse_options() {
  GumboOptions o = kGumboDefaultOptions;
  o.max_errors = 0;
  return o;
}
const GumboOptions kOptions = parse_options();

struct OutputDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kOptions, o); }
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Elements that are void or closed implicitly by their siblings: they do not
// deepen the tree however many are left open.
bool never_nests(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "area",  "base", "br", "col", "embed",    "hr",      "img",  "input", "link",   "meta",     "source", "track",
      "wbr",   "p",    "li", "dt",  "dd",       "tr",      "td",   "th",    "option", "optgroup", "thead",  "tbody",
      "tfoot", "rb",   "rt", "rp",  "colgroup", "caption", "html", "head",  "body",   "param",    "keygen"};
  for (std::string_view n : kNames) {
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return a == (b | 0x20); })) {
      return true;
    }
  }
  return false;
}

// Gumbo's text is valid UTF-8 except in corner cases (fuzz_html found a
// numeric character reference that overflows, "&#x1F6111...0;", coming out
// as a lone 0x80 byte): every invalid byte becomes U+FFFD.
std::string valid_utf8(std::string s) {
  std::string out;
  std::size_t pos = 0;
  while (const auto bad = find_invalid_utf8(std::string_view(s).substr(pos))) {
    out.append(s, pos, *bad);
    out += "\xEF\xBF\xBD";
    pos += *bad + 1;
  }
  if (pos == 0) return s;
  out.append(s, pos);
  return out;
}

}  // namespace

std::size_t nesting_estimate(std::string_view html) {
  std::size_t depth = 0, deepest = 0;
  for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 2;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t b = i + 1 + closing, e = b;
    while (e < html.size() && is_name_char(html[e])) ++e;
    if (e == b || !((html[b] | 0x20) >= 'a' && (html[b] | 0x20) <= 'z')) continue;
    if (never_nests(html.substr(b, e - b))) continue;
    const std::size_t gt = html.find('>', e);
    if (!closing && gt != std::string_view::npos && gt > e && html[gt - 1] == '/') continue;  // <x/>
    if (closing)
      depth -= depth > 0;
    else
      deepest = std::max(deepest, ++depth);
  }
  return deepest;
}

std::string visible_text(std::string_view html) {
  if (const std::size_t depth = nesting_estimate(html); depth > kMaxNesting) {
    throw Error(ErrorCode::kBadData, "the HTML nests about " + std::to_string(depth) + " elements deep; at most " +
                                         std::to_string(kMaxNesting) +
                                         " are supported (parsing time grows with the square of the depth)");
  }
  std::unique_ptr<GumboOutput, OutputDeleter> doc(gumbo_parse_with_options(&kOptions, html.data(), html.size()));
  Writer w;
  // Iterative pre-order walk; a frame is re-visited after its children
  // (exit = true) to close blocks and <pre>.
  struct Frame {
    const GumboNode* node;
    bool exit;
  };
  std::vector<Frame> stack{{doc->root, false}};
  int pre_depth = 0;
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    switch (n->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA: w.text(n->v.text.text, pre_depth > 0); continue;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
      case GUMBO_NODE_DOCUMENT: break;
      default:  // comments
        continue;
    }
    const GumboTag tag = n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : n->v.element.tag;
    if (f.exit) {
      if (tag == GUMBO_TAG_PRE) --pre_depth;
      if (block_tag(tag))
        w.brk(3);
      else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
        w.brk(1);
      continue;
    }
    if (n->type != GUMBO_NODE_DOCUMENT && hidden_tag(tag)) continue;
    if (tag == GUMBO_TAG_BR) {
      w.brk(2);
      continue;
    }
    if (block_tag(tag)) w.brk(3);
    if (tag == GUMBO_TAG_PRE) ++pre_depth;
    stack.push_back({n, true});
    const GumboVector& children = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = children.length; i-- > 0;) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i]), false});
    }
  }
  std::string out = valid_utf8(w.take());
  while (!out.empty() && is_space(out.back())) out.pop_back();
  if (!out.empty()) out += '\n';
  return out;
}

}  // namespace unspin::html
