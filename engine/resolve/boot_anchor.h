// dmesg's "[12345.678901]" stamps count seconds since boot. Another source that carries the same
// kernel messages with absolute times gives the boot's instant: the journal (kernel messages
// under SYSLOG_IDENTIFIER "kernel"), or kern.log, whose syslog lines embed the same since-boot
// stamp. Each message found in both is one estimate of the boot time (its absolute time minus
// its seconds since boot); the median of the estimates anchors the whole dmesg file. Messages
// of the first minute are used only when there are no later ones: journald and rsyslog read the
// kernel's early backlog in a batch, seconds after the kernel wrote it.
//
//   resolve_times(sources, ...);        // dmesg events stay kRelative, unanchored
//   anchor_since_boot(sources);         // now on the UTC timeline where evidence allows
#pragma once
#include <vector>

#include "engine/core/source.h"

namespace hindcast {

void anchor_since_boot(std::vector<Source>& sources);

}  // namespace hindcast
