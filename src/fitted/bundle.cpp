#include "fitted/bundle.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "common/checksum.h"
#include "unspin/error.h"

namespace unspin::fitted {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error(ErrorCode::kBadModel, path + ": " + what + "; " + bundle_rebuild_hint(path));
}

std::size_t aligned(std::size_t n) { return (n + kBundleAlign - 1) / kBundleAlign * kBundleAlign; }

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::uint64_t parse_hex64(const std::string& hex) {
  if (hex.size() != 16) return 0;
  std::uint64_t v = 0;
  for (char c : hex) {
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<std::uint64_t>(c - 'a' + 10);
    else
      return 0;
  }
  return v;
}

template <typename T>
void append_pod(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T read_pod(std::string_view bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

}  // namespace

std::string bundle_rebuild_hint(const std::string& path) {
  return "rebuild it: ./setup.sh (or the build's `bundle` target) writes the default bundle; for your own LM, "
         "`unspin-eval bundle build --models FOLDER --sections DIR -o " +
         path + "` from sections `unspin-eval fit` wrote (docs/LM.md, \"The model bundle\")";
}

float float_at_or_below(double t) {
  if (std::isnan(t)) return static_cast<float>(t);
  float f = static_cast<float>(t);
  if (static_cast<double>(f) > t) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

std::string serialize_bundle(const BundleContents& contents) {
  std::string out(sizeof(BundleHeader), '\0');
  std::vector<BundleSection> directory;
  const auto begin_section = [&](const std::string& name, SectionKind kind) {
    if (name.empty() || name.size() >= sizeof(BundleSection::name)) {
      throw std::invalid_argument("bundle section name '" + name + "' is empty or longer than 47 bytes");
    }
    out.resize(aligned(out.size()), '\0');
    BundleSection s{};
    std::memcpy(s.name, name.data(), name.size());
    s.kind = static_cast<std::uint32_t>(kind);
    s.offset = out.size();
    directory.push_back(s);
  };
  const auto end_section = [&] { directory.back().size = out.size() - directory.back().offset; };
  for (const auto& [name, t] : contents.trees) {
    begin_section(name, SectionKind::kTrees);
    append_pod(out,
               TreesHeader{t.feature_count, static_cast<std::uint32_t>(t.roots.size()), t.nodes.size(), t.baseline});
    for (std::uint32_t r : t.roots) append_pod(out, r);
    out.resize((out.size() + 7) / 8 * 8, '\0');
    for (const TreeNode& n : t.nodes) append_pod(out, n);
    end_section();
  }
  for (const auto& [name, v] : contents.values) {
    begin_section(name, SectionKind::kValues);
    for (double d : v) append_pod(out, d);
    end_section();
  }
  for (const auto& [name, text] : contents.texts) {
    begin_section(name, SectionKind::kText);
    out += text;
    end_section();
  }
  out.resize(aligned(out.size()), '\0');
  BundleHeader h{};
  std::memcpy(h.magic, kBundleMagic, sizeof h.magic);
  h.version = kBundleVersion;
  h.endian_probe = kBundleEndianProbe;
  h.header_size = sizeof(BundleHeader);
  h.section_size = sizeof(BundleSection);
  h.tree_node_size = sizeof(TreeNode);
  h.feature_version = contents.feature_version;
  h.lm_checksum = contents.lm_checksum;
  h.lexicon_checksum = contents.lexicon_checksum;
  h.section_count = directory.size();
  h.directory_offset = out.size();
  for (const BundleSection& s : directory) append_pod(out, s);
  h.file_size = out.size();
  h.body_checksum = fnv1a64(std::string_view(out).substr(sizeof(BundleHeader)));
  h.complete = kBundleComplete;
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

void write_bundle(const BundleContents& contents, const std::string& path) {
  std::string bytes = serialize_bundle(contents);
  // The COMPLETE marker reaches the file last: an interrupted write leaves a
  // bundle every reader refuses.
  const std::size_t marker = offsetof(BundleHeader, complete);
  const std::string whole_marker = bytes.substr(marker, sizeof(std::uint64_t));
  std::memset(bytes.data() + marker, 0, sizeof(std::uint64_t));
  std::fstream out(path, std::ios::binary | std::ios::out | std::ios::trunc);
  if (!out) throw Error(ErrorCode::kIo, path + ": cannot write the model bundle");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  out.seekp(static_cast<std::streamoff>(marker));
  out.write(whole_marker.data(), static_cast<std::streamsize>(whole_marker.size()));
  out.flush();
  if (!out) throw Error(ErrorCode::kIo, path + ": failed writing the model bundle");
}

std::shared_ptr<const Bundle> Bundle::open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kBadModel,
                path + ": no model bundle here (every fitted parameter of unspin: " + std::string(kBundleFileName) +
                    " beside the LM and lexicon); " + bundle_rebuild_hint(path));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (in.bad()) throw Error(ErrorCode::kIo, path + ": read failure");
  return parse(bytes, path);
}

std::shared_ptr<const Bundle> Bundle::parse(std::string_view bytes, const std::string& path) {
  if (bytes.size() < sizeof kBundleMagic || bytes.substr(0, 8) != std::string_view(kBundleMagic, 8)) {
    bad(path, "not an unspin model bundle (wrong magic bytes)");
  }
  if (bytes.size() < sizeof(BundleHeader)) {
    bad(path, "file is truncated (" + std::to_string(bytes.size()) + " bytes, shorter than the header)");
  }
  const auto h = read_pod<BundleHeader>(bytes, 0);
  if (h.endian_probe != kBundleEndianProbe) bad(path, "written on a machine with a different byte order");
  if (h.version != kBundleVersion) {
    bad(path, "format version " + std::to_string(h.version) + ", this unspin reads version " +
                  std::to_string(kBundleVersion));
  }
  if (h.header_size != sizeof(BundleHeader) || h.section_size != sizeof(BundleSection) ||
      h.tree_node_size != sizeof(TreeNode)) {
    bad(path, "record sizes differ from this build's (written by an incompatible unspin)");
  }
  if (h.complete != kBundleComplete) bad(path, "the file is incomplete (the program writing it was interrupted)");
  if (h.file_size != bytes.size()) {
    bad(path, "file is truncated or padded: header says " + std::to_string(h.file_size) + " bytes, file has " +
                  std::to_string(bytes.size()));
  }
  if (fnv1a64(bytes.substr(sizeof(BundleHeader))) != h.body_checksum) {
    bad(path, "body checksum mismatch (the file is corrupt)");
  }
  if (h.directory_offset < sizeof(BundleHeader) || h.directory_offset > bytes.size() ||
      h.section_count > (bytes.size() - h.directory_offset) / sizeof(BundleSection)) {
    bad(path, "the section directory does not fit the file");
  }
  auto bundle = std::make_shared<Bundle>();
  bundle->path_ = path;
  bundle->feature_version_ = h.feature_version;
  bundle->lm_checksum_ = h.lm_checksum;
  bundle->lexicon_checksum_ = h.lexicon_checksum;
  for (std::uint64_t i = 0; i < h.section_count; ++i) {
    const auto s = read_pod<BundleSection>(bytes, h.directory_offset + i * sizeof(BundleSection));
    if (s.name[sizeof s.name - 1] != '\0' || s.name[0] == '\0') bad(path, "a section's name is malformed");
    const std::string name(s.name, strnlen(s.name, sizeof s.name));
    if (s.offset % kBundleAlign != 0 || s.offset < sizeof(BundleHeader) || s.offset > h.directory_offset ||
        s.size > h.directory_offset - s.offset) {
      bad(path, "section " + name + " does not fit the file");
    }
    const std::string_view payload = bytes.substr(s.offset, s.size);
    if (bundle->trees_.count(name) || bundle->values_.count(name) || bundle->texts_.count(name)) {
      bad(path, "section " + name + " appears twice");
    }
    switch (static_cast<SectionKind>(s.kind)) {
      case SectionKind::kTrees: {
        if (payload.size() < sizeof(TreesHeader)) bad(path, "section " + name + " is truncated");
        const auto t = read_pod<TreesHeader>(payload, 0);
        const std::size_t roots_bytes = (std::size_t{t.tree_count} * 4 + 7) / 8 * 8;
        if (t.node_count > payload.size() / sizeof(TreeNode) ||
            payload.size() != sizeof(TreesHeader) + roots_bytes + t.node_count * sizeof(TreeNode)) {
          bad(path, "section " + name + " has the wrong size for its trees");
        }
        std::vector<std::uint32_t> roots(t.tree_count);
        if (t.tree_count > 0) std::memcpy(roots.data(), payload.data() + sizeof(TreesHeader), t.tree_count * 4);
        std::vector<TreeNode> nodes(t.node_count);
        if (t.node_count > 0) {
          std::memcpy(nodes.data(), payload.data() + sizeof(TreesHeader) + roots_bytes,
                      t.node_count * sizeof(TreeNode));
        }
        try {
          bundle->trees_.emplace(name, BoostedTrees(t.baseline, t.feature_count, nodes.data(), nodes.size(),
                                                    roots.data(), roots.size(), name));
        } catch (const std::invalid_argument& e) {
          bad(path, std::string("malformed trees: ") + e.what());
        }
        break;
      }
      case SectionKind::kValues: {
        if (payload.size() % sizeof(double) != 0) bad(path, "section " + name + " is not a list of doubles");
        std::vector<double> v(payload.size() / sizeof(double));
        if (!v.empty()) std::memcpy(v.data(), payload.data(), payload.size());
        bundle->values_.emplace(name, std::move(v));
        break;
      }
      case SectionKind::kText: bundle->texts_.emplace(name, std::string(payload)); break;
      default: bad(path, "section " + name + " is of an unknown kind " + std::to_string(s.kind));
    }
  }
  return bundle;
}

std::string Bundle::text(const std::string& name) const {
  auto it = texts_.find(name);
  return it == texts_.end() ? std::string() : it->second;
}

const BoostedTrees& Bundle::trees(const std::string& name, std::size_t feature_count) const {
  auto it = trees_.find(name);
  if (it == trees_.end()) bad(path_, "no trees named " + name + " (a bundle of an older unspin?)");
  if (it->second.feature_count() != feature_count) {
    bad(path_, "trees " + name + " read " + std::to_string(it->second.feature_count()) +
                   " features, this unspin computes " + std::to_string(feature_count));
  }
  return it->second;
}

const std::vector<double>& Bundle::values(const std::string& name, long count) const {
  auto it = values_.find(name);
  if (it == values_.end()) bad(path_, "no values named " + name + " (a bundle of an older unspin?)");
  if (count >= 0 && it->second.size() != static_cast<std::size_t>(count)) {
    bad(path_, "values " + name + " hold " + std::to_string(it->second.size()) + " numbers, this unspin reads " +
                   std::to_string(count));
  }
  return it->second;
}

std::vector<std::string> Bundle::section_names() const {
  std::vector<std::string> names;
  for (const auto& [name, t] : trees_) names.push_back(name);
  for (const auto& [name, v] : values_) names.push_back(name);
  for (const auto& [name, s] : texts_) names.push_back(name);
  return names;
}

BundleMismatch check_bundle(const Bundle& bundle, const std::string& lm_checksum_hex,
                            const std::string& lexicon_checksum_hex) {
  std::string what;
  if (bundle.feature_version() != kFeatureVersion) {
    what = "it was fitted for feature definitions version " + std::to_string(bundle.feature_version()) +
           ", this unspin computes version " + std::to_string(kFeatureVersion);
  } else if (parse_hex64(lm_checksum_hex) != bundle.lm_checksum()) {
    what = "it was fitted with another language model (checksum " + hex64(bundle.lm_checksum()) + " from " +
           (bundle.text("lm").empty() ? std::string("an unrecorded path") : bundle.text("lm")) +
           "; the one loaded is " + lm_checksum_hex + ")";
  } else if (parse_hex64(lexicon_checksum_hex) != bundle.lexicon_checksum()) {
    what = "it was fitted with another lexicon (checksum " + hex64(bundle.lexicon_checksum()) + " from " +
           (bundle.text("lexicon").empty() ? std::string("an unrecorded path") : bundle.text("lexicon")) +
           "; the one loaded is " + lexicon_checksum_hex + ")";
  }
  if (what.empty()) return {};
  const std::string command = bundle.text("fit_command");
  return {true, bundle.path() + ": the model bundle does not match the models loaded: " + what +
                    ". Its scores would not be calibrated probabilities. Refit it for these models (it was made by `" +
                    (command.empty() ? std::string("an unrecorded command") : command) +
                    "`; docs/LM.md, \"The model bundle\"), or run with --uncalibrated to score anyway"};
}

}  // namespace unspin::fitted
