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

// Only the first two tokens count, wherever the message ends: a token hashes the same at the end
// of a message as before more words (it once hashed its last bytes another way there).
TEST(Signature, OnlyTheFirstTwoTokensCount) {
  EXPECT_EQ(message_signature("app", "connect failed"), message_signature("app", "connect failed for upstream x"));
  EXPECT_EQ(message_signature("app", "authentication failure;"), message_signature("app", "authentication failure; logname= uid=0"));
  EXPECT_EQ(message_signature("app", "x"), message_signature("app", "x  "));
  EXPECT_NE(message_signature("app", "connect failed"), message_signature("app", "connect"));
  EXPECT_NE(message_signature("app", "connect failed"), message_signature("app", "connect faile"));
}

// The parsers' variant reads past the message into a window's padding. Whatever lies there (a
// blank, a word, a digit), it agrees with the careful variant, for tokens of every length and
// every byte changed.
TEST(Signature, PaddedVariantAgreesWithCarefulOne) {
  const std::string words[] = {"a", "ab", "Started", "publickey", "session-opened", "pam_unix(sshd:session):",
                               "abcdefghijklmnop", "abcdefghijklmnopq", "x/y", "'quoted'", "\tTab"};
  for (const char* after : {"", " ", "x", "9", "\t"}) {
    for (const std::string& w1 : words) {
      for (const std::string& w2 : words) {
        const std::string writer = w1 + "d";
        const std::string message = w1 + " " + w2;
        // The writer and the message followed by 64 bytes of `after` (or of zero bytes).
        const std::string buf = writer + std::string(64, *after ? *after : '\0') + message + std::string(64, *after ? *after : '\0');
        const std::string_view bw = std::string_view(buf).substr(0, writer.size());
        const std::string_view bm = std::string_view(buf).substr(writer.size() + 64, message.size());
        EXPECT_EQ(message_signature_padded(bw, bm), message_signature(writer, message)) << writer << " | " << message;
      }
    }
  }
  // Every byte of a long token counts in both.
  const std::string base(40, 'k');
  const std::string writer = "w" + std::string(64, ' ');  // padded too (the contract: ASan checks it)
  std::set<uint32_t> seen;
  for (size_t i = 0; i < base.size(); ++i) {
    std::string t = base;
    t[i] = 'j';
    const std::string buf = t + std::string(64, ' ');
    const uint32_t padded = message_signature_padded(std::string_view(writer).substr(0, 1), std::string_view(buf).substr(0, t.size()));
    EXPECT_EQ(padded, message_signature("w", t));
    EXPECT_TRUE(seen.insert(padded).second) << "byte " << i;
  }
}

}  // namespace
}  // namespace hindcast
