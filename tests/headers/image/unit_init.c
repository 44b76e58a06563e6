/* The DriverEntry side of an image: calls ExInitializeDriverRuntime. What
 * the call does depends on THIS file's macros (spec 1.5). IMG names the
 * image ("exe" or "dso") so two images can live in one process. */
#include <nxpool/wdm.h>
#include "image.h"

IMG_API void IMG_FN(init)(void) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); }
