// nxpool-mode: none
#include "cycle_a.h"
