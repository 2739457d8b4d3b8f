#include "listed/matcher.h"

#include <algorithm>
#include <unordered_map>

#include "common/checksum.h"
#include "listed/tokens.h"

namespace unspin::listed {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr std::uint32_t kComma = 0;        // token id of ","
constexpr std::size_t kMaxWordBytes = 48;  // longer words are in no pattern
constexpr std::size_t kRing = 32;          // > the longest pattern in tokens

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

struct Matcher::Impl {
  // Vocabulary: every surface form (folded; singular and plural) of a pattern
  // word -> its stem's token id. Open addressing on the FNV-1a of the bytes.
  // A 64-bit hash identifies a form (the chance that a text word collides
  // with one of ~20k forms is ~1e-15 per word). A bit filter in front of the
  // table rejects most words that are in no pattern without touching it.
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kNone;
    std::uint32_t plural = 0;  // this form is a plural (differs from its stem)
  };
  std::vector<Slot> vocab;
  std::uint64_t vocab_mask = 0;
  static constexpr std::uint64_t kFilterBits = 1u << 19;
  std::vector<std::uint64_t> filter = std::vector<std::uint64_t>(kFilterBits / 64, 0);
  std::uint32_t token_count = 1;

  // Trie: root transitions by token id; the others in one hash table keyed
  // by (state, token).
  std::vector<std::uint32_t> root_next;
  struct Edge {
    std::uint64_t key = ~0ULL;
    std::uint32_t child = 0;
  };
  std::vector<Edge> edges;
  std::uint64_t edge_mask = 0;
  struct State {
    std::uint32_t fail = 0;
    std::uint32_t output = kNone;  // pattern ending here
    std::uint32_t dict = 0;        // nearest state on the fail chain with an output (0: none)
    std::uint16_t depth = 0;
    std::uint16_t children = 0;                        // 0, 1 (inline below) or more (in `edges`), saturating
    std::uint32_t only_token = kNone, only_child = 0;  // the child of a one-child state
  };
  std::vector<State> states;
  struct Pattern {
    std::uint32_t phrase;
    std::uint16_t tokens;
    bool last_plural;
    bool needs_context;
  };
  std::vector<Pattern> patterns;

  std::uint32_t lookup(std::uint64_t h, bool* plural) const {
    const std::uint64_t m = mix(h);
    const std::uint64_t bit = (m >> 40) & (kFilterBits - 1);
    if (!(filter[bit >> 6] >> (bit & 63) & 1)) return kNone;
    std::uint64_t i = m & vocab_mask;
    while (true) {
      const Slot& s = vocab[i];
      if (s.id == kNone) return kNone;
      if (s.hash == h) {
        *plural = s.plural != 0;
        return s.id;
      }
      i = (i + 1) & vocab_mask;
    }
  }

  void insert_form(const std::string& form, std::uint32_t id, bool plural) {
    if (form.size() > kMaxWordBytes) return;
    const std::uint64_t h = detail::word_hash(form.data(), form.size());
    const std::uint64_t m = mix(h);
    std::uint64_t i = m & vocab_mask;
    while (vocab[i].id != kNone) {
      if (vocab[i].hash == h) return;  // first writer wins: a word's own stem before another's plural
      i = (i + 1) & vocab_mask;
    }
    vocab[i] = Slot{h, id, plural ? 1u : 0u};
    const std::uint64_t bit = (m >> 40) & (kFilterBits - 1);
    filter[bit >> 6] |= 1ULL << (bit & 63);
  }

  std::uint32_t child(std::uint32_t state, std::uint32_t token) const {
    if (state == 0) return root_next[token];
    const State& st = states[state];
    if (st.children <= 1) return st.only_token == token ? st.only_child : 0;
    const std::uint64_t key = (static_cast<std::uint64_t>(state) << 32) | token;
    std::uint64_t i = mix(key) & edge_mask;
    while (true) {
      const Edge& e = edges[i];
      if (e.key == key) return e.child;
      if (e.key == ~0ULL) return 0;
      i = (i + 1) & edge_mask;
    }
  }
};

