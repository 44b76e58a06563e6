#pragma once
// The real pattern: opt in from a project header, before the kernel header,
// only for kernel builds.
#ifdef _KERNEL_MODE
#define POOL_NX_OPTIN 1
#include <ntifs.h>
#else
#include <windows.h>
#endif
