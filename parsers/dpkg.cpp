#include "parsers/dpkg.h"

#include "engine/core/signature.h"

namespace hindcast {
namespace {

constexpr std::string_view kActions[] = {"startup", "status",   "install",  "upgrade", "remove",
                                         "purge",   "configure", "trigproc", "conffile"};

}  // namespace

// "YYYY-MM-DD hh:mm:ss ACTION rest"; *invalid for an impossible stamp.
bool DpkgFormat::split(std::string_view line, Line* d, bool* invalid) {
  scan::Cursor c{line};
  const StampStatus st = read_iso8601(c, &d->stamp);
  if (st != StampStatus::kOk) {
    *invalid = st == StampStatus::kInvalid;
    return false;
  }
  if (d->stamp.shape != TimeShape::kLocalDateTime || !c.skip(' ')) return false;
  d->message = c.rest();
  d->action = c.token();
  bool known = false;
  for (std::string_view a : kActions) known |= d->action == a;
  if (!known) return false;
  c.spaces();
  d->rest = c.rest();
  return true;
}

void DpkgFormat::event(const Line& d, Event& e) {
  e.kind = EventKind::kChange;
  e.aux = message_signature("dpkg", d.message);
  e.severity = d.action == "status" || d.action == "startup" ? Severity::kInfo : Severity::kNotice;
}

void DpkgFormat::record(const Source&, std::string_view, const Line& d, Record& out) {
  out.kind = RecordKind::kChange;
  out.program = "dpkg";
  out.action = d.action;
  out.message = d.message;
  out.severity = d.action == "status" || d.action == "startup" ? Severity::kInfo : Severity::kNotice;
  scan::Cursor c{d.rest};
  std::string_view words[4];
  for (auto& w : words) {
    c.spaces();
    w = c.token();
  }
  if (d.action == "status") {  // status STATE PACKAGE VERSION
    out.package = words[1];
    out.version_new = words[2];
  } else if (d.action == "conffile") {  // conffile PATH keep|install
    out.path = words[0];
  } else if (d.action != "startup") {  // ACTION PACKAGE OLD NEW
    out.package = words[0];
    out.version_old = words[1] == "<none>" ? std::string_view{} : words[1];
    out.version_new = words[2] == "<none>" ? std::string_view{} : words[2];
  }
}

template class LineFormatParser<DpkgFormat>;

}  // namespace hindcast
