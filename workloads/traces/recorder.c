/*
 * recorder.c: an LD_PRELOAD library (libpab_recorder.so) that records every
 * allocation call a CPython process makes into a binary trace (FORMAT.md,
 * trace_format.h). `workloads/traces/record` is its front end.
 *
 * Two layers of hooks, because CPython allocates through two doors:
 * - its three allocator domains (raw, mem, object), wrapped from the
 *   constructor with PyMem_GetAllocator/PyMem_SetAllocator, found with
 *   dlsym so this library does not link libpython (Debian's python3.11 has
 *   libpython linked in statically and exports them);
 * - libc's malloc family, interposed by name and served by __libc_malloc
 *   and friends, for everything else (the interpreter's own direct calls,
 *   extension libraries, libc itself).
 * A domain's allocator ends in malloc (or pymalloc falls back to the raw
 * domain); a thread-local guard makes only the outermost call of a thread
 * count, so one Python request is one record, in the domain it entered by.
 *
 * One lock serializes recorded calls and is held across the real call, so
 * that the order of records is an order the blocks really had: a block's
 * address cannot be handed to another thread before its free or realloc
 * is in the trace. Blocks are named by id (the number of new blocks before
 * them); a hash table from address to id, in memory mapped by itself,
 * follows the live blocks (it grows with them; the output does not: it
 * goes through a 1 MiB buffer flushed with write(2)).
 *
 * Only one process is recorded: the first that loads the library, whose pid
 * goes into PAB_RECORDER_PID for its children. A child (a fork, or a
 * program it starts that loads the library again) records nothing and
 * leaves a marker file beside the output, which the recorded process turns
 * into a header flag at exit. The trace is written to OUT.tmp and renamed
 * to OUT (PAB_RECORDER_OUT) only once complete, from an atexit handler or
 * the destructor, whichever runs first; a process that never exits
 * normally (os._exit, a signal) leaves no OUT.
 */
#include "trace_format.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);

#define REC_PUBLIC __attribute__((visibility("default")))
/* initial-exec: a preloaded library's TLS is static, and the default model
 * could call into the allocator on a thread's first access. */
#define REC_TLS _Thread_local __attribute__((tls_model("initial-exec")))

/* CPython's allocator API (Include/cpython/pymem.h), declared here so that
 * nothing links libpython. */
typedef struct py_allocator {
    void *ctx;
    void *(*malloc)(void *ctx, size_t size);
    void *(*calloc)(void *ctx, size_t nelem, size_t elsize);
    void *(*realloc)(void *ctx, void *ptr, size_t new_size);
    void (*free)(void *ctx, void *ptr);
} py_allocator;
typedef void (*py_allocator_fn)(int domain, py_allocator *allocator);
typedef const char *(*py_version_fn)(void);
enum { PY_DOMAINS = 3 }; /* PYMEM_DOMAIN_RAW 0, _MEM 1, _OBJ 2 */

enum {
    REC_BUFFER_SIZE = 1 << 20,
    REC_TABLE_INITIAL_BITS = 16,
    REC_DOMAIN_SHIFT = 56, /* a table entry keeps the allocating domain above the id */
};
#define REC_PID_ENV "PAB_RECORDER_PID"
#define REC_OUT_ENV "PAB_RECORDER_OUT"

typedef struct rec_entry {
    uintptr_t addr; /* 0: empty slot */
    uint64_t id_domain;
} rec_entry;

/* The wrapped allocator of one CPython domain; our hook's ctx. */
typedef struct rec_domain {
    py_allocator inner;
    unsigned char domain;
} rec_domain;

static atomic_int rec_on;
static REC_TLS int rec_guard;
static REC_TLS uint32_t rec_thread_plus1;
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;

static rec_entry *rec_table;
static unsigned rec_table_bits;
static size_t rec_table_used;

static unsigned char rec_buffer[REC_BUFFER_SIZE];
static size_t rec_buffered;
static int rec_fd = -1;
static int rec_error; /* errno of the first failure; the trace is then not kept */

static unsigned char rec_header[PAB_TRACE_HEADER_FIXED_SIZE];
static uint64_t rec_records, rec_blocks, rec_unknown_reallocs, rec_exit_frees;
static uint64_t rec_calls[PAB_TRACE_DOMAIN_COUNT], rec_unknown_frees[PAB_TRACE_DOMAIN_COUNT];
static uint32_t rec_threads, rec_flags;