Matcher::Matcher(const PhraseList& list) : list_(&list), impl_(new Impl) {
  Impl& m = *impl_;
  // Patterns as token sequences of stems.
  std::unordered_map<std::string, std::uint32_t> stem_ids;
  std::vector<std::string> forms_of_words;  // every folded word seen in a pattern
  std::vector<std::vector<std::uint32_t>> sequences;
  for (std::uint32_t p = 0; p < list.phrases().size(); ++p) {
    const ListedPhrase& phrase = list.phrases()[p];
    if (phrase.status != Status::kActive && phrase.status != Status::kNeedsContext) continue;
    std::vector<std::uint32_t> seq;
    bool last_plural = false;
    std::size_t i = 0;
    const std::string& key = phrase.tortured;
    while (i <= key.size()) {
      const std::size_t sp = std::min(key.find(' ', i), key.size());
      const std::string word = key.substr(i, sp - i);
      i = sp + 1;
      if (word == ",") {
        seq.push_back(kComma);
        last_plural = false;
        continue;
      }
      const std::string stem = number_stem(word);
      auto [it, fresh] = stem_ids.emplace(stem, m.token_count);
      if (fresh) {
        ++m.token_count;
        forms_of_words.push_back(stem);
      }
      seq.push_back(it->second);
      last_plural = stem != word;
    }
    if (seq.empty() || seq.size() >= kRing) continue;
    m.patterns.push_back(
        {p, static_cast<std::uint16_t>(seq.size()), last_plural, phrase.status == Status::kNeedsContext});
    sequences.push_back(std::move(seq));
  }
  // Vocabulary: each stem, its plural, and the plural the list itself writes.
  std::size_t cap = 16;
  while (cap < forms_of_words.size() * 6) cap <<= 1;  // ~3 forms per stem, load <= 1/2
  m.vocab.assign(cap, {});
  m.vocab_mask = cap - 1;
  for (const std::string& stem : forms_of_words) m.insert_form(stem, stem_ids[stem], false);
  for (const std::string& stem : forms_of_words) {
    const std::uint32_t id = stem_ids[stem];
    m.insert_form(pluralize(stem), id, true);
    m.insert_form(stem + "s", id, true);
    m.insert_form(stem + "es", id, true);
  }
  for (const ListedPhrase& phrase : list.phrases()) {
    std::size_t i = 0;
    const std::string& key = phrase.tortured;
    while (i < key.size()) {
      const std::size_t sp = std::min(key.find(' ', i), key.size());
      const std::string word = key.substr(i, sp - i);
      i = sp + 1;
      auto it = stem_ids.find(number_stem(word));
      if (it != stem_ids.end()) m.insert_form(word, it->second, number_stem(word) != word);
    }
  }
  // The trie.
  m.root_next.assign(m.token_count, 0);
  m.states.push_back({});
  std::unordered_map<std::uint64_t, std::uint32_t> edge_map;
  for (std::uint32_t pi = 0; pi < m.patterns.size(); ++pi) {
    std::uint32_t s = 0;
    for (std::uint32_t t : sequences[pi]) {
      std::uint32_t next = 0;
      if (s == 0)
        next = m.root_next[t];
      else {
        auto it = edge_map.find((static_cast<std::uint64_t>(s) << 32) | t);
        if (it != edge_map.end()) next = it->second;
      }
      if (next == 0) {
        next = static_cast<std::uint32_t>(m.states.size());
        Impl::State st;
        st.depth = static_cast<std::uint16_t>(m.states[s].depth + 1);
        m.states.push_back(st);
        if (s == 0) {
          m.root_next[t] = next;
        } else {
          edge_map[(static_cast<std::uint64_t>(s) << 32) | t] = next;
          Impl::State& parent = m.states[s];
          if (parent.children == 0) {
            parent.only_token = t;
            parent.only_child = next;
          }
          if (parent.children < 2) ++parent.children;
        }
      }
      s = next;
    }
    // Dedupe in the list makes a second pattern on one state rare (two
    // spellings with the same stems): keep the first (the list's order).
    if (m.states[s].output == kNone) m.states[s].output = pi;
  }
  cap = 16;
  while (cap < edge_map.size() * 2 + 2) cap <<= 1;
  m.edges.assign(cap, {});
  m.edge_mask = cap - 1;
  for (const auto& [key, child] : edge_map) {
    std::uint64_t i = mix(key) & m.edge_mask;
    while (m.edges[i].key != ~0ULL) i = (i + 1) & m.edge_mask;
    m.edges[i] = {key, child};
  }
  // Fail links, breadth first (children listed per state for the traversal).
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> children(m.states.size());
  for (std::uint32_t t = 0; t < m.token_count; ++t) {
    if (m.root_next[t]) children[0].push_back({t, m.root_next[t]});
  }
  for (const auto& [key, child] : edge_map) {
    children[static_cast<std::uint32_t>(key >> 32)].push_back({static_cast<std::uint32_t>(key), child});
  }
  std::vector<std::uint32_t> queue;
  for (const auto& [t, c] : children[0]) {
    m.states[c].fail = 0;
    queue.push_back(c);
  }
  for (std::size_t qi = 0; qi < queue.size(); ++qi) {
    const std::uint32_t s = queue[qi];
    for (const auto& [t, c] : children[s]) {
      std::uint32_t f = m.states[s].fail;
      while (f != 0 && m.child(f, t) == 0) f = m.states[f].fail;
      std::uint32_t fc = m.child(f, t);
      if (fc == c) fc = 0;
      m.states[c].fail = fc;
      m.states[c].dict = m.states[fc].output != kNone ? fc : m.states[fc].dict;
      queue.push_back(c);
    }
  }
}

