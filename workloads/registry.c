/* The table of workloads: adding one is a file defining it and a line here. */
#include "workload.h"

#include <string.h>


const pab_workload *const pab_workloads[] = {
    NULL,
};

const pab_workload *pab_workload_find(const char *name)
{
    for (const pab_workload *const *w = pab_workloads; *w; w++)
        if (strcmp((*w)->name, name) == 0)
            return *w;
    return NULL;
}