static char rec_out[PATH_MAX], rec_tmp[PATH_MAX], rec_marker[PATH_MAX];
static rec_domain rec_domains[PY_DOMAINS];
static py_allocator_fn rec_get_allocator;

static void rec_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void rec_say(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[len++] = '\n';
    /* A closed stderr leaves nobody to tell: both results are ignored. */
    if (write(STDERR_FILENO, "pab_recorder: ", 14) == 14 && write(STDERR_FILENO, line, len) < 0)
        return;
}

/* ---- the address -> id table (open addressing, backward-shift deletion) ---- */

static size_t rec_slot(uintptr_t addr, unsigned bits)
{
    return (size_t)(((uint64_t)addr * 0x9E3779B97F4A7C15u) >> (64 - bits));
}

static rec_entry *rec_table_map(unsigned bits)
{
    void *m = mmap(NULL, sizeof(rec_entry) << bits, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

static void rec_table_put(rec_entry *table, unsigned bits, rec_entry e)
{
    size_t mask = ((size_t)1 << bits) - 1;
    size_t i = rec_slot(e.addr, bits);
    while (table[i].addr)
        i = (i + 1) & mask;
    table[i] = e;
}

static int rec_table_grow(void)
{
    unsigned bits = rec_table_bits + 1;
    rec_entry *bigger = rec_table_map(bits);
    if (!bigger)
        return -1;
    for (size_t i = 0; i < (size_t)1 << rec_table_bits; i++)
        if (rec_table[i].addr)
            rec_table_put(bigger, bits, rec_table[i]);
    munmap(rec_table, sizeof(rec_entry) << rec_table_bits);
    rec_table = bigger;
    rec_table_bits = bits;
    return 0;
}

static void rec_insert(uintptr_t addr, uint64_t id_domain)
{
    if (2 * (rec_table_used + 1) > (size_t)1 << rec_table_bits && rec_table_grow() != 0) {
        if (!rec_error)
            rec_error = ENOMEM;
        return;
    }
    rec_table_put(rec_table, rec_table_bits, (rec_entry){addr, id_domain});
    rec_table_used++;
}

/* Removes addr's entry; false if the block was never seen. */
static bool rec_remove(uintptr_t addr, uint64_t *id_domain)
{
    size_t mask = ((size_t)1 << rec_table_bits) - 1;
    size_t i = rec_slot(addr, rec_table_bits);
    while (rec_table[i].addr != addr) {
        if (!rec_table[i].addr)
            return false;
        i = (i + 1) & mask;
    }
    *id_domain = rec_table[i].id_domain;
    /* Pull later entries of the run back over the hole, so that a lookup
     * never stops early at an empty slot. */
    for (size_t j = (i + 1) & mask; rec_table[j].addr; j = (j + 1) & mask) {
        size_t home = rec_slot(rec_table[j].addr, rec_table_bits);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            rec_table[i] = rec_table[j];
            i = j;
        }
    }
    rec_table[i].addr = 0;
    rec_table_used--;
    return true;
}

/* ---- output ---- */

static void rec_write_all(const unsigned char *p, size_t n)
{
    while (n > 0 && !rec_error) {
        ssize_t w = write(rec_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rec_error = w < 0 ? errno : EIO;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void rec_flush(void)
{
    rec_write_all(rec_buffer, rec_buffered);
    rec_buffered = 0;
}

static uint32_t rec_thread(void)
{
    if (!rec_thread_plus1)
        rec_thread_plus1 = ++rec_threads;
    return rec_thread_plus1 - 1;
}

static void rec_emit(pab_trace_op op, unsigned domain, uint64_t id, uint64_t size, unsigned align_log2)
{
    if (rec_buffered + PAB_TRACE_RECORD_SIZE > sizeof rec_buffer)
        rec_flush();
    unsigned char *r = rec_buffer + rec_buffered;
    memset(r, 0, PAB_TRACE_RECORD_SIZE);
    r[PAB_TRACE_REC_OP] = (unsigned char)op;
    r[PAB_TRACE_REC_DOMAIN] = (unsigned char)domain;
    r[PAB_TRACE_REC_ALIGN_LOG2] = (unsigned char)align_log2;
    pab_trace_put32(r + PAB_TRACE_REC_THREAD, op == PAB_TRACE_EXIT_FREE ? 0 : rec_thread());
    pab_trace_put64(r + PAB_TRACE_REC_ID, id);
    pab_trace_put64(r + PAB_TRACE_REC_SIZE, size);
    rec_buffered += PAB_TRACE_RECORD_SIZE;
    rec_records++;
    if (op == PAB_TRACE_EXIT_FREE)
        rec_exit_frees++;
    else
        rec_calls[domain]++;
}

/* ---- what each kind of call records (lock held) ---- */

static uint64_t rec_id_of(uint64_t id_domain)
{
    return id_domain & ((1ull << REC_DOMAIN_SHIFT) - 1);
}

static void rec_new(pab_trace_op op, unsigned domain, void *p, size_t size, unsigned align_log2)
{
    uint64_t id = rec_blocks++;
    rec_insert((uintptr_t)p, id | (uint64_t)domain << REC_DOMAIN_SHIFT);
    rec_emit(op, domain, id, size, align_log2);
}

static void rec_free(unsigned domain, void *p)
{
    uint64_t id_domain;
    if (rec_remove((uintptr_t)p, &id_domain))
        rec_emit(PAB_TRACE_FREE, domain, rec_id_of(id_domain), 0, 0);
    else
        rec_unknown_frees[domain]++;
}

/* q is what the real realloc returned; NULL means it failed (nothing
 * changed) unless size was 0, where glibc frees. */
static void rec_realloc(unsigned domain, void *old, void *q, size_t size)
{
    if (!q) {
        if (size == 0 && old)
            rec_free(domain, old);
        return;
    }
    uint64_t id_domain;
    if (!old) {
        rec_new(PAB_TRACE_MALLOC, domain, q, size, 0);
    } else if (rec_remove((uintptr_t)old, &id_domain)) {
        rec_insert((uintptr_t)q, id_domain);
        rec_emit(PAB_TRACE_REALLOC, domain, rec_id_of(id_domain), size, 0);
    } else {
        rec_unknown_reallocs++;
        rec_new(PAB_TRACE_MALLOC, domain, q, size, 0);
    }
}

/* True when this call is to be recorded: the lock is then held and the
 * guard set until rec_end. Nested calls (a domain's allocator calling
 * malloc) and calls when not recording go straight through. */
static bool rec_begin(void)
{
    if (rec_guard || !atomic_load_explicit(&rec_on, memory_order_acquire))
        return false;
    rec_guard = 1;
    pthread_mutex_lock(&rec_lock);
    if (atomic_load_explicit(&rec_on, memory_order_relaxed))
        return true;
    pthread_mutex_unlock(&rec_lock);
    rec_guard = 0;
    return false;
}

static void rec_end(void)
{
    pthread_mutex_unlock(&rec_lock);
    rec_guard = 0;
}

/* ---- libc's malloc family ---- */

REC_PUBLIC void *malloc(size_t size)
{
    bool rec = rec_begin();
    void *p = __libc_malloc(size);
    if (rec) {
        if (p)
            rec_new(PAB_TRACE_MALLOC, PAB_TRACE_LIBC, p, size, 0);
        rec_end();
    }
    return p;
}

REC_PUBLIC void *calloc(size_t nmemb, size_t size)
{
    bool rec = rec_begin();
    void *p = __libc_calloc(nmemb, size);
    if (rec) {
        if (p)
            rec_new(PAB_TRACE_CALLOC, PAB_TRACE_LIBC, p, nmemb * size, 0);
        rec_end();
    }
    return p;
}

REC_PUBLIC void *realloc(void *ptr, size_t size)
{
    bool rec = rec_begin();
    void *q = __libc_realloc(ptr, size);
    if (rec) {
        rec_realloc(PAB_TRACE_LIBC, ptr, q, size);
        rec_end();
    }
    return q;
}

REC_PUBLIC void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, total);
}

REC_PUBLIC void free(void *ptr)
{
    if (!ptr)
        return;
    bool rec = rec_begin();
    if (rec)
        rec_free(PAB_TRACE_LIBC, ptr);
    __libc_free(ptr);
    if (rec)
        rec_end();
}

static unsigned rec_log2_up(size_t n)
{
    unsigned k = 0;
    while (k < 63 && ((size_t)1 << k) < n)
        k++;
    return k;
}

/* The memalign family's one path; alignment is already valid or is
 * __libc_memalign's to round (memalign). */
static void *rec_memalign(size_t alignment, size_t size)
{
    bool rec = rec_begin();
    void *p = __libc_memalign(alignment, size);
    if (rec) {
        if (p)
            rec_new(PAB_TRACE_MEMALIGN, PAB_TRACE_LIBC, p, size, rec_log2_up(alignment));
        rec_end();
    }
    return p;
}

static bool rec_power_of_two(size_t n)
{
    return n && !(n & (n - 1));
}

REC_PUBLIC int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!rec_power_of_two(alignment) || alignment % sizeof(void *))
        return EINVAL;
    void *p = rec_memalign(alignment, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

REC_PUBLIC void *aligned_alloc(size_t alignment, size_t size)
{
    if (!rec_power_of_two(alignment)) {
        errno = EINVAL;
        return NULL;
    }
    return rec_memalign(alignment, size);
}

REC_PUBLIC void *memalign(size_t alignment, size_t size)
{
    return rec_memalign(alignment, size);
}

/* ---- CPython's domains ---- */

static void *rec_py_malloc(void *ctx, size_t size)
{
    rec_domain *d = ctx;
    bool rec = rec_begin();
    void *p = d->inner.malloc(d->inner.ctx, size);
    if (rec) {
        if (p)
            rec_new(PAB_TRACE_MALLOC, d->domain, p, size, 0);
        rec_end();
    }
    return p;
}

static void *rec_py_calloc(void *ctx, size_t nelem, size_t elsize)
{
    rec_domain *d = ctx;
    bool rec = rec_begin();
    void *p = d->inner.calloc(d->inner.ctx, nelem, elsize);
    if (rec) {
        if (p)
            rec_new(PAB_TRACE_CALLOC, d->domain, p, nelem * elsize, 0);
        rec_end();
    }
    return p;
}

static void *rec_py_realloc(void *ctx, void *ptr, size_t size)
{
    rec_domain *d = ctx;
    bool rec = rec_begin();
    void *q = d->inner.realloc(d->inner.ctx, ptr, size);
    if (rec) {
        rec_realloc(d->domain, ptr, q, size);
        rec_end();
    }
    return q;
}

static void rec_py_free(void *ctx, void *ptr)
{
    rec_domain *d = ctx;
    bool rec = ptr && rec_begin();
    if (rec)
        rec_free(d->domain, ptr);
    d->inner.free(d->inner.ctx, ptr);
    if (rec)
        rec_end();
}

static void rec_hook_domains(py_allocator_fn set)
{
    for (int i = 0; i < PY_DOMAINS; i++) {
        rec_domain *d = &rec_domains[i];
        rec_get_allocator(i, &d->inner);
        d->domain = (unsigned char)(PAB_TRACE_RAW + i);
        py_allocator hook = {d, rec_py_malloc, rec_py_calloc, rec_py_realloc, rec_py_free};
        set(i, &hook);
    }
}

/* ---- start and finish ---- */

/* Marks, for the recorded process, that another process ran with the
 * library and was not recorded. */
static void rec_mark_child(void)
{
    int fd = open(rec_marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
}

static void rec_after_fork_child(void)
{
    atomic_store(&rec_on, 0);
    pthread_mutex_unlock(&rec_lock);
    if (rec_fd >= 0)
        close(rec_fd);
    rec_fd = -1;
    rec_mark_child();
}

static void rec_before_fork(void)
{
    pthread_mutex_lock(&rec_lock);
}

static void rec_after_fork_parent(void)
{
    pthread_mutex_unlock(&rec_lock);
}

static size_t rec_read_cmdline(char *buf, size_t cap)
{
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t n = 0;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
        n += (size_t)r;
    char extra;
    if (n == cap && read(fd, &extra, 1) == 1)
        rec_flags |= PAB_TRACE_FLAG_CMDLINE_CUT;
    close(fd);
    return n;
}

static void rec_fill_counts(void)
{
    unsigned char *h = rec_header;
    pab_trace_put32(h + PAB_TRACE_OFF_FLAGS, rec_flags);
    pab_trace_put64(h + PAB_TRACE_OFF_RECORDS, rec_records);
    pab_trace_put64(h + PAB_TRACE_OFF_BLOCKS, rec_blocks);
    pab_trace_put32(h + PAB_TRACE_OFF_THREADS, rec_threads);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++) {
        pab_trace_put64(h + PAB_TRACE_OFF_CALLS + 8 * d, rec_calls[d]);
        pab_trace_put64(h + PAB_TRACE_OFF_UNKNOWN_FREES + 8 * d, rec_unknown_frees[d]);
    }
    pab_trace_put64(h + PAB_TRACE_OFF_UNKNOWN_REALLOCS, rec_unknown_reallocs);
    pab_trace_put64(h + PAB_TRACE_OFF_EXIT_FREES, rec_exit_frees);
}

/* The header as the file starts with it: counts are zero until finish. */
static void rec_write_header(const char *version)
{
    static char cmdline[PAB_TRACE_STRING_MAX];
    size_t cmdline_len = rec_read_cmdline(cmdline, sizeof cmdline);
    size_t version_len = strnlen(version, PAB_TRACE_STRING_MAX);
    unsigned char *h = rec_header;
    memcpy(h, PAB_TRACE_MAGIC, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION, PAB_TRACE_VERSION);
    pab_trace_put32(h + PAB_TRACE_OFF_HEADER_SIZE,
                    (uint32_t)(PAB_TRACE_HEADER_FIXED_SIZE + version_len + cmdline_len));
    pab_trace_put32(h + PAB_TRACE_OFF_RECORD_SIZE, PAB_TRACE_RECORD_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_PID, (uint32_t)getpid());
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION_LEN, (uint32_t)version_len);
    pab_trace_put32(h + PAB_TRACE_OFF_CMDLINE_LEN, (uint32_t)cmdline_len);
    rec_fill_counts();
    rec_write_all(h, PAB_TRACE_HEADER_FIXED_SIZE);
    rec_write_all((const unsigned char *)version, version_len);
    rec_write_all((const unsigned char *)cmdline, cmdline_len);
}

/* Exit frees go out in allocation order, as a program that freed its
 * leftovers oldest first would. */
static int rec_by_id(const void *a, const void *b)
{
    uint64_t x = rec_id_of(((const rec_entry *)a)->id_domain);
    uint64_t y = rec_id_of(((const rec_entry *)b)->id_domain);
    return (x > y) - (x < y);
}

/* Frees every block still alive. The table is compacted and sorted in
 * place: nothing looks blocks up after this. */
static void rec_free_live(void)
{
    size_t n = 0;
    for (size_t i = 0; i < (size_t)1 << rec_table_bits; i++)
        if (rec_table[i].addr)
            rec_table[n++] = rec_table[i];
    qsort(rec_table, n, sizeof *rec_table, rec_by_id);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = rec_table[i].id_domain;
        rec_emit(PAB_TRACE_EXIT_FREE, (unsigned)(v >> REC_DOMAIN_SHIFT), rec_id_of(v), 0, 0);
    }
}

