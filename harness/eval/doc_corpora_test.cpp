#include "eval/doc_corpora.h"

#include <gtest/gtest.h>

#include <string>

#include "unspin/error.h"

namespace unspin::eval {
namespace {

std::string joined(const std::vector<Sentence>& s) {
  std::string out;
  for (const Sentence& x : s) out += (out.empty() ? "" : x.paragraph_start ? " || " : " | ") + x.text;
  return out;
}

TEST(ProseSentence, KeepsProseDropsCommandsFragmentsAndMarkup) {
  EXPECT_TRUE(prose_sentence("The package manager keeps a list of installed files."));
  EXPECT_TRUE(prose_sentence("It loads the kernel image (see grub-install(8)) into memory."));
  EXPECT_TRUE(prose_sentence("Use a helper, e.g. debhelper, to build the package:"));
  EXPECT_TRUE(prose_sentence(
      "Since kernel version 5.6, there are 8 kinds of namespaces (see namespaces(7), unshare(1), nsenter(1))."));
  EXPECT_TRUE(prose_sentence("\xE2\x80\x9CIt works,\xE2\x80\x9D she said, \xE2\x80\x9Cin version 3.11.\xE2\x80\x9D"));
  EXPECT_FALSE(prose_sentence("Run dpkg -i foo.deb && apt-get -f install."));  // a command line
  EXPECT_FALSE(prose_sentence("$ sudo apt-get install --no-install-recommends foo."));
  EXPECT_FALSE(prose_sentence("os.path.join(a, b) -> str."));                                // code
  EXPECT_FALSE(prose_sentence("Section 3.1.1, \xE2\x80\x9CStage 1: the UEFI\xE2\x80\x9D"));  // no end
  EXPECT_FALSE(prose_sentence("See also."));                                                 // too short
  EXPECT_FALSE(prose_sentence("The <b>bold</b> word is here."));                             // tags
  EXPECT_FALSE(prose_sentence("Caf&eacute; au lait is served here."));                       // an entity
  EXPECT_FALSE(prose_sentence("The \\fBbold\\fR word is here."));                            // roff
  EXPECT_FALSE(prose_sentence("Use ``code`` here in the text."));                            // reST
  EXPECT_FALSE(prose_sentence(""));
}

TEST(HtmlProse, KeepsRunningTextDropsCodeTablesNavigationAndTerms) {
  const std::string page = R"(<!DOCTYPE html><html><head><title>T</title><script>var x = 1;</script></head><body>
<div class="navheader"><a href="x.html">Next chapter is here.</a></div>
<div class="toc"><p>A table of contents sentence here.</p></div>
<h1 class="title"><a id="_chapter"/>1. Chapter</h1>
<p>The intro paragraph comes first. It has two sentences.</p>
<div class="section"><div class="titlepage"><h2 class="title"><a id="_first_section"/>1.1. First</h2></div>
<p>The boot loader starts the kernel<sup>[<a href="#ftn.x">1</a>]</sup>. It reads the file <code class="literal">grub.cfg</code> first.</p>
<pre class="screen">$ sudo update-grub
This line inside pre is not prose.</pre>
<div class="table"><p class="title">Table 1.1. A table caption sentence.</p><table><tr><td>A cell with a sentence.</td></tr></table></div>
<dl><dt><span class="term">--force</span></dt><dd><p>Forces the operation even if it is unsafe.</p></dd></dl>
<ul><li><p>A list item that is a full sentence.</p></li><li>fragment only</li></ul>
<div class="highlight-python3"><div class="highlight"><span>print("Code in a div is not prose.")</span></div></div>
<h3>A lower heading</h3><p>Text under a lower heading stays in the section.</p>
</div>
<div class="navfooter"><p>The footer navigation sentence.</p></div>
</body></html>)";
  const std::vector<ProseSection> s = html_prose(page);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].level, 0);
  EXPECT_TRUE(s[0].sentences.empty());
  EXPECT_EQ(s[1].level, 1);
  EXPECT_EQ(s[1].anchor, "_chapter");
  EXPECT_EQ(s[1].heading, "1. Chapter");
  EXPECT_EQ(joined(s[1].sentences), "The intro paragraph comes first. | It has two sentences.");
  EXPECT_EQ(s[2].anchor, "_first_section");
  EXPECT_EQ(
      joined(s[2].sentences),
      "The boot loader starts the kernel. | It reads the file grub.cfg first. || Forces the operation even if it is "
      "unsafe. || A list item that is a full sentence. || Text under a lower heading stays in the section.");
  EXPECT_TRUE(s[2].sentences[0].paragraph_start);
  EXPECT_FALSE(s[2].sentences[1].paragraph_start);
}

