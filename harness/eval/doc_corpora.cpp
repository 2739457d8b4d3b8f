#include "eval/doc_corpora.h"

#include <gumbo.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <unordered_map>

#include "html/html.h"
#include "html/tags.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace fs = std::filesystem;
namespace {

// ---------------------------------------------------------------- files

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, "cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A plain or gzip-compressed file (man pages are installed gzipped).
std::string read_maybe_gz(const fs::path& path) {
  if (path.extension() != ".gz") return read_all(path);
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw Error(ErrorCode::kIo, "cannot read " + path.string());
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  const bool failed = n < 0;
  gzclose(f);
  if (failed) throw Error(ErrorCode::kBadData, path.string() + ": not a valid gzip file");
  return out;
}

[[noreturn]] void missing(const std::string& source, const std::string& package, const fs::path& what) {
  throw Error(ErrorCode::kIo, "corpus source " + source + " reads the Debian package " + package + ", but " +
                                  what.string() + " is missing; install it with `apt-get install " + package +
                                  "` (setup.sh does)");
}

// The regular files (or links to them) of `dir` whose name ends with `suffix`, sorted.
std::vector<fs::path> files_ending(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix) && e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Collapses whitespace runs (and UTF-8 no-break spaces) to one space, trimmed.
std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
      ++i;
      c = ' ';
    }
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Ends in . ! ? or : with closing quotes or brackets after it.
bool ends_sentence(std::string_view s) {
  for (;;) {
    while (!s.empty() && std::strchr("\"')]", s.back())) s.remove_suffix(1);
    if (s.ends_with("\xE2\x80\x9D") || s.ends_with("\xE2\x80\x99")) {
      s.remove_suffix(3);
      continue;
    }
    break;
  }
  return !s.empty() && std::strchr(".!?:", s.back());
}

// No space before , ; ) or a final . and none after ( : where markup was
// dropped next to punctuation ("JavaScript [1])." -> "JavaScript).").
std::string tighten(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && i + 1 < s.size()) {
      const char n = s[i + 1];
      const bool end_after = i + 2 >= s.size() || s[i + 2] == ' ';
      if (n == ',' || n == ';' || n == ')' || (n == '.' && end_after)) continue;
      if (!out.empty() && out.back() == '(') continue;
    }
    out += s[i];
  }
  return out;
}

// A paragraph's prose sentences, the first marked as a paragraph start.
void add_paragraph(std::vector<Sentence>& out, std::string_view text) {
  const std::string clean = tighten(collapse(text));
  if (clean.empty()) return;
  // split_sentences also cuts before a capitalised word after an opening
  // quote ("see Section 9.1.2, “The screen program”) session"): a piece whose
  // predecessor does not end a sentence goes back onto it.
  std::vector<Sentence> pieces;
  for (Sentence& s : split_sentences(clean)) {
    if (!pieces.empty() && !ends_sentence(pieces.back().text)) {
      pieces.back().text += ' ';
      pieces.back().text += s.text;
    } else {
      pieces.push_back(std::move(s));
    }
  }
  bool first = true;
  for (Sentence& s : pieces) {
    if (!prose_sentence(s.text)) continue;
    s.paragraph_start = first;
    first = false;
    out.push_back(std::move(s));
  }
}

// ---------------------------------------------------------------- prose filter

