#include "archive/sqlite_archive.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "archive/sqlite.h"
#include "unspin/error.h"

namespace unspin::archive {
namespace {

class TempArchive : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("unspin_archive_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "a.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string path_;
};

NewDocument doc(std::string id, std::string text, std::vector<Feature> features) {
  return NewDocument{std::move(id), std::move(text), 3, std::move(features)};
}

TEST(FeaturePacking, RoundTripsAndRejectsDamagedBlobs) {
  const std::vector<Feature> f = {0, 1, 0xffffffffffffffffull, 0x8000000000000000ull, 12345};
  EXPECT_EQ(unpack_features(pack_features(f)), f);
  EXPECT_THROW(unpack_features(std::string(7, 'x')), Error);
}

TEST_F(TempArchive, AddFindReplaceRemove) {
  SqliteArchive a(path_, SqliteArchive::Access::kCreateOrWrite);
  EXPECT_EQ(a.add({doc("x", "text x", {1, 2, 3}), doc("y", "text y", {2, 4})}), (std::vector<bool>{false, false}));
  EXPECT_EQ(a.document_count(), 2);
  auto two = a.postings(2, 10);
  EXPECT_EQ(two.size(), 2u);
  EXPECT_EQ(a.postings(2, 1).size(), 2u);  // limit + 1 tells "more than the limit"
  // Replacing x drops its old postings.
  EXPECT_EQ(a.add({doc("x", "new x", {5})}), std::vector<bool>{true});
  EXPECT_EQ(a.document_count(), 2);
  EXPECT_TRUE(a.postings(1, 10).empty());
  ASSERT_EQ(a.postings(5, 10).size(), 1u);
  EXPECT_EQ(a.document(a.postings(5, 10)[0])->text, "new x");
  EXPECT_EQ(a.document_by_id("y")->text, "text y");
  EXPECT_EQ(a.remove({"y", "nope"}), (std::vector<bool>{true, false}));
  EXPECT_FALSE(a.document_by_id("y").has_value());
  EXPECT_EQ(a.postings(2, 10).size(), 0u);
  const VerifyReport v = a.verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(a.stats().postings, 1);
}

TEST_F(TempArchive, SchemaVersionAndParametersPersist) {
  {
    SqliteArchive a(path_, SqliteArchive::Access::kCreateOrWrite);
    a.set_index_parameters("p1");
  }
  SqliteArchive b(path_, SqliteArchive::Access::kRead);
  EXPECT_EQ(b.index_parameters(), "p1");
  EXPECT_EQ(b.stats().schema_version, kSchemaVersion);
}

TEST_F(TempArchive, RefusesMissingForeignAndNewerFiles) {
  try {
    SqliteArchive a(path_, SqliteArchive::Access::kRead);
    FAIL() << "opened a missing archive";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
  }
  { std::ofstream(path_) << "this is not a database, just text that is long enough to be a header....."; }
  try {
    SqliteArchive a(path_, SqliteArchive::Access::kRead);
    FAIL() << "opened a text file";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
  }
  std::filesystem::remove(path_);
  { SqliteArchive a(path_, SqliteArchive::Access::kCreateOrWrite); }
  {
    Database raw(path_, Database::Mode::kReadWrite);  // a newer unspin wrote it
    raw.exec("PRAGMA user_version=99");
  }
  try {
    SqliteArchive a(path_, SqliteArchive::Access::kRead);
    FAIL() << "opened a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
  std::filesystem::remove(path_);
  {
    Database raw(path_, Database::Mode::kCreate);  // some other application's database
    raw.exec("CREATE TABLE t(x)");
  }
  try {
    SqliteArchive a(path_, SqliteArchive::Access::kWrite);
    FAIL() << "opened a foreign database";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
  }
}

TEST_F(TempArchive, AnUncommittedTransactionLeavesNothingBehind) {
  { SqliteArchive a(path_, SqliteArchive::Access::kCreateOrWrite); }
  {
    Database raw(path_, Database::Mode::kReadWrite);
    Transaction tx(raw);
    raw.exec("INSERT INTO documents(id, text, words, features) VALUES ('half', 't', 1, x'')");
    // no commit: the destructor rolls back, as a throw mid-batch would
  }
  SqliteArchive a(path_, SqliteArchive::Access::kRead);
  EXPECT_EQ(a.document_count(), 0);
}

TEST_F(TempArchive, AnIdTwiceInOneBatchKeepsTheLastVersion) {
  SqliteArchive a(path_, SqliteArchive::Access::kCreateOrWrite);
  a.add({doc("keep", "kept", {7})});
  // Two documents with one id in one batch: the second replaces the first
  // inside the transaction, so the batch still commits consistently.
  a.add({doc("dup", "one", {8}), doc("dup", "two", {9})});
  EXPECT_EQ(a.document_by_id("dup")->text, "two");
  EXPECT_TRUE(a.postings(8, 10).empty());
  const VerifyReport v = a.verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
}

}  // namespace
}  // namespace unspin::archive
