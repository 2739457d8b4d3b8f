// SiteCounts (merge, text form) and site_of_url: the parts of the site
// learner that need no models. The learner itself is measured by
// `unspin eval sites` and exercised end to end in tests/e2e.
#include <gtest/gtest.h>

#include <string>

#include "unspin/error.h"
#include "unspin/learn.h"

namespace unspin {
namespace {

SiteCounts page(const std::string& original, const std::string& spun, std::size_t fold, double restored) {
  SiteCounts c;
  PairCounts p;
  p.pages = 1;
  p.words = 300;
  p.spun = 2;
  p.restored = restored;
  p.posterior = 0.75;
  p.consistent = 1;
  p.fold_restored[fold] = restored;
  p.fold_posterior[fold] = 0.75;
  p.fold_pages[fold] = 1;
  c.pairs()[original + '\t' + spun] = p;
  c.add_page(300);
  return c;
}

TEST(SiteCounts, MergeAddsEverySum) {
  SiteCounts site;
  site.merge(page("said", "stated", 1, 2));
  site.merge(page("said", "stated", 3, 1));
  site.merge(page("big", "huge", 3, 1));
  EXPECT_EQ(site.pages(), 3u);
  EXPECT_EQ(site.words(), 900u);
  const PairCounts& p = site.pairs().at("said\tstated");
  EXPECT_EQ(p.pages, 2);
  EXPECT_EQ(p.restored, 3);
  EXPECT_EQ(p.posterior, 1.5);
  EXPECT_EQ(p.fold_restored[1], 2);
  EXPECT_EQ(p.fold_restored[3], 1);
  EXPECT_EQ(p.fold_pages[0], 0);
}

TEST(SiteCounts, TextFormRoundTripsAndMergesLikeTheCounts) {
  SiteCounts a = page("said", "stated", 1, 2), b = page("said", "stated", 5, 1);
  SiteCounts merged = a;
  merged.merge(b);
  SiteCounts via_text = SiteCounts::parse(a.serialize());
  via_text.merge(SiteCounts::parse(b.serialize()));
  EXPECT_EQ(via_text.serialize(), merged.serialize());
  EXPECT_EQ(via_text.pages(), 2u);
}

TEST(SiteCounts, RejectsWhatItDidNotWrite) {
  EXPECT_THROW(SiteCounts::parse(""), Error);
  EXPECT_THROW(SiteCounts::parse("said\tstated\t1\n"), Error);
  EXPECT_THROW(SiteCounts::parse("# unspin site-counts v1\n"), Error);  // no pages=, words=
  std::string text = page("said", "stated", 0, 1).serialize();
  EXPECT_NO_THROW(SiteCounts::parse(text));
  std::string bad = text;
  bad.replace(bad.rfind('\t') + 1, 1, "x");  // a field that is not a count
  EXPECT_THROW(SiteCounts::parse(bad), Error);
  std::string negative = text;
  negative.replace(negative.find("\t1\t") + 1, 1, "-1");
  EXPECT_THROW(SiteCounts::parse(negative), Error);
  EXPECT_THROW(SiteCounts::parse(text + "said\tstated\n"), Error);  // too few fields
}

TEST(SiteOfUrl, IsTheLowercasedHostWithoutWwwOrPort) {
  EXPECT_EQ(site_of_url("https://www.Example.COM:8080/a/b?c#d"), "example.com");
  EXPECT_EQ(site_of_url("http://user:pw@news.example.org/x"), "news.example.org");
  EXPECT_EQ(site_of_url("//cdn.example.net/x"), "cdn.example.net");
  EXPECT_EQ(site_of_url("example.com/no-scheme"), "");
  EXPECT_EQ(site_of_url("https:///path"), "");
  EXPECT_EQ(site_of_url("https://a b/"), "");  // not a host: never a file name with a space
  EXPECT_EQ(site_of_url("https://../etc"), "");
}

TEST(LearnedTableText, HasTheSchemaHeaderAndFourColumns) {
  const std::string t = learned_table_text({{"said", "stated", 0.93, 12}, {"big", "huge", 0.0001, 1}}, 50, "ex.com");
  EXPECT_EQ(t.rfind("# unspin learned-table v1 pages=50 site=ex.com\n", 0), 0u) << t;
  EXPECT_NE(t.find("\nsaid\tstated\t0.930\t12\n"), std::string::npos) << t;
  EXPECT_NE(t.find("\nbig\thuge\t0.001\t1\n"), std::string::npos) << t;  // never 0.000: it would not parse back
}

}  // namespace
}  // namespace unspin
