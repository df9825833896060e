/*
 * test_faults: the cold pass counts the page faults it causes. A workload
 * that touches N fresh pages (through an allocator that maps every block
 * anew) must report at least N minor faults, with transparent huge pages
 * off for this process so a fault is one page.
 */
#include "meter.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

enum { PAGES = 2048, PAGE = 4096 };

static void *fresh_map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void *no_realloc(void *ptr, size_t size)
{
    (void)ptr, (void)size;
    return NULL;
}

static void unmap_block(void *ptr) { munmap(ptr, (size_t)PAGES * PAGE); }

static const char *test_version(const pab_allocator *self)
{
    (void)self;
    return "test";
}

static const pab_allocator fresh_pages = {
    .name = "fresh_pages",
    .malloc = fresh_map,
    .realloc = no_realloc,
    .free = unmap_block,
    .version = test_version,
};

static int touch_pages(const pab_ctx *ctx)
{
    char *block = pab_malloc(ctx, (size_t)PAGES * PAGE);
    if (!block)
        return -1;
    for (size_t i = 0; i < PAGES; i++)
        block[i * PAGE] = 1;
    pab_mark(ctx);
    pab_free(ctx, block, (size_t)PAGES * PAGE);
    return 0;
}

static uint64_t two_ops(uint64_t scale, uint64_t seed)
{
    (void)scale, (void)seed;
    return 2;
}

static const pab_workload touching = {
    .name = "touch_pages",
    .default_scale = 1,
    .quick_scale = 1,
    .run = touch_pages,
    .expected_ops = two_ops,
};

int main(void)
{
    static pab_memory_pass pass;
    if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0) {
        printf("skipped: cannot disable transparent huge pages here\n");
        return 77;
    }
    if (pab_memory_pass_run(&pass, &fresh_pages, &touching, 1, 1, false, false) != 0) {
        fprintf(stderr, "FAIL: the pass failed: %s\n", pass.error);
        return 1;
    }
    printf("%d fresh pages touched: %lld minor, %lld major faults, %.0f ns\n", PAGES,
           (long long)pass.minor_faults, (long long)pass.major_faults, pass.pass_ns);
    if (pass.minor_faults < PAGES || pass.pass_ns <= 0) {
        fprintf(stderr, "FAIL: %lld minor faults for %d fresh pages\n", (long long)pass.minor_faults, PAGES);
        return 1;
    }
    return 0;
}