bool is_letter_byte(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

bool word_token(std::string_view t) {
  // Surrounding punctuation and quotes (ASCII and the UTF-8 curly ones).
  auto strip_front = [&] {
    for (;;) {
      if (t.empty()) return;
      if (std::strchr("\"'([{", t.front())) {
        t.remove_prefix(1);
        continue;
      }
      if (t.starts_with("\xE2\x80\x9C") || t.starts_with("\xE2\x80\x98")) {
        t.remove_prefix(3);
        continue;
      }
      return;
    }
  };
  auto strip_back = [&] {
    for (;;) {
      if (t.empty()) return;
      if (std::strchr("\"')]}.,;:!?", t.back())) {
        t.remove_suffix(1);
        continue;
      }
      if (t.ends_with("\xE2\x80\x9D") || t.ends_with("\xE2\x80\x99")) {
        t.remove_suffix(3);
        continue;
      }
      return;
    }
  };
  strip_front();
  const std::string_view before_back = t;
  strip_back();
  if (t.empty()) return false;
  // A man page reference, as technical prose cites them: "grub-install(8)",
  // "crypt(3)," "(see nsenter(1))." (unbalanced closing brackets are the sentence's).
  if (const std::size_t open = before_back.find('('); open != std::string_view::npos && open > 0) {
    std::string_view r = before_back;
    while (!r.empty() && std::strchr(".,;:!?\"'", r.back())) r.remove_suffix(1);
    while (r.ends_with(")") && std::count(r.begin(), r.end(), ')') > std::count(r.begin(), r.end(), '(')) {
      r.remove_suffix(1);
    }
    const std::string_view name = r.substr(0, open), sect = r.substr(open);
    const bool ref = (sect.size() == 3 || (sect.size() == 4 && sect[2] >= 'a' && sect[2] <= 'z')) &&
                     std::isdigit(static_cast<unsigned char>(sect[1])) && sect.back() == ')';
    return ref && std::isalpha(static_cast<unsigned char>(name.front())) &&
           std::all_of(name.begin(), name.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
           });
  }
  // A plain number: digits with , . separators ("3.11", "1,200").
  if (std::all_of(t.begin(), t.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '.'; })) {
    return std::isdigit(static_cast<unsigned char>(t.front()));
  }
  // An abbreviation with inner dots: one- or two-letter segments ("e.g.", "U.S.").
  if (t.find('.') != std::string_view::npos) {
    std::string_view a = before_back;
    while (!a.empty() && std::strchr("\"')]},;:!?", a.back())) a.remove_suffix(1);
    if (a.empty() || a.back() != '.') return false;
    std::size_t seg = 0;
    for (char c : a) {
      if (c == '.') {
        if (seg == 0 || seg > 2) return false;
        seg = 0;
      } else if (std::isalpha(static_cast<unsigned char>(c))) {
        ++seg;
      } else {
        return false;
      }
    }
    return true;
  }
  // Letters with inner hyphens or apostrophes (ASCII or U+2019).
  if (!is_letter_byte(static_cast<unsigned char>(t.front()))) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (is_letter_byte(c)) continue;
    if ((c == '-' || c == '\'') && i + 1 < t.size() && is_letter_byte(static_cast<unsigned char>(t[i + 1]))) continue;
    return false;
  }
  // Non-ASCII bytes must be letters, not symbols: reject the common symbol
  // blocks (arrows, box drawing, math operators) outright.
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    if (t[i] == '\xE2' && (t[i + 1] == '\x86' || t[i + 1] == '\x88' || t[i + 1] == '\x94' || t[i + 1] == '\x96'))
      return false;
  }
  return true;
}

}  // namespace

bool prose_sentence(std::string_view s) {
  static constexpr std::string_view kMarkup[] = {
      "\\", "``", "::", "{}", "${", "$(", "&&", "||", "==", "->", "=>", "</", "/>", "#!", ".so ", "]]", "[["};
  for (std::string_view m : kMarkup) {
    if (s.find(m) != std::string_view::npos) return false;
  }
  for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    if (i + 1 < s.size() && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '!')) return false;
  }
  for (std::size_t i = s.find('&'); i != std::string_view::npos; i = s.find('&', i + 1)) {
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == '#') ++j;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i + 1 && j < s.size() && s[j] == ';') return false;
  }
  if (!ends_sentence(s)) return false;
  std::size_t tokens = 0, words = 0, pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    std::size_t e = pos;
    while (e < s.size() && !is_space(s[e])) ++e;
    if (e == pos) break;
    const std::string_view t = s.substr(pos, e - pos);
    pos = e;
    // Lone punctuation (a dash, an ellipsis) is neither word nor noise.
    if (std::none_of(t.begin(), t.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c < 0; })) {
      if (t.find_first_not_of("-.,;:!?\"'()") != std::string_view::npos && t != "\xE2\x80\x94" && t != "\xE2\x80\x93")
        ++tokens;
      continue;
    }
    ++tokens;
    words += word_token(t);
  }
  return tokens >= 4 && words * 5 >= tokens * 4;
}

// ---------------------------------------------------------------- HTML

namespace {

GumboOptions parse_options() {
  GumboOptions o = kGumboDefaultOptions;
  o.max_errors = 0;  // errors are not used; recording them is quadratic on tag soup (html.cpp)
  return o;
}
const GumboOptions kOptions = parse_options();
struct OutputDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kOptions, o); }
};

// Skipped with their content: what a page never shows (html::hidden_tag),
// and what is no running prose (code, tables, navigation, captions, minor
// headings).
bool skipped_tag(GumboTag tag) {
  if (html::hidden_tag(tag)) return true;
  switch (tag) {
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_PLAINTEXT: return true;
    default: return false;
  }
}

bool block_tag(GumboTag tag) { return html::block_tag(tag) || tag == GUMBO_TAG_BR; }

bool inline_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
    case GUMBO_TAG_I:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_ACRONYM: return true;
    default: return false;
  }
}

