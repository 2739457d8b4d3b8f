// The site learner (include/unspin/learn.h): per-page sums of the spinner
// model's evidence about each candidate pair, merged per site, and a logistic
// over features of the sums that gives each pair its probability of being in
// the site's spinner table.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/checksum.h"
#include "decode/pipeline.h"
#include "decode/site_learner.h"
#include "decode/site_learner_trees.h"
#include "unspin/error.h"
#include "unspin/learn.h"

namespace unspin {

void PairCounts::add(const PairCounts& o) {
  pages += o.pages;
  words += o.words;
  spun += o.spun;
  unspun += o.unspun;
  restored += o.restored;
  posterior += o.posterior;
  consistent += o.consistent;
  for (std::size_t f = 0; f < kLearnFolds; ++f) {
    fold_restored[f] += o.fold_restored[f];
    fold_posterior[f] += o.fold_posterior[f];
    fold_pages[f] += o.fold_pages[f];
  }
}

void SiteCounts::merge(const SiteCounts& other) {
  pages_ += other.pages_;
  words_ += other.words_;
  for (const auto& [key, counts] : other.pairs_) pairs_[key].add(counts);
}

namespace {

constexpr std::string_view kCountsHeader = "# unspin site-counts v1";

void append_number(std::string& out, double v) {
  char buf[32];
  // Counts are integers; posteriors keep 6 significant digits.
  if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.6g", v);
  out += buf;
}

bool parse_number(std::string_view s, double* v) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*v) && *v >= 0;
}

// 7 sums + 3 x kLearnFolds fold sums after original and spun.
constexpr std::size_t kCountFields = 2 + 7 + 3 * kLearnFolds;

}  // namespace

std::string SiteCounts::serialize() const {
  std::string out(kCountsHeader);
  out += " pages=" + std::to_string(pages_) + " words=" + std::to_string(words_) + "\n";
  std::vector<const std::pair<const std::string, PairCounts>*> sorted;
  for (const auto& p : pairs_) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* p : sorted) {
    const PairCounts& c = p->second;
    out += p->first;
    for (double v : {c.pages, c.words, c.spun, c.unspun, c.restored, c.posterior, c.consistent}) {
      out += '\t';
      append_number(out, v);
    }
    for (const auto* a : {&c.fold_restored, &c.fold_posterior, &c.fold_pages}) {
      for (double v : *a) {
        out += '\t';
        append_number(out, v);
      }
    }
    out += '\n';
  }
  return out;
}

SiteCounts SiteCounts::parse(std::string_view text) {
  SiteCounts site;
  const std::size_t nl = text.find('\n');
  std::string_view head = text.substr(0, nl);
  if (head.substr(0, kCountsHeader.size()) != kCountsHeader) {
    throw Error(ErrorCode::kBadData, "not unspin site counts (no \"" + std::string(kCountsHeader) + "\" line)");
  }
  unsigned long long pages = 0, words = 0;
  if (std::sscanf(std::string(head.substr(kCountsHeader.size())).c_str(), " pages=%llu words=%llu", &pages, &words) != 2) {
    throw Error(ErrorCode::kBadData, "site counts: header needs pages=N words=W");
  }
  site.pages_ = pages;
  site.words_ = words;
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  std::size_t lineno = 1;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++lineno;
    if (line.empty()) continue;
    std::vector<std::string_view> f;
    for (std::size_t start = 0;;) {
      const std::size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (f.size() != kCountFields || f[0].empty() || f[1].empty()) {
      throw Error(ErrorCode::kBadData, "site counts line " + std::to_string(lineno) + ": expected " +
                                           std::to_string(kCountFields) + " TAB-separated fields");
    }
    PairCounts c;
    double* sums[] = {&c.pages, &c.words, &c.spun, &c.unspun, &c.restored, &c.posterior, &c.consistent};
    std::size_t i = 2;
    bool ok = true;
    for (double* v : sums) ok = ok && parse_number(f[i++], v);
    for (auto* a : {&c.fold_restored, &c.fold_posterior, &c.fold_pages}) {
      for (double& v : *a) ok = ok && parse_number(f[i++], &v);
    }
    if (!ok) throw Error(ErrorCode::kBadData, "site counts line " + std::to_string(lineno) + ": a field is not a count");
    site.pairs_[std::string(f[0]) + '\t' + std::string(f[1])].add(c);
  }
  return site;
}

