/* The table of workloads, from list.h. */
#include "workload.h"

#include <string.h>

#define PAB_WORKLOAD(name) extern const pab_workload pab_##name;
#include "list.h"
#undef PAB_WORKLOAD

const pab_workload *const pab_workloads[] = {
#define PAB_WORKLOAD(name) &pab_##name,
#include "list.h"
#undef PAB_WORKLOAD
    NULL,
};

const pab_workload *pab_workload_find(const char *name)
{
    for (const pab_workload *const *w = pab_workloads; *w; w++)
        if (strcmp((*w)->name, name) == 0)
            return *w;
    return NULL;
}