// Classes of DocBook and Sphinx output that hold no running prose.
constexpr std::string_view kSkipClasses[] = {"toc",
                                             "navheader",
                                             "navfooter",
                                             "sphinxsidebar",
                                             "related",
                                             "footer",
                                             "screen",
                                             "programlisting",
                                             "synopsis",
                                             "cmdsynopsis",
                                             "funcsynopsis",
                                             "literallayout",
                                             "table",
                                             "informaltable",
                                             "table-contents",
                                             "example",
                                             "informalexample",
                                             "figure",
                                             "mediaobject",
                                             "list-of-tables",
                                             "list-of-examples",
                                             "list-of-figures",
                                             "admonition-title",
                                             "toctree-wrapper",
                                             "contents",
                                             "headerlink",
                                             "linenos",
                                             "inline-search",
                                             "version_switcher_placeholder",
                                             "language_switcher_placeholder",
                                             "mobile-nav",
                                             "footnote-reference",
                                             "rubric",
                                             "breadcrumbs",
                                             "searchbox",
                                             "copyright",
                                             "legalnotice",
                                             "doctest",
                                             "navigation",
                                             "topic"};

const GumboAttribute* attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  return gumbo_get_attribute(&n->v.element.attributes, name);
}

bool skipped_class(const GumboNode* n) {
  const GumboAttribute* c = attr(n, "class");
  if (!c) return false;
  std::string_view v = c->value;
  while (!v.empty()) {
    const std::size_t sp = v.find(' ');
    const std::string_view cls = v.substr(0, sp);
    v = sp == std::string_view::npos ? std::string_view{} : v.substr(sp + 1);
    if (cls.starts_with("highlight")) return true;  // Sphinx code blocks
    for (std::string_view k : kSkipClasses) {
      if (cls == k) return true;
    }
  }
  return false;
}

const GumboNode* find_main(const GumboNode* root) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) continue;
    if (const GumboAttribute* r = attr(n, "role"); r && std::strcmp(r->value, "main") == 0) return n;
    const GumboVector& kids = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  return nullptr;
}

// All text under `n` (for headings), without skipped classes (the Sphinx "¶").
std::string subtree_text(const GumboNode* n) {
  std::string out;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* c = stack.back();
    stack.pop_back();
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_CDATA) {
      out += c->v.text.text;
      continue;
    }
    if (c->type != GUMBO_NODE_ELEMENT || skipped_class(c)) continue;
    const GumboVector& kids = c->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  return collapse(out);
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string heading_anchor(const GumboNode* h, const std::string& text) {
  if (const GumboAttribute* id = attr(h, "id")) return id->value;
  std::vector<const GumboNode*> stack{h};
  while (!stack.empty()) {
    const GumboNode* c = stack.back();
    stack.pop_back();
    if (c->type != GUMBO_NODE_ELEMENT) continue;
    if (c != h) {
      if (const GumboAttribute* id = attr(c, "id")) return id->value;
      if (const GumboAttribute* nm = attr(c, "name")) return nm->value;
    }
    const GumboVector& kids = c->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  // Sphinx: <section id="..."><h2>; DocBook: <div class="section"><div class="titlepage">...<h2>.
  for (const GumboNode* p = h->parent; p && p->type == GUMBO_NODE_ELEMENT; p = p->parent) {
    if (const GumboAttribute* id = attr(p, "id")) return id->value;
    if (p->v.element.tag == GUMBO_TAG_SECTION) break;
  }
  return slug(text);
}

// What the tree walk drops anyway, cut out before parsing (gumbo parses ~10-30
// MB/s, and half of a Sphinx page is navigation, code and signatures): the
// page outside a Sphinx role="main" body (up to its sidebar), <pre> blocks,
// and <dt> terms closed before the next <dd>. Each cut becomes <hr>, a block,
// so the paragraphs on either side stay apart. Lowercase tags only (what
// Sphinx and DocBook write); anything else is left to the parser.
std::string cut_before_parse(std::string_view html) {
  std::size_t from = 0, to = html.size();
  if (const std::size_t main = html.find("role=\"main\""); main != std::string_view::npos) {
    const std::size_t open = html.rfind('<', main);
    const std::size_t sidebar = html.find("<div class=\"sphinxsidebar", main);
    if (open != std::string_view::npos) from = open;
    if (sidebar != std::string_view::npos) to = sidebar;
  }
  const std::string_view body = html.substr(from, to - from);
  std::string out;
  out.reserve(body.size());
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t pre = body.find("<pre", pos), dt = body.find("<dt", pos);
    const std::size_t at = std::min(pre, dt);
    if (at == std::string_view::npos) break;
    const bool is_pre = at == pre;
    const std::size_t after = at + (is_pre ? 4 : 3);
    // "<pre>", "<pre class=...>": not "<prefix>".
    if (after >= body.size() || !(body[after] == '>' || body[after] == ' ' || body[after] == '\n')) {
      out.append(body.substr(pos, after - pos));
      pos = after;
      continue;
    }
    const std::size_t close = body.find(is_pre ? "</pre>" : "</dt>", after);
    if (close == std::string_view::npos ||
        (!is_pre && body.substr(after, close - after).find("<dd") != std::string_view::npos)) {
      out.append(body.substr(pos, after - pos));
      pos = after;
      continue;
    }
    out.append(body.substr(pos, at - pos));
    out += "<hr>";
    pos = close + (is_pre ? 6 : 5);
  }
  out.append(body.substr(pos));
  // DocBook's XHTML marks section anchors as <a id="x"/>, which HTML parsing
  // reads as an <a> left open (and re-opened by the parser around the text
  // that follows, ids and all): close each at once.
  std::string fixed;
  fixed.reserve(out.size());
  std::size_t p = 0;
  for (std::size_t a = out.find("<a ", p); a != std::string::npos; a = out.find("<a ", p)) {
    const std::size_t gt = out.find('>', a);
    if (gt == std::string::npos) break;
    if (out[gt - 1] == '/') {
      fixed.append(out, p, gt - 1 - p);
      fixed += "></a>";
    } else {
      fixed.append(out, p, gt + 1 - p);
    }
    p = gt + 1;
  }
  fixed.append(out, p, std::string::npos);
  return fixed;
}

}  // namespace

