// message_signature: the kind of a message (its writer and its first two tokens, data masked).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/core/signature.h"

namespace hindcast {
namespace {

// A writer's hash reads its last bytes in one or two loads: every byte of writers of every
// length up to 24 must count, wherever the string lies in memory.
TEST(Signature, EveryByteOfTheWriterCounts) {
  for (size_t len = 1; len <= 24; ++len) {
    const std::string base(len, 'a');
    std::set<uint32_t> seen = {message_signature(base, "Started session")};
    for (size_t i = 0; i < len; ++i) {
      std::string w = base;
      w[i] = 'b';
      EXPECT_TRUE(seen.insert(message_signature(w, "Started session")).second) << "length " << len << ", byte " << i;
    }
    for (size_t shift = 1; shift < 8; ++shift) {  // the same bytes elsewhere: the same signature
      const std::string padded = std::string(shift, 'x') + base;
      EXPECT_EQ(message_signature(std::string_view(padded).substr(shift), "Started session"),
                message_signature(base, "Started session"));
    }
  }
}

// The kind, not the instance: numbers, paths and quoted values are masked; the words are not.
TEST(Signature, DataTokensAreMaskedWordsAreNot) {
  EXPECT_EQ(message_signature("check_http", "HTTP CRITICAL: HTTP/1.0 500 Internal"),
            message_signature("check_http", "HTTP CRITICAL: HTTP/1.1 503 Service"));
  EXPECT_NE(message_signature("check_http", "HTTP OK: HTTP/1.1 200 OK"),
            message_signature("check_http", "HTTP CRITICAL: HTTP/1.1 503 Service"));
  EXPECT_EQ(message_signature("CRON", "(root) CMD (command -v debian-sa1)"),
            message_signature("CRON", "(root) CMD (test -x /usr/lib/php/sessionclean)"));
  EXPECT_EQ(message_signature("app", "user 1234 logged in"), message_signature("app", "user 99 logged in"));
  EXPECT_NE(message_signature("app", "user 1234"), message_signature("other", "user 1234"));
  EXPECT_NE(message_signature("sshd", "Accepted publickey"), message_signature("sshd", "Failed publickey"));
}

}  // namespace
}  // namespace hindcast
