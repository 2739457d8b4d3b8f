#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "lexicon/candidate_table.h"
#include "lexicon/ulex_format.h"
#include "lexicon/ulex_reader.h"
#include "lexicon/ulex_writer.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

CandidateTable sample(bool reversed) {
  std::vector<std::tuple<std::string, std::string, float, std::uint16_t>> adds = {
      {"instructed", "told", 0.9f, 1},
      {"instructed", "taught", 0.7f, 4},
      {"instructed", "told", 0.5f, 4},
      {"so as to", "in order to", 0.95f, 8},
      {"chief govt", "chief executive", 0.95f, 8},
      {"firm", "company", 0.8f, 1},
      {"firm", "steady", 0.3f, 2},
      {"firm", "house", 0.2f, 2}};
  if (reversed) std::reverse(adds.begin(), adds.end());
  PairTable t;
  for (auto& [k, o, p, s] : adds) t.add(k, o, p, s);
  return t.finish(2);
}

std::string write_temp(const std::string& bytes, const std::string& name) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Ulex, RoundTripLookupCaseAndPrefixes) {
  auto lex = UlexLexicon::from_bytes(write_ulex(sample(false), {}), "test");
  std::vector<Candidate> c;
  lex->lookup("Instructed", &c);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].original, "told");
  // Different sources agree: best prior plus a quarter of the noisy-OR.
  EXPECT_NEAR(c[0].prior, 0.9f + 0.1f * 0.25f * 0.5f, 1e-6);
  EXPECT_EQ(c[0].sources, 5);
  EXPECT_EQ(c[1].original, "taught");
  c.clear();
  lex->lookup("FIRM", &c);
  ASSERT_EQ(c.size(), 2u);  // capped at 2: "house" (lowest prior) dropped
  EXPECT_EQ(c[1].original, "steady");
  EXPECT_TRUE(lex->has_longer("so"));
  EXPECT_TRUE(lex->has_longer("so as"));
  EXPECT_FALSE(lex->has_longer("so as to"));
  EXPECT_FALSE(lex->contains("so as"));  // prefix-only record
  EXPECT_TRUE(lex->contains("so as to"));
  EXPECT_FALSE(lex->contains("told"));
  EXPECT_EQ(lex->key_count(), 4u);
  EXPECT_EQ(lex->max_key_words(), 3);
  EXPECT_EQ(verify_ulex(*lex), "");
}

TEST(Ulex, DeterministicRegardlessOfInsertionOrder) {
  EXPECT_EQ(write_ulex(sample(false), {}), write_ulex(sample(true), {}));
}

TEST(Ulex, SavedFileOpensAndVerifies) {
  const std::string bytes = write_ulex(sample(false), {});
  const std::string path = (std::filesystem::temp_directory_path() / "unspin_ulex_test.ulex").string();
  save_ulex(bytes, path);
  auto lex = UlexLexicon::from_file(path, "hint");
  EXPECT_EQ(verify_ulex(*lex), "");
  std::vector<Candidate> c;
  lex->lookup("chief govt", &c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].original, "chief executive");
  std::remove(path.c_str());
}

void expect_bad_model(const std::string& bytes, const std::string& needle) {
  try {
    UlexLexicon::from_file(write_temp(bytes, "unspin_bad.ulex"), "rebuild with ./setup.sh");
    ADD_FAILURE() << "accepted a bad file (" << needle << ")";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rebuild"), std::string::npos) << e.what();
  }
}

TEST(Ulex, RejectsTruncatedForeignOldAndIncompleteFiles) {
  const std::string good = write_ulex(sample(false), {});
  expect_bad_model(good.substr(0, good.size() - 8), "truncated");
  expect_bad_model(good.substr(0, 100), "truncated");
  expect_bad_model("ARPA file\n\\data\\\n", "magic");
  expect_bad_model("", "magic");
  std::string old = good;
  const std::uint32_t v0 = 0;
  std::memcpy(old.data() + offsetof(FileHeader, version), &v0, 4);
  expect_bad_model(old, "version");
  std::string incomplete = good;
  std::memcpy(incomplete.data() + offsetof(FileHeader, complete), &v0, 4);
  expect_bad_model(incomplete, "incomplete");
  std::string wild = good;
  const std::uint64_t far = 1ull << 40;
  std::memcpy(wild.data() + offsetof(FileHeader, entries_offset), &far, 8);
  expect_bad_model(wild, "corrupt");
}

TEST(Ulex, VerifyCatchesBodyCorruptionAndLookupsStaySafe) {
  std::string bytes = write_ulex(sample(false), {});
  FileHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  // Point the first key record's entries far outside the table.
  const std::uint32_t bogus = 0x7fffffff;
  std::memcpy(bytes.data() + h.keys_offset + offsetof(KeyRecord, first_entry), &bogus, 4);
  auto lex = UlexLexicon::from_bytes(bytes, "corrupt");
  EXPECT_NE(verify_ulex(*lex), "");
  for (const char* k : {"chief govt", "firm", "instructed", "so as to"}) {
    std::vector<Candidate> c;
    lex->lookup(k, &c);  // must not crash; the corrupt record yields nothing
  }
}

}  // namespace
}  // namespace unspin::lexicon
