/*
 * variants.h: the geometries built beside CPython's (internal.h's defaults),
 * one line each: PYM_GEOMETRY(arena bits, pool bits, alignment shift,
 * threshold). The build compiles pymalloc once per line with those defined
 * (CMakeLists.txt reads this file), so a variant's fast path has its sizes
 * as constants like the default's; allocators/pymalloc.c turns the lines
 * into the builds `pymalloc:KEY=VALUE` can name. The release and order keys
 * are runtime flags and combine with every line.
 */
PYM_GEOMETRY(18, 14, 4, 512)   /* arena=256k */
PYM_GEOMETRY(22, 14, 4, 512)   /* arena=4m */
PYM_GEOMETRY(20, 12, 4, 512)   /* pool=4k */
PYM_GEOMETRY(20, 16, 4, 512)   /* pool=64k */
PYM_GEOMETRY(20, 14, 3, 512)   /* align=8 */
PYM_GEOMETRY(20, 14, 4, 256)   /* threshold=256 */
PYM_GEOMETRY(20, 14, 4, 1024)  /* threshold=1024 */
PYM_GEOMETRY(18, 12, 4, 512)   /* arena=256k:pool=4k, CPython 3.8 and 3.9 */
PYM_GEOMETRY(18, 12, 3, 256)   /* arena=256k:pool=4k:align=8:threshold=256, every key at its smallest */