std::vector<ProseSection> html_prose(std::string_view page) {
  const std::string html = cut_before_parse(page);
  if (const std::size_t depth = html::nesting_estimate(html); depth > html::kMaxNesting) {
    throw Error(ErrorCode::kBadData, "the HTML nests about " + std::to_string(depth) + " elements deep; at most " +
                                         std::to_string(html::kMaxNesting) + " are supported");
  }
  std::unique_ptr<GumboOutput, OutputDeleter> doc(gumbo_parse_with_options(&kOptions, html.data(), html.size()));
  const GumboNode* main = find_main(doc->root);
  std::vector<ProseSection> out(1);
  std::string paragraph;
  auto flush = [&] {
    add_paragraph(out.back().sentences, paragraph);
    paragraph.clear();
  };
  struct Frame {
    const GumboNode* node;
    bool exit;
  };
  std::vector<Frame> stack{{main ? main : doc->root, false}};
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      paragraph += n->v.text.text;
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) continue;  // comments
    const GumboTag tag = n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_HTML : n->v.element.tag;
    if (f.exit) {
      if (block_tag(tag)) flush();
      continue;
    }
    if (n->type == GUMBO_NODE_ELEMENT && (skipped_tag(tag) || skipped_class(n))) {
      // A dropped block (a code block, a table) still ends the paragraph
      // before it; a dropped inline element (a footnote mark) leaves nothing.
      if (!inline_tag(tag)) flush();
      continue;
    }
    if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) {
      flush();
      ProseSection s;
      s.heading = subtree_text(n);
      s.anchor = heading_anchor(n, s.heading);
      s.level = tag == GUMBO_TAG_H1 ? 1 : 2;
      out.push_back(std::move(s));
      continue;  // the heading's text is not prose
    }
    if (block_tag(tag)) flush();
    stack.push_back({n, true});
    const GumboVector& kids = n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back({static_cast<const GumboNode*>(kids.data[i]), false});
  }
  flush();
  return out;
}

// ---------------------------------------------------------------- man pages

