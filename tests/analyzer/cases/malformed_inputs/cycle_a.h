#include "cycle_b.h" // expect-diag: error