struct SiteLearner::Impl {
  const Models& models;
  RestoreOptions options;
  decode::Pipeline pipeline;

  double phrase_log10(std::string_view phrase) const {
    const LanguageModel& lm = *models.lm;
    LmState out;
    double total = 0;
    for (std::size_t start = 0; start <= phrase.size();) {
      std::size_t space = phrase.find(' ', start);
      if (space == std::string_view::npos) space = phrase.size();
      const WordId id = lm.vocab_id(phrase.substr(start, space - start));
      total += id == kUnknownWord ? lm.unknown_log10() : lm.score(lm.null_context(), id, &out);
      start = space + 1;
    }
    return total;
  }
};

SiteLearner::SiteLearner(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(Impl{models, options, decode::Pipeline(models, options, decode::DecoderParams{})})) {}
SiteLearner::~SiteLearner() = default;

double SiteLearner::prior(const PairFeatures& f) const {
  return 1.0 / (1.0 + std::exp(-decode::SiteTrees::fitted().logit(f.x)));
}

SiteCounts SiteLearner::observe(std::string_view page, std::string_view page_key) const {
  validate_input(page, impl_->options.max_input_bytes);
  const std::size_t fold = fnv1a64(page_key.empty() ? page : page_key) % kLearnFolds;
  const decode::Pipeline& pipeline = impl_->pipeline;
  SiteCounts out;
  std::size_t words = 0;
  const auto windows = decode::split_windows(page, decode::find_paragraphs(page), impl_->options.window_words);
  for (const decode::TextWindow& w : windows) {
    decode::DocumentState doc = pipeline.prepare(decode::window_text(page, w), &w.paragraphs);
    const std::vector<decode::Decision> decisions = pipeline.decode({&doc})[0];
    words += doc.words;
    const auto& entries = doc.model.entries();
    std::vector<double> restored(entries.size(), 0);
    for (const decode::Decision& d : decisions) {
      if (d.raw >= 0.5) restored[doc.model.occurrences()[d.occurrence].entry] += 1;
    }
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const double posterior = doc.result.entry_posterior[e];
      // Pairs the page gives no support are not kept: they are most of the
      // lattice and say nothing about the table.
      if (restored[e] == 0 && posterior < 0.02) continue;
      PairCounts c;
      c.pages = 1;
      c.words = static_cast<double>(doc.words);
      auto it = doc.written.find(entries[e].spun);
      c.spun = it == doc.written.end() ? 0 : it->second;
      c.unspun = entries[e].unspun;
      c.restored = restored[e];
      c.posterior = posterior;
      c.consistent = c.spun > 0 && c.unspun == 0;
      c.fold_restored[fold] = restored[e];
      c.fold_posterior[fold] = posterior;
      c.fold_pages[fold] = 1;
      out.pairs()[entries[e].original + '\t' + entries[e].spun].add(c);
    }
  }
  out.add_page(words);
  return out;
}

