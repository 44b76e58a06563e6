/* The allocating side of an image: reports what NonPagedPool means here. */
#include <nxpool/wdm.h>
#include "image.h"

IMG_API int IMG_FN(pool_type)(void) { return (int)NonPagedPool; }