namespace {

// Special characters \(xx and \[name] that prose uses; others stay escaped.
const std::unordered_map<std::string_view, std::string_view>& roff_specials() {
  static const std::unordered_map<std::string_view, std::string_view> m = {{"em", "\xE2\x80\x94"},
                                                                           {"en", "\xE2\x80\x93"},
                                                                           {"hy", "-"},
                                                                           {"aq", "'"},
                                                                           {"dq", "\""},
                                                                           {"lq", "\xE2\x80\x9C"},
                                                                           {"rq", "\xE2\x80\x9D"},
                                                                           {"oq", "\xE2\x80\x98"},
                                                                           {"cq", "\xE2\x80\x99"},
                                                                           {"bu", "\xE2\x80\xA2"},
                                                                           {"co", "\xC2\xA9"},
                                                                           {"rg", "\xC2\xAE"},
                                                                           {"tm", "\xE2\x84\xA2"},
                                                                           {"mu", "\xC3\x97"},
                                                                           {"de", "\xC2\xB0"},
                                                                           {"+-", "\xC2\xB1"},
                                                                           {"<=", "\xE2\x89\xA4"},
                                                                           {">=", "\xE2\x89\xA5"},
                                                                           {"ti", "~"},
                                                                           {"ha", "^"},
                                                                           {"ga", "`"},
                                                                           {"aa", "\xC2\xB4"},
                                                                           {"Tm", "\xE2\x84\xA2"},
                                                                           {"R", "\xC2\xAE"},
                                                                           {"dg", "\xE2\x80\xA0"},
                                                                           {"'e", "\xC3\xA9"},
                                                                           {"`e", "\xC3\xA8"},
                                                                           {":u", "\xC3\xBC"},
                                                                           {":o", "\xC3\xB6"},
                                                                           {":a", "\xC3\xA4"},
                                                                           {"ss", "\xC3\x9F"},
                                                                           {"'a", "\xC3\xA1"},
                                                                           {",c", "\xC3\xA7"},
                                                                           {"sl", "/"},
                                                                           {"ba", "|"},
                                                                           {"rs", "\\"}};
  return m;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A special character's text; an unknown one keeps its backslash.
std::string special(std::string_view name) {
  const auto& m = roff_specials();
  if (const auto it = m.find(name); it != m.end()) return std::string(it->second);
  if (name.size() == 5 && name[0] == 'u') {  // \[u00E9]
    char* end = nullptr;
    const std::string hex(name.substr(1));
    const unsigned long cp = std::strtoul(hex.c_str(), &end, 16);
    if (end && *end == 0 && cp >= 0x20) {
      std::string out;
      append_utf8(out, cp);
      return out;
    }
  }
  return "\\[" + std::string(name) + "]";
}

// Reads an escape's name after `i` (at the char following the escape letter):
// "(xx", "[name]" or one character. Returns the name and advances i.
std::string_view escape_name(std::string_view s, std::size_t& i) {
  if (i >= s.size()) return {};
  if (s[i] == '(') {
    const std::string_view n = s.substr(i + 1, 2);
    i = std::min(s.size(), i + 3);
    return n;
  }
  if (s[i] == '[') {
    const std::size_t close = s.find(']', i);
    if (close == std::string_view::npos) {
      i = s.size();
      return {};
    }
    const std::string_view n = s.substr(i + 1, close - i - 1);
    i = close + 1;
    return n;
  }
  return s.substr(i++, 1);
}

// Decodes the escapes of one line of roff text.
std::string decode_roff(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= s.size()) break;  // a trailing backslash joins the next line
    const char e = s[i + 1];
    i += 2;
    switch (e) {
      case '"':
      case '#': return out;  // comment to the end of the line
      case '-': out += '-'; break;
      case 'e':
      case '\\': out += "\\"; break;  // a literal backslash: code, not prose
      case '&':
      case '|':
      case '^':
      case ')':
      case ',':
      case '/':
      case ':':
      case '%':
      case 'c':
      case 'd':
      case 'u': break;
      case ' ':
      case '~':
      case '0': out += ' '; break;
      case '\'': out += "\xC2\xB4"; break;
      case '`': out += '`'; break;
      case '.': out += '.'; break;
      case 'f':
      case 'F': escape_name(s, i); break;  // font change
      case 's': {                          // size change: \s0 \s-1 \s+2 \s(12 \s[12]
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (i < s.size() && (s[i] == '(' || s[i] == '['))
          escape_name(s, i);
        else if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
          ++i;
        break;
      }
      case '(':
      case '[': {
        --i;
        out += special(escape_name(s, i));
        break;
      }
      case '*': {  // strings: \*(lq \*(rq \*R \*(Tm
        const std::string_view name = escape_name(s, i);
        out += special(name);
        break;
      }
      default:
        out += '\\';  // unknown (\n registers, \h, \v, \w, \X, \o ...): fails prose_sentence
        out += e;
    }
  }
  return out;
}

// The arguments of a macro line, with "quoted args" and escapes decoded.
std::vector<std::string> macro_args(std::string_view rest) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    if (i >= rest.size()) break;
    std::string arg;
    if (rest[i] == '"') {
      ++i;
      while (i < rest.size()) {
        if (rest[i] == '"') {
          if (i + 1 < rest.size() && rest[i + 1] == '"') {
            arg += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          if (rest[i + 1] == '"') return out.push_back(decode_roff(arg)), out;  // comment
          arg += rest.substr(i, 2);
          i += 2;
          continue;
        }
        arg += rest[i++];
      }
    } else {
      while (i < rest.size() && rest[i] != ' ' && rest[i] != '\t') {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          if (rest[i + 1] == '"') {
            if (!arg.empty()) out.push_back(decode_roff(arg));
            return out;
          }
          arg += rest.substr(i, 2);
          i += 2;
          continue;
        }
        arg += rest[i++];
      }
    }
    out.push_back(decode_roff(arg));
  }
  return out;
}