std::vector<PairFeatures> SiteLearner::features(const SiteCounts& site) const {
  // Per spun form: its pairs, for the fold choice and the form's restorations.
  std::unordered_map<std::string_view, std::vector<const std::pair<const std::string, PairCounts>*>> by_spun;
  for (const auto& p : site.pairs()) {
    const std::size_t tab = p.first.find('\t');
    by_spun[std::string_view(p.first).substr(tab + 1)].push_back(&p);
  }
  std::vector<PairFeatures> out;
  const double site_pages = std::max<double>(1, static_cast<double>(site.pages()));
  for (const auto& [spun, pairs] : by_spun) {
    double form_restored = 0;
    std::array<const PairCounts*, kLearnFolds> best{};
    for (const auto* p : pairs) {
      const PairCounts& c = p->second;
      form_restored += c.restored;
      for (std::size_t f = 0; f < kLearnFolds; ++f) {
        if (c.fold_restored[f] <= 0) continue;
        const PairCounts* b = best[f];
        if (!b || c.fold_restored[f] > b->fold_restored[f] ||
            (c.fold_restored[f] == b->fold_restored[f] && c.fold_posterior[f] > b->fold_posterior[f])) {
          best[f] = &c;
        }
      }
    }
    const double lp_spun = impl_->phrase_log10(spun);
    for (const auto* p : pairs) {
      const PairCounts& c = p->second;
      if (c.restored <= 0) continue;
      double present = 0, chosen = 0;
      for (std::size_t f = 0; f < kLearnFolds; ++f) {
        if (c.fold_pages[f] <= 0) continue;
        present += 1;
        chosen += best[f] == &c;
      }
      const std::size_t tab = p->first.find('\t');
      PairFeatures pf;
      pf.original = p->first.substr(0, tab);
      pf.spun = std::string(spun);
      pf.restored = c.restored;
      const double expected_o = c.words * std::pow(10.0, impl_->phrase_log10(pf.original));
      const double expected_s = c.words * std::pow(10.0, lp_spun);
      auto& x = pf.x;
      x[0] = 1;
      x[1] = present > 0 ? chosen / present : 0;
      x[2] = std::clamp(std::log10((c.unspun + 0.5) / (expected_o + 0.5)), -3.0, 3.0);
      x[3] = std::clamp(std::log10((c.spun + 0.5) / (expected_s + 0.5)), -3.0, 3.0);
      x[4] = c.posterior / std::max(1.0, c.pages);
      x[5] = std::min(1.0, c.restored / std::max(1.0, c.spun));
      x[6] = c.consistent / std::max(1.0, c.pages);
      x[7] = form_restored > 0 ? c.restored / form_restored : 0;
      x[8] = std::log10(std::max(1.0, c.pages));
      x[9] = std::log10(site_pages);
      out.push_back(std::move(pf));
    }
  }
  std::sort(out.begin(), out.end(), [](const PairFeatures& a, const PairFeatures& b) {
    return a.original != b.original ? a.original < b.original : a.spun < b.spun;
  });
  return out;
}

std::vector<LearnedPair> SiteLearner::table(const SiteCounts& site, double min_prior) const {
  std::vector<LearnedPair> out;
  for (const PairFeatures& f : features(site)) {
    const double prior = this->prior(f);
    if (prior >= min_prior && prior > 0) {
      out.push_back({f.original, f.spun, prior, static_cast<std::size_t>(f.restored)});
    }
  }
  std::sort(out.begin(), out.end(), [](const LearnedPair& a, const LearnedPair& b) {
    if (a.prior != b.prior) return a.prior > b.prior;
    if (a.count != b.count) return a.count > b.count;
    return a.original != b.original ? a.original < b.original : a.spun < b.spun;
  });
  return out;
}

std::string learned_table_text(const std::vector<LearnedPair>& pairs, std::size_t pages, const std::string& site) {
  std::string out = "# unspin learned-table v1 pages=" + std::to_string(pages);
  if (!site.empty()) out += " site=" + site;
  out += "\n# original<TAB>spun<TAB>prior (probability that the site's spinner table holds the pair)<TAB>count (occurrences restored)\n";
  char prior[32];
  for (const LearnedPair& p : pairs) {
    // Priors are written in (0, 1]: a pair rounded to 0.000 would not parse back.
    std::snprintf(prior, sizeof prior, "%.3f", std::clamp(p.prior, 0.001, 1.0));
    out += p.original + '\t' + p.spun + '\t' + prior + '\t' + std::to_string(p.count) + '\n';
  }
  return out;
}

std::string site_of_url(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  else if (url.substr(0, 2) == "//") url.remove_prefix(2);
  else return "";
  url = url.substr(0, url.find_first_of("/?#"));
  const std::size_t at = url.rfind('@');
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url[0] == '[') {
    url = url.substr(0, url.find(']') == std::string_view::npos ? url.size() : url.find(']') + 1);
  } else {
    url = url.substr(0, url.find(':'));
  }
  std::string host(url);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  // A host is letters, digits, '-', '.', or a bracketed IPv6 address; anything
  // else (a path separator, spaces) makes it no host, so no file name is unsafe.
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':')) return "";
  }
  if (host.empty() || host[0] == '.') return "";
  return host;
}

}  // namespace unspin
