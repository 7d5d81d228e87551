// A journal entry is one event however many files hold it: an archived `.journal~` copy beside
// the live journal, or the same journal exported twice (`journalctl -o json`), doubled every
// count. Entries are told apart by their cursor's seqnum_id and seqnum ("s=...;i=..."), which
// journald never gives two entries; rotated files of one journal hold disjoint seqnums of the
// same seqnum_id, so they lose nothing. The copy in the earlier source (in the run's file order)
// is kept, the later ones become skipped lines with the reason, and each source says so.
//
//   drop_repeated_journal_entries(sources, problems);  // after the parse, before resolve_times
#pragma once
#include <vector>

#include "engine/core/error.h"
#include "engine/core/source.h"

namespace hindcast {

void drop_repeated_journal_entries(std::vector<Source>& sources, std::vector<Error>& problems);

}  // namespace hindcast