bool dropped_section(std::string_view name) {
  static constexpr std::string_view kDropped[] = {
      "NAME",          "SYNOPSIS",  "EXAMPLE",        "EXAMPLES",
      "SEE ALSO",      "FILES",     "ATTRIBUTES",     "STANDARDS",
      "CONFORMING TO", "LIBRARY",   "COLOPHON",       "AUTHOR",
      "AUTHORS",       "COPYRIGHT", "REPORTING BUGS", "OVERVIEW OF CONTENTS"};
  for (std::string_view d : kDropped) {
    if (name == d) return true;
  }
  return false;
}

}  // namespace

std::vector<Sentence> man_prose(std::string_view roff) {
  std::vector<Sentence> out;
  std::string paragraph;
  bool drop_section = true;       // before the first .SH
  bool nofill = false;            // .nf/.EX/.TS ... blocks: layout, code or tables
  int tag_lines = 0;              // .TP/.TQ: the next line of text is the tag
  std::string end_of_definition;  // inside .de/.ig: the line that ends it
  auto flush = [&] {
    if (!drop_section) add_paragraph(out, paragraph);
    paragraph.clear();
  };
  auto text = [&](const std::string& t) {
    if (tag_lines > 0) {
      --tag_lines;
      return;
    }
    if (drop_section || nofill) return;
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += t;
  };
  std::size_t pos = 0;
  while (pos < roff.size()) {
    std::size_t end = roff.find('\n', pos);
    if (end == std::string_view::npos) end = roff.size();
    std::string_view line = roff.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!end_of_definition.empty()) {
      if (line.starts_with(end_of_definition)) end_of_definition.clear();
      continue;
    }
    if (line.empty()) {  // a blank line is a paragraph break in groff
      if (!nofill) flush();
      continue;
    }
    if (line[0] != '.' && line[0] != '\'') {
      text(decode_roff(line));
      continue;
    }
    // A control line: ".NAME args".
    std::size_t i = 1;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (line.substr(i).starts_with("\\\"")) continue;  // comment
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    const std::string_view name = line.substr(i, j - i);
    const std::string_view rest = line.substr(j);
    if (name.empty()) continue;
    if (name == "so") return {};  // the page is a link to another
    if (name == "de" || name == "de1" || name == "am" || name == "ig") {
      const std::vector<std::string> a = macro_args(rest);
      end_of_definition = name != "ig" && a.size() > 1 ? "." + a[1] : (name == "ig" && !a.empty() ? "." + a[0] : "..");
      continue;
    }
    if (name == "SH") {
      flush();
      std::string title;
      for (const std::string& a : macro_args(rest)) title += (title.empty() ? "" : " ") + a;
      drop_section = dropped_section(title);
      tag_lines = 0;
      continue;
    }
    if (name == "SS" || name == "PP" || name == "LP" || name == "P" || name == "IP" || name == "HP" || name == "RS" ||
        name == "RE" || name == "sp" || name == "br" || name == "in" || name == "ti") {
      flush();
      continue;
    }
    if (name == "TP") {
      flush();
      tag_lines = 1;
      continue;
    }
    if (name == "TQ") {
      tag_lines = 1;
      continue;
    }
    if (name == "nf" || name == "EX" || name == "TS" || name == "EQ" || name == "PS" || name == "SY") {
      flush();
      nofill = true;
      tag_lines = 0;
      continue;
    }
    if (name == "fi" || name == "EE" || name == "TE" || name == "EN" || name == "PE" || name == "YS") {
      nofill = false;
      continue;
    }
    if (name == "B" || name == "I" || name == "SM" || name == "SB") {
      std::string t;
      for (const std::string& a : macro_args(rest)) t += (t.empty() ? "" : " ") + a;
      if (!t.empty()) text(t);
      continue;
    }
    if (name == "BR" || name == "RB" || name == "IR" || name == "RI" || name == "BI" || name == "IB") {
      std::string t;
      for (const std::string& a : macro_args(rest)) t += a;
      if (!t.empty()) text(t);
      continue;
    }
    if (name == "UE" || name == "ME") {  // the link's closing punctuation
      const std::vector<std::string> a = macro_args(rest);
      if (!a.empty() && !paragraph.empty() && !drop_section && !nofill) paragraph += a[0];
      continue;
    }
    // Anything else (.TH .UR .MT .ad .na .ne .ft .if .ie .el .ds .nr .hy ...)
    // writes no prose; a conditional's text is not read.
  }
  flush();
  return out;
}

// ---------------------------------------------------------------- WordNet

