#include "engine/core/source.h"

#include <cstring>

namespace hindcast {

SourceText SourceText::copy_of(std::string_view text) {
  char* p = new char[text.size() + kPadding]();
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  return SourceText{std::shared_ptr<const char>(p, std::default_delete<const char[]>()), text.size()};
}

}  // namespace hindcast
