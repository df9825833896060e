/*
 * shim.h: the C face of Google Benchmark, so that the child stays C.
 *
 * A C program registers benchmarks (a name, integer arguments, a callback
 * and its data), then runs them with Google Benchmark's own command-line
 * flags. Each run's result (every repetition and every aggregate) comes back
 * through a C callback, while Google Benchmark's console and file reporters
 * print and write exactly what they always do.
 *
 * Every call below except the keep_running pair is out of line and far
 * slower than an allocation: call them around the timed loop, not inside it.
 * keep_running costs about one nanosecond per turn; a timed loop whose body is
 * only a few nanoseconds should use keep_running_batch with an inner C loop.
 */
#ifndef PAB_SHIM_H
#define PAB_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Google Benchmark's benchmark::State, seen from C. */
typedef struct pab_shim_state pab_shim_state;

typedef void (*pab_shim_fn)(pab_shim_state *state, void *user);

/* Counter flags: the same bits as benchmark::Counter::Flags (checked in shim.cc). */
enum {
    PAB_SHIM_RATE = 1 << 0,                /* divided by the run's time */
    PAB_SHIM_ITERATION_INVARIANT = 1 << 2, /* multiplied by the iterations */
    PAB_SHIM_AVG_ITERATIONS = 1 << 3,      /* divided by the iterations */
    PAB_SHIM_INVERT = (int)(1u << 31),     /* 1/x, applied last */
};

/* One run as Google Benchmark reports it. Strings live until the callback returns. */
typedef struct pab_shim_result {
    const char *name;      /* as in the JSON, e.g. "small_objects/scale:100/seed:1/real_time" */
    const char *aggregate; /* NULL for a repetition, else "mean", "median", ... */
    const char *error;     /* NULL unless the run was skipped with an error */
    double real_ns;        /* real time per iteration */
} pab_shim_result;

typedef void (*pab_shim_on_result)(const pab_shim_result *result, void *user);

/* Takes out of argv every --benchmark_* flag Google Benchmark knows. Returns
 * 0, or -1 after Google Benchmark printed the flags it did not recognise. */
int pab_shim_init(int *argc, char **argv);

/* Registers `name` with `nargs` arguments (its name becomes name/arg/...).
 * Times are real (wall-clock) time: rates and counters come from the same
 * clock the suite reports. `iterations` fixes the iterations of every
 * repetition (->Iterations()); 0 lets Google Benchmark pick them. */
void pab_shim_register(const char *name, const int64_t *args, int nargs, int64_t iterations,
                       pab_shim_fn fn, void *user);

/* Runs what the flags select; on_result (may be NULL) sees every run.
 * Returns how many benchmarks matched. */
int pab_shim_run(pab_shim_on_result on_result, void *user);

bool pab_shim_keep_running(pab_shim_state *state);
/* True while n more turns are due; the caller then runs its body n times. */
bool pab_shim_keep_running_batch(pab_shim_state *state, int64_t n);

int64_t pab_shim_arg(const pab_shim_state *state, int index);
int64_t pab_shim_iterations(const pab_shim_state *state);
void pab_shim_set_items_processed(pab_shim_state *state, int64_t items);
void pab_shim_set_counter(pab_shim_state *state, const char *name, double value, int flags);
/* Marks the run failed; the caller leaves its loop after this. */
void pab_shim_skip_with_error(pab_shim_state *state, const char *message);

#ifdef __cplusplus
}
#endif

#endif