std::vector<Gloss> wordnet_glosses(std::string_view data) {
  std::vector<Gloss> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("  ") || line.empty()) continue;  // licence header
    const std::size_t sp = line.find(' ');
    const std::size_t bar = line.find(" | ");
    if (sp == std::string_view::npos || bar == std::string_view::npos) continue;
    std::string_view gloss = line.substr(bar + 3);
    while (!gloss.empty() && is_space(gloss.back())) gloss.remove_suffix(1);
    if (gloss.empty()) continue;
    out.push_back({std::string(line.substr(0, sp)), std::string(gloss)});
  }
  return out;
}

// ---------------------------------------------------------------- sources

const std::vector<SystemSource>& system_sources() {
  static const std::vector<SystemSource> s = {{"debian-reference", "debian-reference-en"},
                                              {"developers-reference", "developers-reference"},
                                              {"debian-policy", "debian-policy"},
                                              {"maint-guide", "maint-guide"},
                                              {"debian-faq", "debian-faq"},
                                              {"manpages", "manpages"},
                                              {"python-doc", "python3.11-doc"},
                                              {"wordnet-glosses", "wordnet-base"}};
  return s;
}

bool is_system_source(std::string_view name) {
  const auto& s = system_sources();
  return std::any_of(s.begin(), s.end(), [&](const SystemSource& x) { return x.name == name; });
}

