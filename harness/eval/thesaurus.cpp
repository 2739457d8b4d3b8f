#include "eval/thesaurus.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "unspin/error.h"

namespace unspin::eval {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kIo, "cannot read " + path +
                                    "; install Debian's libaiksaurus-1.2-data or pass "
                                    "--aiksaurus DIR");
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::uint16_t read_u16(std::string_view data, std::size_t& pos, const std::string& path) {
  if (pos + 2 > data.size()) {
    throw Error(ErrorCode::kBadData,
                path + ": truncated at byte " + std::to_string(pos) + "; reinstall libaiksaurus-1.2-data");
  }
  const auto hi = static_cast<unsigned char>(data[pos]);
  const auto lo = static_cast<unsigned char>(data[pos + 1]);
  pos += 2;
  return static_cast<std::uint16_t>((hi << 8) | lo);
}

}  // namespace

Thesaurus Thesaurus::load_aiksaurus(const std::string& dir) {
  const std::string words_path = dir + "/words.dat";
  const std::string meanings_path = dir + "/meanings.dat";
  return parse_aiksaurus(read_file(words_path), read_file(meanings_path), words_path, meanings_path);
}

Thesaurus Thesaurus::parse_aiksaurus(std::string_view words, std::string_view meanings, const std::string& words_path,
                                     const std::string& meanings_path) {
  std::vector<std::string> names;
  for (std::size_t pos = 0; pos < words.size();) {
    const std::size_t nul = words.find('\0', pos);
    if (nul == std::string_view::npos || nul == pos) {
      throw Error(ErrorCode::kBadData, words_path + ": bad word record at byte " + std::to_string(pos) +
                                           "; reinstall libaiksaurus-1.2-data");
    }
    std::string name(words.substr(pos, nul - pos));
    std::replace(name.begin(), name.end(), ':', ' ');
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    names.push_back(std::move(name));
    pos = nul + 1;
    while (read_u16(words, pos, words_path) != 0xFFFF) {
    }
  }

  Thesaurus t;
  std::vector<std::string> members;
  for (std::size_t pos = 0; pos < meanings.size();) {
    std::vector<std::string> titles;
    for (int k = 0; k < 2; ++k) {  // the two title words are also members
      const std::uint16_t id = read_u16(meanings, pos, meanings_path);
      if (id < names.size()) titles.push_back(names[id]);
    }
    members.clear();
    for (std::uint16_t id; (id = read_u16(meanings, pos, meanings_path)) != 0xFFFF;) {
      if (id >= names.size()) {
        throw Error(ErrorCode::kBadData, meanings_path + ": word id " + std::to_string(id) + " out of range at byte " +
                                             std::to_string(pos - 2));
      }
      members.push_back(names[id]);
    }
    t.add_group(members, titles);
  }
  t.finish();
  if (t.entries_.empty()) {
    throw Error(ErrorCode::kBadData, meanings_path + ": no thesaurus entries in the Aiksaurus data");
  }
  return t;
}

Thesaurus Thesaurus::from_groups(const std::vector<std::vector<std::string>>& groups) {
  Thesaurus t;
  for (const auto& g : groups) {
    if (!g.empty()) t.add_group(g, {g.front()});
  }
  t.finish();
  return t;
}

void Thesaurus::add_group(const std::vector<std::string>& members, const std::vector<std::string>& titles) {
  for (const std::string& head : members) {
    if (std::find(titles.begin(), titles.end(), head) != titles.end()) {
      std::vector<std::string>& core = core_[head];
      for (const std::string& m : members) {
        if (m != head && std::find(core.begin(), core.end(), m) == core.end()) core.push_back(m);
      }
    }
    std::vector<std::string>& syn = entries_[head];
    std::vector<int>& shared = shared_[head];
    for (const std::string& m : members) {
      if (m == head) continue;
      auto it = std::find(syn.begin(), syn.end(), m);
      if (it == syn.end()) {
        syn.push_back(m);
        shared.push_back(1);
      } else {
        ++shared[it - syn.begin()];
      }
    }
  }
}

void Thesaurus::finish() {
  for (auto& [head, syn] : entries_) {
    const std::vector<int>& shared = shared_[head];
    std::vector<std::size_t> order(syn.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return shared[a] > shared[b]; });
    std::vector<std::string> sorted;
    sorted.reserve(syn.size());
    for (std::size_t i : order) sorted.push_back(std::move(syn[i]));
    syn = std::move(sorted);
    auto core = core_.find(head);
    if (core != core_.end()) {  // same order as the full list
      std::vector<std::string> ordered;
      for (const std::string& s : syn) {
        if (std::find(core->second.begin(), core->second.end(), s) != core->second.end()) ordered.push_back(s);
      }
      core->second = std::move(ordered);
    }
  }
  shared_.clear();
}

const std::vector<std::string>* Thesaurus::core_synonyms(std::string_view lower_word) const {
  auto it = core_.find(std::string(lower_word));
  return it == core_.end() || it->second.empty() ? nullptr : &it->second;
}

const std::vector<std::string>* Thesaurus::synonyms(std::string_view lower_word) const {
  auto it = entries_.find(std::string(lower_word));
  return it == entries_.end() || it->second.empty() ? nullptr : &it->second;
}

std::vector<std::string> Thesaurus::headwords() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [word, syn] : entries_) out.push_back(word);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace unspin::eval
