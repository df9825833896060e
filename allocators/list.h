/*
 * list.h: every allocator kind, one line each, in the order --list shows
 * them and a default run measures them. PAB_ALLOCATOR(name) stands for the
 * constant `pab_<name>` that allocators/<name>.c defines. The build compiles
 * every .c of this folder and the tests are discovered from the table at
 * ctest time, so this line and that file are all an allocator takes.
 * Compositions (pymalloc+jemalloc) are not kinds: registry.c makes them.
 */
PAB_ALLOCATOR(pymalloc)
PAB_ALLOCATOR(glibc)
PAB_ALLOCATOR(bump)
PAB_ALLOCATOR(jemalloc)
PAB_ALLOCATOR(mimalloc)
PAB_ALLOCATOR(tcmalloc)
PAB_ALLOCATOR(cpython)
PAB_ALLOCATOR(delayed)
PAB_ALLOCATOR(stalling)
