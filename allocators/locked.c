/*
 * locked.c: see locked.h. The entries take no instance, so the inner
 * allocator's are copied into file-level pointers at init (one instance is
 * started per process, allocator.h).
 *
 * The GIL follows CPython's Python/ceval_gil.c in what shapes contention:
 * a waiting thread blocks on a condition variable, and a holder that gives
 * the lock up for a switch waits until another thread has taken it
 * (FORCE_SWITCHING), or it would take it straight back. It differs in who
 * asks: CPython's waiter sets a drop request after waiting the interval,
 * here the holder checks every GIL_CHECK_EVERY calls whether it has held
 * the lock for the interval while someone waits, which costs a clock read
 * per 64 calls and no shared write.
 */
#include "locked.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPython's sys.getswitchinterval(): 0.005 s. */
enum { GIL_SWITCH_INTERVAL_NS = 5000000, GIL_CHECK_EVERY = 64 };

static void *(*inner_malloc)(size_t);
static void *(*inner_realloc)(void *, size_t);
static void (*inner_free)(void *);

/* ---- mutex: every call locks ---- */

static pthread_mutex_t call_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *mutex_malloc(size_t size)
{
    pthread_mutex_lock(&call_mutex);
    void *p = inner_malloc(size);
    pthread_mutex_unlock(&call_mutex);
    return p;
}

static void *mutex_realloc(void *ptr, size_t size)
{
    pthread_mutex_lock(&call_mutex);
    void *p = inner_realloc(ptr, size);
    pthread_mutex_unlock(&call_mutex);
    return p;
}

static void mutex_free(void *ptr)
{
    pthread_mutex_lock(&call_mutex);
    inner_free(ptr);
    pthread_mutex_unlock(&call_mutex);
}

/* ---- gil: held across calls ---- */

static pthread_mutex_t gil_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gil_free_cond = PTHREAD_COND_INITIALIZER, gil_taken_cond = PTHREAD_COND_INITIALIZER;
static bool gil_locked;        /* under gil_mutex */
static uint64_t gil_takes;     /* under gil_mutex: how many times it was taken */
static atomic_uint gil_waiting; /* threads blocked for it; read by the holder without the mutex */
static _Thread_local bool gil_held;
static _Thread_local unsigned gil_calls;
static _Thread_local uint64_t gil_since_ns;

static uint64_t gil_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void gil_take(void)
{
    pthread_mutex_lock(&gil_mutex);
    if (gil_locked) {
        atomic_fetch_add_explicit(&gil_waiting, 1, memory_order_relaxed);
        while (gil_locked)
            pthread_cond_wait(&gil_free_cond, &gil_mutex);
        atomic_fetch_sub_explicit(&gil_waiting, 1, memory_order_relaxed);
    }
    gil_locked = true;
    gil_takes++;
    pthread_cond_broadcast(&gil_taken_cond);
    pthread_mutex_unlock(&gil_mutex);
    gil_held = true;
    gil_calls = 0;
    gil_since_ns = gil_now_ns();
}

/* For a switch, waits until a waiting thread has taken it. */
static void gil_drop(bool switching)
{
    pthread_mutex_lock(&gil_mutex);
    gil_locked = false;
    pthread_cond_signal(&gil_free_cond);
    uint64_t takes = gil_takes;
    while (switching && gil_takes == takes && atomic_load_explicit(&gil_waiting, memory_order_relaxed) > 0)
        pthread_cond_wait(&gil_taken_cond, &gil_mutex);
    pthread_mutex_unlock(&gil_mutex);
    gil_held = false;
}

static inline void gil_enter(void)
{
    if (!gil_held) {
        gil_take();
        return;
    }
    if (++gil_calls % GIL_CHECK_EVERY == 0 && atomic_load_explicit(&gil_waiting, memory_order_relaxed) > 0 &&
        gil_now_ns() - gil_since_ns >= GIL_SWITCH_INTERVAL_NS) {
        gil_drop(true);
        gil_take();
    }
}

static void *gil_malloc(size_t size)
{
    gil_enter();
    return inner_malloc(size);
}

