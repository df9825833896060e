// shim.cc: the C API of shim.h over Google Benchmark 1.7.1. The suite's only
// C++ file; it adds nothing to Google Benchmark's behaviour but a tap on the
// results.
#include "shim.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using benchmark::Counter;
constexpr bool same_bits(int ours, Counter::Flags theirs)
{
    return ours == static_cast<int>(theirs);
}
static_assert(same_bits(PAB_SHIM_RATE, Counter::kIsRate) &&
                  same_bits(PAB_SHIM_ITERATION_INVARIANT, Counter::kIsIterationInvariant) &&
                  same_bits(PAB_SHIM_AVG_ITERATIONS, Counter::kAvgIterations) &&
                  same_bits(PAB_SHIM_INVERT, Counter::kInvert),
              "shim.h's counter flags drifted from benchmark::Counter::Flags");

benchmark::State &cpp(pab_shim_state *state)
{
    return *reinterpret_cast<benchmark::State *>(state);
}

const benchmark::State &cpp(const pab_shim_state *state)
{
    return *reinterpret_cast<const benchmark::State *>(state);
}

double per_iteration_ns(double adjusted, benchmark::TimeUnit unit)
{
    return adjusted * 1e9 / benchmark::GetTimeUnitMultiplier(unit);
}

// Hands each run to C, then to the display reporter Google Benchmark would
// have used anyway (it honours --benchmark_format). The file reporter is left
// to Google Benchmark, so --benchmark_out gets its own JSONReporter's output.
class TapReporter : public benchmark::BenchmarkReporter {
  public:
    TapReporter(pab_shim_on_result on_result, void *user)
        : display_(benchmark::CreateDefaultDisplayReporter()), on_result_(on_result), user_(user)
    {
        // The console reporter prints its context (CPU, load, the DEBUG
        // warning) on stderr; keeping it with the table on stdout leaves
        // stderr to errors, which a parent process may show as they come.
        display_->SetErrorStream(&display_->GetOutputStream());
    }
    bool ReportContext(const Context &context) override
    {
        return display_->ReportContext(context);
    }
    void ReportRuns(const std::vector<Run> &runs) override
    {
        if (on_result_)
            for (const Run &run : runs)
                tell(run);
        display_->ReportRuns(runs);
    }
    void Finalize() override { display_->Finalize(); }

  private:
    void tell(const Run &run) const
    {
        const std::string name = run.benchmark_name();
        pab_shim_result r{};
        r.name = name.c_str();
        r.aggregate = run.run_type == Run::RT_Aggregate ? run.aggregate_name.c_str() : nullptr;
        r.error = run.error_occurred ? run.error_message.c_str() : nullptr;
        r.real_ns = per_iteration_ns(run.GetAdjustedRealTime(), run.time_unit);
        on_result_(&r, user_);
    }

    // Google Benchmark owns it (a process-wide instance it never frees).
    benchmark::BenchmarkReporter *display_;
    pab_shim_on_result on_result_;
    void *user_;
};

} // namespace

extern "C" {

int pab_shim_init(int *argc, char **argv)
{
    benchmark::Initialize(argc, argv);
    return benchmark::ReportUnrecognizedArguments(*argc, argv) ? -1 : 0;
}

void pab_shim_register(const char *name, const int64_t *args, int nargs, int64_t iterations,
                       pab_shim_fn fn, void *user)
{
    auto *b = benchmark::RegisterBenchmark(
        name, [fn, user](benchmark::State &state) {
            fn(reinterpret_cast<pab_shim_state *>(&state), user);
        });
    if (nargs > 0)
        b->Args(std::vector<int64_t>(args, args + nargs));
    if (iterations > 0)
        b->Iterations(iterations);
    b->UseRealTime();
}

int pab_shim_run(pab_shim_on_result on_result, void *user)
{
    TapReporter tap(on_result, user);
    size_t matched = benchmark::RunSpecifiedBenchmarks(&tap);
    benchmark::Shutdown();
    return static_cast<int>(matched);
}

bool pab_shim_keep_running(pab_shim_state *state) { return cpp(state).KeepRunning(); }

bool pab_shim_keep_running_batch(pab_shim_state *state, int64_t n)
{
    return cpp(state).KeepRunningBatch(n);
}


int64_t pab_shim_arg(const pab_shim_state *state, int index)
{
    return cpp(state).range(static_cast<size_t>(index));
}

int64_t pab_shim_iterations(const pab_shim_state *state) { return cpp(state).iterations(); }

void pab_shim_set_items_processed(pab_shim_state *state, int64_t items)
{
    cpp(state).SetItemsProcessed(items);
}

void pab_shim_set_counter(pab_shim_state *state, const char *name, double value, int flags)
{
    cpp(state).counters[name] = Counter(value, static_cast<Counter::Flags>(flags));
}

void pab_shim_skip_with_error(pab_shim_state *state, const char *message)
{
    cpp(state).SkipWithError(message);
}

} // extern "C"
