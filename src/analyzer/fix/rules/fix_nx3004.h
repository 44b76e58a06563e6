// NX3004's fix, second part: the zeroing that ExAllocatePool2 makes
// redundant (fix_nx3004_zeroing.cpp).
#pragma once

#include <optional>

#include "fix/rules/fixers.h"

namespace nxpool::fix {

// For the allocation call `name` (its arguments `args`): an edit that
// removes `RtlZeroMemory(p, n);` or `memset(p, 0, n);` when it is the next
// statement after the one holding the call, or the one after a plain null
// check of p, and p and n are spelled exactly as the assigned pointer and
// the call's size argument. nullopt when there is no such statement.
std::optional<Edit> redundant_zeroing(const FileTokens& ft, std::size_t name, const FileTokens::Args& args);

}  // namespace nxpool::fix
