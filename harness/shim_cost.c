/*
 * pab-shim-cost: what the C side of the timing costs per loop turn.
 *
 *   native_turn   for (auto _ : state) in C++ (shim_cost.cc), the reference
 *   shim_turn     a C loop calling pab_shim_keep_running once per turn
 *   shim_batch    a C loop of `batch` turns per pab_shim_keep_running_batch
 *   meter_count   shim_batch plus one pab_count per turn: the meter's share
 *                 of every allocator call a workload makes
 *
 * Every body is a compiler barrier, so no loop folds away and the meter
 * stays in memory as it does behind an allocator call. Takes Google
 * Benchmark's flags, e.g. --benchmark_repetitions=10.
 */
#include "../workloads/workload.h"
#include "shim.h"

#include <stddef.h>

#define BARRIER() __asm__ volatile("" ::: "memory")

static void shim_turn(pab_shim_state *state, void *user)
{
    (void)user;
    while (pab_shim_keep_running(state))
        BARRIER();
}

static void shim_batch(pab_shim_state *state, void *user)
{
    (void)user;
    int64_t batch = pab_shim_arg(state, 0);
    while (pab_shim_keep_running_batch(state, batch))
        for (int64_t i = 0; i < batch; i++)
            BARRIER();
}

static void never_sample(pab_meter *m) { m->next_sample = UINT64_MAX; }

static void meter_count(pab_shim_state *state, void *user)
{
    (void)user;
    pab_meter meter = {.next_sample = UINT64_MAX, .on_sample = never_sample};
    pab_meter *m = &meter;
    /* Once the meter's address escapes, each barrier makes it live in memory. */
    __asm__ volatile("" : : "r"(m) : "memory");
    int64_t batch = pab_shim_arg(state, 0);
    while (pab_shim_keep_running_batch(state, batch))
        for (int64_t i = 0; i < batch; i++) {
            pab_count(m, 16);
            BARRIER();
        }
    pab_shim_set_counter(state, "ops", (double)meter.ops, 0);
}

int main(int argc, char **argv)
{
    static const int64_t batch = 1024;
    if (pab_shim_init(&argc, argv) != 0)
        return 2;
    pab_shim_register("shim_turn", NULL, 0, 0, shim_turn, NULL);
    pab_shim_register("shim_batch", &batch, 1, 0, shim_batch, NULL);
    pab_shim_register("meter_count", &batch, 1, 0, meter_count, NULL);
    return pab_shim_run(NULL, NULL) > 0 ? 0 : 1;
}
