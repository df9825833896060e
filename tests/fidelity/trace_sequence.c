/* trace_sequence.c: see trace_sequence.h. */
#include "trace_sequence.h"

#include "trace_reader.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void add_call(script *s, const pab_trace_record *rec, uint32_t *slot_of)
{
    switch (rec->op) {
    case PAB_TRACE_REALLOC:
        script_realloc(s, slot_of[rec->id], (uint32_t)rec->size);
        break;
    case PAB_TRACE_FREE:
    case PAB_TRACE_EXIT_FREE:
        script_free(s, slot_of[rec->id]);
        break;
    default: /* MALLOC, CALLOC, MEMALIGN: a new block */
        slot_of[rec->id] = script_malloc(s, (uint32_t)rec->size);
        break;
    }
}

static bool makes_block(const pab_trace_record *rec)
{
    return rec->op == PAB_TRACE_MALLOC || rec->op == PAB_TRACE_CALLOC || rec->op == PAB_TRACE_MEMALIGN;
}

int trace_sequence_build(script *s, const char *path, size_t every, char *err, size_t errlen)
{
    pab_trace_reader *t = pab_trace_open(path, err, errlen);
    if (!t)
        return -1;
    const pab_trace_header *h = pab_trace_header_of(t);
    pab_trace_record *recs = pab_trace_read_all(t, err, errlen);
    uint32_t *slot_of = calloc(h->blocks + 1, sizeof *slot_of);
    bool *raw_block = calloc(h->blocks + 1, sizeof *raw_block);
    int rc = recs && slot_of && raw_block ? 0 : -1;
    if (rc == 0 && h->blocks > UINT32_MAX)
        rc = -1, snprintf(err, errlen, "trace %s: too many blocks for a script", path);
    size_t since = 0;
    for (uint64_t i = 0; rc == 0 && i < h->records; i++) {
        const pab_trace_record *rec = &recs[i];
        /* A block stays in the domain it was made in. */
        if (makes_block(rec))
            raw_block[rec->id] = rec->domain != PAB_TRACE_MEM && rec->domain != PAB_TRACE_OBJECT;
        if (raw_block[rec->id])
            continue;
        add_call(s, rec, slot_of);
        if (++since == every) {
            script_checkpoint(s);
            since = 0;
        }
    }
    if (rc == 0)
        script_checkpoint(s);
    else if (recs && (!slot_of || !raw_block))
        snprintf(err, errlen, "out of memory");
    free(recs);
    free(slot_of);
    free(raw_block);
    pab_trace_close(t);
    return rc;
}
