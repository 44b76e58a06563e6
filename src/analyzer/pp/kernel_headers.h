// The kernel headers that reach wdm.h's NX block (docs/mechanism.md §1.2: the opt-in is
// fixed at the first inclusion of wdm.h, directly or through ntddk.h,
// ntifs.h and the headers that include those). This is the one place the
// list lives. They are never read from disk: an #include of one of them is
// the point where the unit's mode latches.
#pragma once

#include <string_view>

namespace nxpool::pp {

// True when the #include target (as written, any directory prefix and either
// slash) names a kernel header that reaches wdm.h. Case-insensitive.
bool is_kernel_header(std::string_view include_name);

}  // namespace nxpool::pp
