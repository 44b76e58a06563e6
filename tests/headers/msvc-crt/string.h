/* The four CRT functions nxpool's headers use, for the MSVC-mode syntax
 * check (clang-cl with no Windows SDK installed). Test-only. */
#pragma once
#include <stddef.h>
void *memset(void *, int, size_t);
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
int memcmp(const void *, const void *, size_t);
