// The one error type of hindcast. Errors are values (std::expected), never exceptions, so a
// bad file is a reported fact and the rest of the input goes on being processed.
#pragma once
#include <expected>
#include <string>

namespace hindcast {

enum class ErrorCode {
  kUsage,          // the command line is wrong (exit 1)
  kNotFound,       // a path does not exist
  kUnreadable,     // open/read failed (permissions, I/O, corrupt .gz)
  kEmpty,          // a directory with no files, an empty file
  kUnknownFormat,  // no parser recognised the content
  kInvalidValue,   // an option value that cannot be used (--tz Mars/Olympus)
  kRemote,         // a server (the ClickHouse store) could not be reached or refused a request
};

struct Error {
  ErrorCode code;
  std::string message;  // one line, names the file and the reason
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace hindcast
