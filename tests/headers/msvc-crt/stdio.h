/* Just FILE, for the MSVC-mode syntax check. Test-only. */
#pragma once
typedef struct _iobuf FILE;