namespace {

struct Page {
  std::string id_prefix;  // "debian-policy/policy/ch-binary"
  fs::path file;
};

// One document per page (split_sections false) or per level-1/2 section of
// the page (true: the text before the first section goes with the page's
// title section). Ids: "<prefix>" or "<prefix>#<anchor>" (a repeated anchor
// gets "~2", "~3"). Documents without prose are left out.
void add_pages(std::vector<CorpusDoc>& docs, const std::string& source, const std::vector<Page>& pages,
               bool split_sections) {
  for (const Page& page : pages) {
    std::vector<ProseSection> sections = html_prose(read_all(page.file));
    if (!split_sections) {
      CorpusDoc d{page.id_prefix, source, {}};
      for (ProseSection& s : sections) {
        for (Sentence& x : s.sentences) d.sentences.push_back(std::move(x));
      }
      if (!d.sentences.empty()) docs.push_back(std::move(d));
      continue;
    }
    // Text before the first level-2 heading (the level-0 part and the page
    // title's) is the page's introduction.
    std::unordered_map<std::string, int> seen;
    CorpusDoc intro{page.id_prefix, source, {}};
    for (ProseSection& s : sections) {
      if (s.level < 2) {
        for (Sentence& x : s.sentences) intro.sentences.push_back(std::move(x));
        continue;
      }
      std::string anchor = s.anchor.empty() ? "section" : s.anchor;
      if (const int n = ++seen[anchor]; n > 1) anchor += "~" + std::to_string(n);
      CorpusDoc d{page.id_prefix + "#" + anchor, source, std::move(s.sentences)};
      if (!d.sentences.empty()) docs.push_back(std::move(d));
    }
    if (!intro.sentences.empty()) docs.push_back(std::move(intro));
  }
}

// The pages of `dir` ending with `suffix`, except `excluded` file names; the
// id is "<source>/<subdir><name without suffix>".
std::vector<Page> pages_in(const std::string& source, const std::string& package, const fs::path& dir,
                           std::string_view suffix, const std::vector<std::string_view>& excluded,
                           const std::string& subdir = "") {
  if (!fs::is_directory(dir)) missing(source, package, dir);
  std::vector<Page> out;
  for (const fs::path& f : files_ending(dir, suffix)) {
    const std::string name = f.filename().string();
    if (std::find(excluded.begin(), excluded.end(), name) != excluded.end()) continue;
    out.push_back({source + "/" + subdir + name.substr(0, name.size() - suffix.size()), f});
  }
  return out;
}

// The files of a Debian package (its dpkg file list).
std::vector<std::string> package_files(const std::string& source, const std::string& package,
                                       const fs::path& dpkg_info) {
  const fs::path list = dpkg_info / (package + ".list");
  if (!fs::exists(list)) missing(source, package, list);
  std::vector<std::string> out;
  const std::string text = read_all(list);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    out.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::vector<CorpusDoc> load_system_source(const std::string& name, const std::string& usr_share_dir,
                                          const std::string& dpkg_info) {
  const fs::path usr_share(usr_share_dir);
  std::vector<CorpusDoc> docs;
  if (name == "debian-reference") {
    // Chapters are long (up to ~20,000 words): one document per section.
    add_pages(docs, name,
              pages_in(name, "debian-reference-en", usr_share / "debian-reference", ".en.html", {"index.en.html"}),
              true);
  } else if (name == "developers-reference") {
    // developers-reference.html is the whole manual again on one page.
    add_pages(docs, name,
              pages_in(name, name, usr_share / "developers-reference", ".html",
                       {"index.html", "search.html", "genindex.html", "developers-reference.html"}),
              true);
  } else if (name == "debian-policy") {
    const fs::path base = usr_share / "doc" / "debian-policy";
    // The Policy Manual (chapters and appendices; the upgrading checklist is a
    // change log), and the package's other policies and specifications.
    std::vector<Page> pages =
        pages_in(name, name, base / "policy.html", ".html",
                 {"index.html", "search.html", "genindex.html", "upgrading-checklist.html"}, "policy/");
    for (const char* sub : {"menu-policy.html", "perl-policy.html"}) {
      if (!fs::is_directory(base / sub)) continue;
      const std::string stem = std::string(sub).substr(0, std::strlen(sub) - 5);
      for (Page& p : pages_in(name, name, base / sub, ".html", {"index.html"}, stem + "/"))
        pages.push_back(std::move(p));
    }
    for (const char* file :
         {"copyright-format-1.0.html", "debconf_specification.html", "autopkgtest.html", "fhs/fhs-3.0.html"}) {
      if (!fs::exists(base / file)) continue;
      const std::string stem = fs::path(file).stem().string();
      pages.push_back({name + "/" + stem, base / file});
    }
    add_pages(docs, name, pages, true);
  } else if (name == "maint-guide") {
    add_pages(docs, name,
              pages_in(name, name, usr_share / "doc" / "maint-guide" / "html", ".en.html", {"index.en.html"}), true);
  } else if (name == "debian-faq") {
    add_pages(docs, name, pages_in(name, name, usr_share / "doc" / "debian" / "FAQ", ".en.html", {"index.en.html"}),
              true);
  } else if (name == "python-doc") {
    // The prose parts of the manual; not the C API reference, the
    // change notes (whatsnew) or the indexes. One document per page.
    const fs::path base = usr_share / "doc" / "python3.11" / "html";
    if (!fs::is_directory(base / "library")) missing(name, "python3.11-doc", base / "library");
    std::vector<Page> pages;
    for (const char* sub :
         {"tutorial", "library", "howto", "reference", "faq", "using", "extending", "installing", "distributing"}) {
      if (!fs::is_directory(base / sub)) continue;
      for (Page& p : pages_in(name, "python3.11-doc", base / sub, ".html", {"index.html"}, std::string(sub) + "/")) {
        pages.push_back(std::move(p));
      }
    }
    if (fs::exists(base / "glossary.html")) pages.push_back({name + "/glossary", base / "glossary.html"});
    add_pages(docs, name, pages, false);
  } else if (name == "manpages") {
    // The man-pages project's pages of sections 1, 5, 7 and 8 (commands, file
    // formats, overviews, administration), as the package lists them.
    for (const std::string& file : package_files(name, "manpages", dpkg_info)) {
      const fs::path f(file);
      const std::string dir = f.parent_path().filename().string();
      if (dir != "man1" && dir != "man5" && dir != "man7" && dir != "man8") continue;
      if (f.parent_path().parent_path().filename() != "man") continue;  // not a translation
      const fs::path local = usr_share / fs::path(file).lexically_relative("/usr/share");
      if (fs::is_symlink(local) || !fs::is_regular_file(local)) continue;  // links duplicate a page
      std::string page = f.filename().string();
      if (page.ends_with(".gz")) page.resize(page.size() - 3);
      CorpusDoc d{name + "/" + dir + "/" + page, name, man_prose(read_maybe_gz(local))};
      if (!d.sentences.empty()) docs.push_back(std::move(d));
    }
  } else if (name == "wordnet-glosses") {
    // 100 consecutive glosses (file = synset offset order) per document, one
    // paragraph each; id "wordnet-glosses/noun/<offset of the first>".
    const fs::path dir = usr_share / "wordnet";
    for (const char* pos : {"noun", "verb", "adj", "adv"}) {
      const fs::path f = dir / (std::string("data.") + pos);
      if (!fs::exists(f)) missing(name, "wordnet-base", f);
      const std::vector<Gloss> glosses = wordnet_glosses(read_all(f));
      constexpr std::size_t kPerDoc = 100;
      for (std::size_t i = 0; i < glosses.size(); i += kPerDoc) {
        CorpusDoc d{name + "/" + pos + "/" + glosses[i].offset, name, {}};
        for (std::size_t k = i; k < std::min(glosses.size(), i + kPerDoc); ++k)
          d.sentences.push_back({glosses[k].text, true});
        docs.push_back(std::move(d));
      }
    }
  } else {
    throw Error(ErrorCode::kUsage, "\"" + name + "\" is not a Debian-package corpus source");
  }
  return docs;
}

}  // namespace unspin::eval
