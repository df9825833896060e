// shim_cost.cc: the native Google Benchmark loop that pab-shim-cost (shim_cost.c)
// sets the shim's C loops beside. Same body, a compiler barrier, in both.
#include <benchmark/benchmark.h>

static void native_turn(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::ClobberMemory();
}
BENCHMARK(native_turn)->UseRealTime();