TEST(HtmlProse, ReadsOnlyTheSphinxMainBodyAndUsesSectionIds) {
  const std::string page =
      R"(<html><body><div class="related" role="navigation"><p>Navigation text is not read.</p></div>
<div class="document"><div class="body" role="main">
<section id="module-json"><h1>json — JSON encoder<a class="headerlink" href="#x">¶</a></h1>
<p>JSON is a lightweight data interchange format (although it is not a strict subset of JavaScript <a class="footnote-reference brackets" href="#id3"><span>[</span>1<span>]</span></a>).</p>
<section id="basic-usage"><h2>Basic Usage</h2>
<dl class="py function"><dt class="sig sig-object py" id="json.dump"><span class="sig-name">json.dump</span>(obj, fp)</dt>
<dd><p>Serialize <em>obj</em> as a JSON formatted stream to <em>fp</em>.</p></dd></dl>
<section id="basic-usage"><h2>Basic Usage</h2><p>A second section with the same id is kept apart.</p></section>
</section></section></div></div>
<div class="sphinxsidebar" role="navigation"><p>Sidebar text is not read either.</p></div></body></html>)";
  const std::vector<ProseSection> s = html_prose(page);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1].anchor, "module-json");
  EXPECT_EQ(s[1].heading, "json — JSON encoder");
  EXPECT_EQ(joined(s[1].sentences),
            "JSON is a lightweight data interchange format (although it is not a strict subset of JavaScript).");
  EXPECT_EQ(s[2].anchor, "basic-usage");
  EXPECT_EQ(joined(s[2].sentences), "Serialize obj as a JSON formatted stream to fp.");
  EXPECT_EQ(s[3].anchor, "basic-usage");
}

TEST(HtmlProse, KeepsASentenceWholeAcrossAQuotedCapital) {
  const std::vector<ProseSection> s = html_prose(
      "<p>Run it in a session (see <a class=\"xref\">Section 9.1.2, \xE2\x80\x9CThe screen program\xE2\x80\x9D</a>) "
      "instead of the console. The next one stays too.</p>");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(joined(s[0].sentences),
            "Run it in a session (see Section 9.1.2, \xE2\x80\x9CThe screen program\xE2\x80\x9D) instead of the "
            "console. | The next one stays too.");
}

TEST(HtmlProse, SurvivesBrokenMarkupAndRefusesAbsurdNesting) {
  EXPECT_NO_THROW(html_prose(""));
  EXPECT_NO_THROW(html_prose("<p>Unclosed <b>bold <i>text is still read fine."));
  EXPECT_NO_THROW(html_prose("<pre>never closed <dt>nor this <a id=\"x\"/"));
  const std::vector<ProseSection> s = html_prose("<p>Unclosed <b>bold <i>text is still read fine.");
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(joined(s[0].sentences), "Unclosed bold text is still read fine.");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  EXPECT_THROW(html_prose(deep), Error);
}

TEST(ManProse, KeepsDescriptionDropsSynopsisTagsCodeAndEscapes) {
  const std::string roff = R"('\" t
.\" Copyright line that is a comment.
.TH signal 7 2023-02-05 "Linux man-pages 6.03"
.SH NAME
signal \- overview of signals
.SH SYNOPSIS
.nf
.B #include <signal.h>
.fi
.SH DESCRIPTION
Linux supports both POSIX reliable signals (hereinafter
\(lqstandard signals\(rq) and POSIX real-time signals.
A process can change the disposition of a signal using
.BR sigaction (2)
or
.IR "a signal handler" ,
as described below \[em] see there.
.TP
.B Term
Default action is to terminate the process.
.TQ
.B Ign
.PP
An unknown escape \n(xx makes this sentence go.
.EX
int main(void) { return 0; }
.EE
.de XX
Text inside a macro definition is not read.
..
.SH SEE ALSO
.BR kill (1)
)";
  EXPECT_EQ(joined(man_prose(roff)),
            "Linux supports both POSIX reliable signals (hereinafter \xE2\x80\x9Cstandard signals\xE2\x80\x9D) and "
            "POSIX real-time signals. | A process can change the disposition of a signal using sigaction(2) or a "
            "signal handler, as described below \xE2\x80\x94 see there. || Default action is to terminate the "
            "process.");
  EXPECT_TRUE(man_prose(".so man7/other.7\n").empty());
  EXPECT_NO_THROW(man_prose(".SH DESCRIPTION\nA trailing backslash \\"));
  EXPECT_NO_THROW(man_prose(".de XX\nnever ended"));
  EXPECT_NO_THROW(man_prose(".BR \"unterminated quote\n.SH\n\\[unterminated"));
}

TEST(WordnetGlosses, TakesTheGlossAfterTheBarInFileOrder) {
  const std::string data =
      "  1 This software and database is being provided to you, the LICENSEE, by  \n"
      "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived or known  \n"
      "00002137 03 n 02 abstraction 0 abstract_entity 0 010 | a general concept; \"it is an abstraction\"  \n"
      "broken line without a bar\n";
  const std::vector<Gloss> g = wordnet_glosses(data);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].offset, "00001740");
  EXPECT_EQ(g[0].text, "that which is perceived or known");
  EXPECT_EQ(g[1].text, "a general concept; \"it is an abstraction\"");
  EXPECT_TRUE(wordnet_glosses("").empty());
}

TEST(SystemSources, NameTheirPackagesAndRefuseUnknownNames) {
  for (const char* name : {"debian-reference", "developers-reference", "debian-policy", "maint-guide", "debian-faq",
                           "manpages", "python-doc", "wordnet-glosses"}) {
    EXPECT_TRUE(is_system_source(name)) << name;
  }
  for (const SystemSource& s : system_sources()) EXPECT_EQ(s.package.find("handbook"), std::string::npos);
  EXPECT_FALSE(is_system_source("debian-handbook"));
  EXPECT_THROW(load_system_source("debian-handbook"), Error);
  try {
    load_system_source("debian-policy", "/nonexistent");
    FAIL() << "no error for a missing package";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("apt-get install debian-policy"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_system_source("manpages", "/usr/share", "/nonexistent"), Error);
}

}  // namespace
}  // namespace unspin::eval
