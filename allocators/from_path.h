/*
 * from_path.h: an allocator the user names by its library, LABEL=PATH. The
 * library is never loaded to be identified: its dynamic symbol table says
 * what it is, the way `nm -D` would, so a broken or hostile library cannot
 * crash the parent.
 *
 *   defines mallctl                  measured like jemalloc (its statistics)
 *   defines mi_process_info          like mimalloc
 *   defines MallocExtension_*        like tcmalloc
 *   defines PyObject_Malloc          a libpython whose obmalloc is measured
 *                                    like cpython: 3.10 and 3.11 only, from
 *                                    its soname (from 3.12 PyObject_Malloc
 *                                    needs an initialised interpreter)
 *   defines malloc and free          any other malloc replacement: preloaded,
 *                                    with no statistics
 *   otherwise                        refused: it cannot serve malloc
 *
 * The child is told the whole spec (pab_allocator_spec), so it makes the
 * same instance; the results show only the label.
 */
#ifndef PAB_FROM_PATH_H
#define PAB_FROM_PATH_H

#include "allocator.h"

/* The instance for `label` served by the library at `path`, its kind taken
 * from `kinds` (NULL-terminated) by the table above; NULL with one line in
 * err when the file is no such library. */
pab_allocator *pab_from_path_make(const char *label, const char *path,
                                  const pab_allocator *const *kinds, char *err, size_t errlen);

#endif