static void *gil_realloc(void *ptr, size_t size)
{
    gil_enter();
    return inner_realloc(ptr, size);
}

static void gil_free(void *ptr)
{
    gil_enter();
    inner_free(ptr);
}

static void gil_release(void)
{
    if (gil_held)
        gil_drop(false);
}

/* ---- the instance ---- */

typedef struct lock_model {
    const char *name;
    const char *description; /* after the inner allocator's name */
    void *(*malloc)(size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
    void (*release)(void);
} lock_model;

static const lock_model lock_models[] = {
    {"mutex", "behind a mutex taken by every call", mutex_malloc, mutex_realloc, mutex_free, NULL},
    {"gil", "under a GIL model: a lock held across calls, given up to a waiting thread every 5 ms",
     gil_malloc, gil_realloc, gil_free, gil_release},
};

static const char *locked_init(pab_allocator *self)
{
    const char *why = pab_allocator_start(self->below);
    inner_malloc = self->below->malloc;
    inner_realloc = self->below->realloc;
    inner_free = self->below->free;
    return why;
}

static void locked_teardown(const pab_allocator *self) { pab_allocator_stop(self->below); }

static void locked_stats(const pab_allocator *self, pab_stats *out) { pab_allocator_stats(self->below, out); }

static void locked_trim(const pab_allocator *self) { pab_allocator_trim(self->below); }

static const char *locked_version(const pab_allocator *self)
{
    static char text[320];
    const char *at = strrchr(self->name, PAB_LOCK_SEPARATOR);
    snprintf(text, sizeof text, "%s, %s", self->below->version(self->below), at + 1);
    return text;
}

static const lock_model *find_model(const char *name)
{
    for (size_t i = 0; i < sizeof lock_models / sizeof lock_models[0]; i++)
        if (strcmp(lock_models[i].name, name) == 0)
            return &lock_models[i];
    return NULL;
}

pab_allocator *pab_locked_make(pab_allocator *inner, const char *model_name, char *err, size_t errlen)
{
    const lock_model *model = find_model(model_name);
    if (!model || inner->thread_safe) {
        if (!model)
            snprintf(err, errlen, "'%s%c%s': unknown lock model; valid: %s", inner->name, PAB_LOCK_SEPARATOR,
                     model_name, PAB_LOCK_MODELS);
        else
            snprintf(err, errlen, "'%s%c%s': %s is thread-safe already; a lock model is for an allocator "
                                  "that is not (pymalloc, cpython, pymalloc+X)",
                     inner->name, PAB_LOCK_SEPARATOR, model_name, inner->name);
        pab_allocator_free(inner);
        return NULL;
    }
    pab_allocator *a = calloc(1, sizeof *a);
    size_t name_len = strlen(inner->name) + strlen(model->name) + 2;
    if (a) {
        a->owned_name = malloc(name_len);
        a->owned_description = malloc(strlen(inner->name) + strlen(model->description) + 2);
    }
    if (!a || !a->owned_name || !a->owned_description) {
        if (a)
            a->below = inner;
        pab_allocator_free(a ? a : inner);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(a->owned_name, name_len, "%s%c%s", inner->name, PAB_LOCK_SEPARATOR, model->name);
    sprintf(a->owned_description, "%s %s", inner->name, model->description);
    a->name = a->owned_name;
    a->description = a->owned_description;
    a->below = inner;
    a->preload = inner->preload;
    a->library = inner->library;
    a->floor = inner->floor;
    a->test_only = inner->test_only;
    a->thread_safe = true;
    a->init = locked_init;
    a->teardown = locked_teardown;
    a->malloc = model->malloc;
    a->realloc = model->realloc;
    a->free = model->free;
    a->release = model->release;
    a->raw_malloc = inner->raw_malloc;
    a->raw_realloc = inner->raw_realloc;
    a->raw_free = inner->raw_free;
    a->stats = inner->stats ? locked_stats : NULL;
    a->trim = inner->trim ? locked_trim : NULL;
    a->version = locked_version;
    return a;
}
