// The directory walk (engine/input/discover.h), with a directory listing the test controls: a
// directory that cannot be listed is named with its reason wherever it lies (tests run as root,
// who can list any directory, so chmod alone cannot make one; tests/e2e's BadInput suite does it
// for real as an unprivileged user).
#include <gtest/gtest.h>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "engine/input/discover.h"

namespace hindcast {
namespace {
namespace fs = std::filesystem;

// A tree given as "directory -> entries"; a directory mapped to no entry list cannot be listed.
struct FakeTree {
  std::map<std::string, std::vector<DirectoryEntry>> entries;
  Result<std::vector<DirectoryEntry>> operator()(const std::string& path) const {
    const auto it = entries.find(path);
    if (it == entries.end()) return make_error(ErrorCode::kUnreadable, "Permission denied");
    return it->second;
  }
};

bool has_message(const Discovery& d, const std::string& message) {
  return std::any_of(d.problems.begin(), d.problems.end(), [&](const Error& e) { return e.message == message; });
}

class Walk : public ::testing::Test {
 protected:
  // discover_files checks that the path exists before it walks it: a real, empty directory.
  void SetUp() override {
    root_ = (fs::temp_directory_path() / ("hindcast-walk-" + std::to_string(getpid()))).string();
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

TEST_F(Walk, AnUnlistableSubdirectoryIsNamedWithItsReason) {
  FakeTree tree;
  tree.entries[root_] = {{"syslog", DT_REG}, {"locked", DT_DIR}, {"sub", DT_DIR}};
  tree.entries[root_ + "/sub"] = {{"kern.log", DT_REG}};
  const Discovery d = discover_files({root_ + "/"}, tree);
  EXPECT_EQ(d.files, (std::vector<std::string>{root_ + "/sub/kern.log", root_ + "/syslog"}));
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].message, root_ + "/locked: skipped: Permission denied");
}

TEST_F(Walk, AnUnlistableDirectoryGivenDirectlyIsNotCalledEmpty) {
  const Discovery d = discover_files({root_}, FakeTree{});
  EXPECT_TRUE(d.files.empty());
  EXPECT_TRUE(has_message(d, root_ + ": skipped: Permission denied"));
  EXPECT_FALSE(has_message(d, root_ + ": directory holds no files"));
  // A tree whose only file lies in a directory that cannot be listed: that directory is the reason.
  FakeTree tree;
  tree.entries[root_] = {{"locked", DT_DIR}};
  const Discovery nested = discover_files({root_}, tree);
  ASSERT_EQ(nested.problems.size(), 1u);
  EXPECT_EQ(nested.problems[0].message, root_ + "/locked: skipped: Permission denied");
  // An empty directory is still one.
  tree.entries[root_] = {};
  EXPECT_TRUE(has_message(discover_files({root_}, tree), root_ + ": directory holds no files"));
}

// 2,000 levels, one file at the bottom, walked without recursion (the e2e suite measures the
// memory of a real tree 6,000 deep: BadInput.ADirectoryTreeSixThousandDeep).
TEST_F(Walk, ADeepTreeIsWalkedToItsBottom) {
  FakeTree tree;
  std::string path = root_;
  for (int level = 0; level < 2000; ++level) {
    tree.entries[path] = {{"d", DT_DIR}};
    path += "/d";
  }
  tree.entries[path] = {{"syslog", DT_REG}};
  const Discovery d = discover_files({root_}, tree);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0], path + "/syslog");
  EXPECT_TRUE(d.problems.empty());
}

}  // namespace
}  // namespace hindcast
