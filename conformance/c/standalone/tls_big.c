/* tls.c with a TLS segment too big for the built-in area and a
 * page-aligned variable. */
#define BIG 1
#include "tls.c"
