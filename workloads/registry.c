/* The table of workloads: adding one is a file defining it and a line here. */
#include "workload.h"

#include <string.h>

extern const pab_workload pab_small_objects, pab_string_concat, pab_generator, pab_list,
    pab_slots_vs_dict, pab_dict_growth, pab_fragmentation, pab_cycles, pab_trace_replay;

const pab_workload *const pab_workloads[] = {
    &pab_small_objects,
    &pab_string_concat,
    &pab_generator,
    &pab_list,
    &pab_slots_vs_dict,
    &pab_dict_growth,
    &pab_fragmentation,
    &pab_cycles,
    &pab_trace_replay,
    NULL,
};

const pab_workload *pab_workload_find(const char *name)
{
    for (const pab_workload *const *w = pab_workloads; *w; w++)
        if (strcmp((*w)->name, name) == 0)
            return *w;
    return NULL;
}
