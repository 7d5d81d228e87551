#include "engine/core/record.h"

namespace hindcast {

std::string_view record_kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::kRequest: return "request";
    case RecordKind::kMessage: return "message";
    case RecordKind::kSyscall: return "syscall";
    case RecordKind::kSignal: return "signal";
    case RecordKind::kExit: return "exit";
    case RecordKind::kChange: return "change";
    case RecordKind::kOther: return "other";
  }
  return "other";
}

}  // namespace hindcast
