// A site's sums (decode/site_counts.h, SiteCounts in include/unspin/restore.h):
// adding and merging them, and their text form (docs/SCHEMA.md §9b).
#include "decode/site_counts.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "unspin/error.h"

namespace unspin {

using decode::FillContext, decode::FormCounts, decode::kFillContexts, decode::PairCounts;

namespace decode {

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

}  // namespace decode

SiteCounts::SiteCounts() = default;
SiteCounts::SiteCounts(const SiteCounts& other) : sums_(other.sums_ ? std::make_unique<Sums>(*other.sums_) : nullptr) {}
SiteCounts::SiteCounts(SiteCounts&& other) noexcept = default;
SiteCounts& SiteCounts::operator=(const SiteCounts& other) {
  if (this != &other) sums_ = other.sums_ ? std::make_unique<Sums>(*other.sums_) : nullptr;
  return *this;
}
SiteCounts& SiteCounts::operator=(SiteCounts&& other) noexcept = default;
SiteCounts::~SiteCounts() = default;

const SiteCounts::Sums& SiteCounts::sums() const {
  static const Sums none;
  return sums_ ? *sums_ : none;
}

SiteCounts::Sums& SiteCounts::sums() {
  if (!sums_) sums_ = std::make_unique<Sums>();
  return *sums_;
}

std::size_t SiteCounts::pages() const { return sums().pages; }
std::size_t SiteCounts::words() const { return sums().words; }

void SiteCounts::merge(const SiteCounts& other) { sums().merge(other.sums()); }

void SiteCounts::Sums::add_context(const std::string& form, FillContext context) {
  std::vector<FillContext>& sample = contexts[form];
  std::size_t in_fold = 0;
  const FillContext* largest = nullptr;
  for (const FillContext& c : sample) {
    if (c.fold != context.fold) continue;
    ++in_fold;
    if (!largest || *largest < c) largest = &c;
  }
  if (in_fold < kFillContexts) {
    sample.push_back(std::move(context));
  } else if (context < *largest) {
    sample[static_cast<std::size_t>(largest - sample.data())] = std::move(context);
  }
}

void SiteCounts::Sums::merge(const Sums& other) {
  pages += other.pages;
  words += other.words;
  for (const auto& [key, counts] : other.pairs) pairs[key].add(counts);
  for (const auto& [form, counts] : other.forms) {
    FormCounts& f = forms[form];
    f.count += counts.count;
    f.pages += counts.pages;
  }
  for (const auto& [form, sample] : other.contexts) {
    for (const FillContext& c : sample) add_context(form, c);
  }
}

namespace {

constexpr std::string_view kCountsHeader = "# unspin site-counts v";  // then 1 or 2

void append_number(std::string& out, double v) {
  char buf[32];
  // Counts are integers; posteriors keep 6 significant digits.
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.6g", v);
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
  const Sums& s = sums();
  std::string out(kCountsHeader);
  out += '2';
  out += " pages=" + std::to_string(s.pages) + " words=" + std::to_string(s.words) + "\n";
  std::vector<const std::pair<const std::string, PairCounts>*> sorted;
  for (const auto& p : s.pairs) sorted.push_back(&p);
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
  std::vector<const std::pair<const std::string, FormCounts>*> forms;
  for (const auto& f : s.forms) forms.push_back(&f);
  std::sort(forms.begin(), forms.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* f : forms) {
    out += "~f\t" + f->first;
    for (double v : {f->second.count, f->second.pages}) {
      out += '\t';
      append_number(out, v);
    }
    out += '\n';
  }
  std::vector<const std::pair<const std::string, std::vector<FillContext>>*> contexts;
  for (const auto& c : s.contexts) contexts.push_back(&c);
  std::sort(contexts.begin(), contexts.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* c : contexts) {
    std::vector<FillContext> sample = c->second;
    std::sort(sample.begin(), sample.end());
    for (const FillContext& x : sample) {
      out += "~c\t" + c->first + '\t' + std::to_string(x.fold) + '\t' + std::to_string(x.hash);
      for (const std::string& w : x.words) out += '\t' + w;
      out += '\n';
    }
  }
  return out;
}

SiteCounts SiteCounts::parse(std::string_view text) {
  SiteCounts site;
  Sums& into = site.sums();
  const std::size_t nl = text.find('\n');
  std::string_view head = text.substr(0, nl);
  if (head.substr(0, kCountsHeader.size()) != kCountsHeader) {
    throw Error(ErrorCode::kBadData, "not unspin site counts (no \"" + std::string(kCountsHeader) + "\" line)");
  }
  unsigned long long pages = 0, words = 0;
  const std::string_view version = head.substr(kCountsHeader.size(), 1);
  if (version != "1" && version != "2") {
    throw Error(ErrorCode::kBadData, "site counts: unknown version (this unspin reads v1 and v2)");
  }
  if (std::sscanf(std::string(head.substr(kCountsHeader.size() + 1)).c_str(), " pages=%llu words=%llu", &pages,
                  &words) != 2) {
    throw Error(ErrorCode::kBadData, "site counts: header needs pages=N words=W");
  }
  into.pages = pages;
  into.words = words;
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
    if (f[0] == "~f" && version == "2") {
      FormCounts c;
      if (f.size() != 4 || f[1].empty() || !parse_number(f[2], &c.count) || !parse_number(f[3], &c.pages)) {
        throw Error(ErrorCode::kBadData,
                    "site counts line " + std::to_string(lineno) + ": a word line is ~f, the word, two counts");
      }
      FormCounts& to = into.forms[std::string(f[1])];
      to.count += c.count;
      to.pages += c.pages;
      continue;
    }
    if (f[0] == "~c" && version == "2") {
      FillContext c;
      bool ok = f.size() == 8 && !f[1].empty();
      unsigned long fold = 0;
      if (ok) {
        auto [p1, e1] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), fold);
        auto [p2, e2] = std::from_chars(f[3].data(), f[3].data() + f[3].size(), c.hash);
        ok = e1 == std::errc() && p1 == f[2].data() + f[2].size() && fold < kLearnFolds && e2 == std::errc() &&
             p2 == f[3].data() + f[3].size();
      }
      for (std::size_t k = 0; ok && k < 4; ++k) {
        ok = !f[4 + k].empty();
        c.words[k] = std::string(f[4 + k]);
      }
      if (!ok) {
        throw Error(ErrorCode::kBadData, "site counts line " + std::to_string(lineno) +
                                             ": a context line is ~c, the word, a fold < 8, a hash, four words");
      }
      c.fold = static_cast<std::uint32_t>(fold);
      into.add_context(std::string(f[1]), std::move(c));
      continue;
    }
    if (f.size() != kCountFields || f[0].empty() || f[1].empty() || f[0][0] == '~') {
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
    if (!ok)
      throw Error(ErrorCode::kBadData, "site counts line " + std::to_string(lineno) + ": a field is not a count");
    into.pairs[std::string(f[0]) + '\t' + std::string(f[1])].add(c);
  }
  return site;
}

}  // namespace unspin
