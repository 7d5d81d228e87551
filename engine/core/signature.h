// A message's signature: a 32-bit hash of who wrote it and its first words, variable parts
// masked, computed by the parser while it has the line in hand (Event::aux of messages).
//
//   uint32_t s = message_signature("check_http", "HTTP CRITICAL: HTTP/1.0 500 Internal ...");
//   // == message_signature("check_http", "HTTP CRITICAL: HTTP/1.1 503 Service ...")
//
// Messages with one signature are (nearly always) one kind of message: the analysis reads one
// representative per signature to learn what a kind means, then decodes only the messages of the
// kinds it needs, instead of every line of a gigabyte of syslog. Template mining
// (engine/findings/templates.h) masks tokens by the same rule.
#pragma once
#include <cstdint>
#include <string_view>

namespace hindcast {

// "<*>" for a token that is data (it has a digit, a '/', '@' or '=', or is quoted/bracketed),
// else the token itself.
std::string_view mask_token(std::string_view token);

// Never 0 (0 means "no signature": decode the message to know it).
uint32_t message_signature(std::string_view writer, std::string_view message);
// The same value, for a writer and a message that each have 16 readable bytes after them (text in
// a parse window, whose padding follows every line): a few masked loads, no byte-by-byte tail.
uint32_t message_signature_padded(std::string_view writer, std::string_view message);

// The same value, for a parser that has already found the message's first tokens (up to two,
// fewer when the message has fewer; a token ends at a blank, ' ' or '\t') and whether each is
// data (has a digit, '/', '@' or '='), from masks of its own. 16 readable bytes after each.
struct SignatureToken {
  std::string_view text;
  bool data = false;
};
uint32_t signature_of_tokens(std::string_view writer, const SignatureToken* tokens, int count);

}  // namespace hindcast