Matcher::~Matcher() { delete impl_; }
Matcher::Matcher(Matcher&& o) noexcept : list_(o.list_), impl_(o.impl_) { o.impl_ = nullptr; }
Matcher& Matcher::operator=(Matcher&& o) noexcept {
  if (this != &o) {
    delete impl_;
    list_ = o.list_;
    impl_ = o.impl_;
    o.impl_ = nullptr;
  }
  return *this;
}

std::size_t Matcher::patterns() const { return impl_->patterns.size(); }
std::size_t Matcher::states() const { return impl_->states.size(); }

void Matcher::find(std::string_view text, std::vector<Hit>* out) const {
  const Impl& m = *impl_;
  struct Candidate {
    std::uint32_t begin, end, pattern;
    bool written_plural;
  };
  // Candidates are rare: a small local buffer, grown only on hits.
  std::vector<Candidate> cands;
  std::uint32_t ring_begin[kRing];
  bool ring_plural[kRing];
  std::uint64_t token_index = 0;
  std::uint32_t state = 0;
  const std::size_t first_out = out->size();
  auto step = [&](std::uint32_t token, std::uint32_t begin, std::uint32_t end, bool plural) {
    if (token == kNone) {
      state = 0;
      return;
    }
    ring_begin[token_index % kRing] = begin;
    ring_plural[token_index % kRing] = plural;
    std::uint32_t next;
    while ((next = m.child(state, token)) == 0 && state != 0) state = m.states[state].fail;
    state = next;
    std::uint32_t o = m.states[state].output != kNone ? state : m.states[state].dict;
    while (o != 0) {
      const Impl::Pattern& p = m.patterns[m.states[o].output];
      const std::uint64_t first = token_index + 1 - p.tokens;
      cands.push_back({ring_begin[first % kRing], end, m.states[o].output, plural});
      o = m.states[o].dict;
    }
    ++token_index;
  };
  char folded[kMaxWordBytes];
  detail::scan(text, [&](detail::TokenKind k, std::size_t b, std::size_t e, bool e2) {
    if (k == detail::TokenKind::kBreak) {
      state = 0;
      return;
    }
    if (k == detail::TokenKind::kComma) {
      step(kComma, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), false);
      return;
    }
    const std::size_t len = e - b;
    if (len > kMaxWordBytes) {
      state = 0;
      return;
    }
    std::uint64_t h;
    if (!e2) {
      h = detail::word_hash(text.data() + b, len);
    } else {  // U+2019 as '\'' (rare: a slow path)
      std::size_t n = 0;
      for (std::size_t i = b; i < e; ++i) {
        if (static_cast<unsigned char>(text[i]) == 0xE2 && i + 2 < e &&
            static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == 0x99) {
          folded[n++] = '\'';
          i += 2;
        } else {
          folded[n++] = text[i];
        }
      }
      h = detail::word_hash(folded, n);
    }
    bool plural = false;
    const std::uint32_t id = m.lookup(h, &plural);
    step(id, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), plural);
  });
  if (cands.empty()) return;
  // Leftmost, then longest, non-overlapping.
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  bool any_active = false;
  std::uint32_t last_end = 0;
  bool first = true;
  for (const Candidate& c : cands) {
    if (!first && c.begin < last_end) continue;
    first = false;
    last_end = c.end;
    const Impl::Pattern& p = m.patterns[c.pattern];
    const ListedPhrase& phrase = list_->phrases()[p.phrase];
    Hit hit;
    hit.byte_begin = c.begin;
    hit.byte_end = c.end;
    hit.phrase = phrase.tortured;
    hit.correct_term = phrase.correct;
    hit.papers = phrase.papers;
    hit.index = p.phrase;
    hit.written_plural = c.written_plural;
    hit.plural_changed = c.written_plural != p.last_plural;
    any_active |= !p.needs_context;
    out->push_back(hit);
  }
  if (!any_active) {
    out->resize(first_out);
    return;
  }
  // Drop context-only hits? No: the text holds an active one, so they stay.
  // Code points, in one ascending pass up to the last hit.
  std::uint32_t byte = 0, cp = 0;
  auto advance = [&](std::uint32_t to) {
    for (; byte < to; ++byte) cp += (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
    return cp;
  };
  for (std::size_t i = first_out; i < out->size(); ++i) {
    Hit& h = (*out)[i];
    h.cp_begin = advance(h.byte_begin);
    h.cp_end = advance(h.byte_end);
  }
}

std::string Matcher::correction(const Hit& hit) {
  std::string c(hit.correct_term);
  if (c.empty() || !hit.plural_changed) return c;
  const std::size_t sp = c.rfind(' ');
  const std::string_view last = std::string_view(c).substr(sp == std::string::npos ? 0 : sp + 1);
  const std::string head = c.substr(0, sp == std::string::npos ? 0 : sp + 1);
  const std::string stem = number_stem(last);
  if (hit.written_plural) return stem != last ? c : head + pluralize(last);
  return head + stem;
}

const Matcher& builtin_matcher() {
  static const Matcher matcher(PhraseList::builtin());
  return matcher;
}

}  // namespace unspin::listed