static void rec_check_hooks(void)
{
    for (int i = 0; i < PY_DOMAINS; i++) {
        py_allocator now;
        rec_get_allocator(i, &now);
        if (now.malloc != rec_py_malloc)
            rec_flags |= PAB_TRACE_FLAG_HOOK_REPLACED;
    }
}

static void rec_write_end(void)
{
    unsigned char trailer[PAB_TRACE_TRAILER_SIZE];
    memcpy(trailer, PAB_TRACE_TRAILER, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put64(trailer + PAB_TRACE_MAGIC_SIZE, rec_records);
    rec_flush();
    rec_write_all(trailer, sizeof trailer);
    if (unlink(rec_marker) == 0)
        rec_flags |= PAB_TRACE_FLAG_CHILDREN_NOT_RECORDED;
    rec_fill_counts();
    if (!rec_error && pwrite(rec_fd, rec_header, sizeof rec_header, 0) != (ssize_t)sizeof rec_header)
        rec_error = errno ? errno : EIO;
    if (close(rec_fd) != 0 && !rec_error)
        rec_error = errno;
    rec_fd = -1;
}

static void rec_finish(void)
{
    if (!rec_begin())
        return;
    atomic_store(&rec_on, 0);
    rec_check_hooks();
    rec_free_live();
    rec_write_end();
    if (!rec_error && rename(rec_tmp, rec_out) != 0)
        rec_error = errno;
    if (rec_error) {
        unlink(rec_tmp);
        rec_say("cannot write %s: %s; no trace kept", rec_out, strerror(rec_error));
    } else if (rec_flags & PAB_TRACE_FLAG_CHILDREN_NOT_RECORDED) {
        rec_say("child processes ran; only pid %d is in the trace", (int)getpid());
    }
    if (rec_flags & PAB_TRACE_FLAG_HOOK_REPLACED)
        rec_say("a CPython domain's allocator was replaced (-X dev?); its calls are missing or counted as libc");
    rec_end();
}

__attribute__((destructor)) static void rec_destructor(void)
{
    rec_finish();
}

/* Absolute paths: the program may change directory before exit. */
static bool rec_paths(const char *out)
{
    char cwd[PATH_MAX];
    if (out[0] != '/' && !getcwd(cwd, sizeof cwd))
        return false;
    return snprintf(rec_out, sizeof rec_out, "%s%s%s", out[0] == '/' ? "" : cwd, out[0] == '/' ? "" : "/", out) <
               (int)sizeof rec_out &&
           snprintf(rec_tmp, sizeof rec_tmp, "%s.tmp", rec_out) < (int)sizeof rec_tmp &&
           snprintf(rec_marker, sizeof rec_marker, "%s.children", rec_out) < (int)sizeof rec_marker;
}

/* False (said why) when this process must not be recorded. Only the first
 * process records; a later one with the same pid is an exec of it, whose
 * first program's trace can no longer be finished. */
static bool rec_first_process(void)
{
    const char *first = getenv(REC_PID_ENV);
    if (!first) {
        char pid[24];
        snprintf(pid, sizeof pid, "%d", (int)getpid());
        return setenv(REC_PID_ENV, pid, 1) == 0;
    }
    if (atoi(first) != (int)getpid()) {
        rec_mark_child();
        return false;
    }
    rec_say("pid %d replaced its program (exec): the trace of the first one is lost", (int)getpid());
    return false;
}

/* CPython's allocator API; false (said why) when the process has none. */
static bool rec_find_python(py_allocator_fn *set, const char **version)
{
    rec_get_allocator = (py_allocator_fn)dlsym(RTLD_DEFAULT, "PyMem_GetAllocator");
    *set = (py_allocator_fn)dlsym(RTLD_DEFAULT, "PyMem_SetAllocator");
    py_version_fn get_version = (py_version_fn)dlsym(RTLD_DEFAULT, "Py_GetVersion");
    if (!rec_get_allocator || !*set || !get_version) {
        rec_say("no PyMem_SetAllocator in this process: not a CPython interpreter; nothing recorded");
        return false;
    }
    *version = get_version();
    return true;
}

static bool rec_open_output(const char *version)
{
    rec_table_bits = REC_TABLE_INITIAL_BITS;
    rec_table = rec_table_map(rec_table_bits);
    rec_fd = open(rec_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (!rec_table || rec_fd < 0) {
        rec_say("cannot create %s: %s; nothing recorded", rec_tmp, strerror(rec_table ? errno : ENOMEM));
        return false;
    }
    rec_write_header(version);
    return true;
}

__attribute__((constructor)) static void rec_start(void)
{
    const char *out = getenv(REC_OUT_ENV);
    if (!out || !rec_paths(out)) {
        rec_say("%s is not set (or too long); nothing recorded", REC_OUT_ENV);
        return;
    }
    if (!rec_first_process())
        return;
    if (getenv("PYTHONMALLOC")) {
        rec_say("PYTHONMALLOC is set and would replace the recorder's hooks; nothing recorded");
        return;
    }
    py_allocator_fn set;
    const char *version;
    if (!rec_find_python(&set, &version) || !rec_open_output(version))
        return;
    rec_hook_domains(set);
    pthread_atfork(rec_before_fork, rec_after_fork_parent, rec_after_fork_child);
    atexit(rec_finish);
    atomic_store(&rec_on, 1);
}
